import { loaded, type SectionProps } from './sectionProps.ts';

export function PegSection({ state }: SectionProps) {
  const observations = loaded(state, 'pegObservations');
  const responses = loaded(state, 'questionnaireResponses');
  if ((observations?.matches.length ?? 0) + (responses?.matches.length ?? 0) === 0) {
    return <p className="empty">No PEG on record.</p>;
  }
  return <p>{observations?.matches.length ?? 0} PEG observations.</p>;
}
