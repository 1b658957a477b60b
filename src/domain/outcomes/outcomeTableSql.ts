/**
 * The outcome table as portable SQL over the analysis dataset (`clbp_analysis`, written by
 * `clbp outcomes --dataset`): per arm and time point, n, mean and SD of the change, responders,
 * follow-ups lost and not yet due (on the dataset's as_of day), and the sums ANCOVA needs (stats/ancova.ts turns them into the adjusted
 * difference). Plain aggregates only, so it runs unchanged on DuckDB, Spark SQL and BigQuery;
 * a test runs it in DuckDB and checks it against the table `clbp outcomes` prints.
 */
export const OUTCOME_TABLE_SQL = `SELECT
  time_point,
  arm,
  COUNT(change) AS n,
  SUM(CASE WHEN followup_status = 'lost-to-follow-up' THEN 1 ELSE 0 END) AS lost_to_follow_up,
  SUM(CASE WHEN followup_status = 'not-yet-due' THEN 1 ELSE 0 END) AS not_yet_due,
  AVG(change) AS mean_change,
  STDDEV_SAMP(change) AS sd_change,
  SUM(CASE WHEN reaches_mcid THEN 1 ELSE 0 END) AS drop_1pt,
  SUM(CASE WHEN reaches_30pct AND baseline_peg > 0 THEN 1 ELSE 0 END) AS drop_30pct,
  SUM(CASE WHEN change IS NOT NULL AND baseline_peg > 0 THEN 1 ELSE 0 END) AS drop_30pct_denominator,
  SUM(CASE WHEN change IS NOT NULL THEN baseline_peg END) AS sum_x,
  SUM(change) AS sum_y,
  SUM(CASE WHEN change IS NOT NULL THEN baseline_peg * baseline_peg END) AS sum_xx,
  SUM(baseline_peg * change) AS sum_xy,
  SUM(change * change) AS sum_yy
FROM clbp_analysis
WHERE analysed
GROUP BY time_point, arm
ORDER BY time_point, arm`;
