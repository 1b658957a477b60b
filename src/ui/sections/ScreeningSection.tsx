import { loaded, type SectionProps } from './sectionProps.ts';

export function ScreeningSection({ state }: SectionProps) {
  const conditions = loaded(state, 'conditions');
  return <p>{conditions?.matches.length ?? 0} conditions on record.</p>;
}
