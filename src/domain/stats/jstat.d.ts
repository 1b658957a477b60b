/** The slice of jStat 1.9 (MIT, https://jstat.github.io) the stats module uses; it ships no types. */
declare module 'jstat' {
  interface StudentT {
    /** P(T ≤ x) for Student's t with `dof` degrees of freedom (any positive real). */
    cdf(x: number, dof: number): number;
    /** The p-quantile of Student's t with `dof` degrees of freedom. */
    inv(p: number, dof: number): number;
  }
  interface JStatStatic {
    studentt: StudentT;
  }
  const jStat: JStatStatic;
  export default jStat;
}
