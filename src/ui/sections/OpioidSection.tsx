import { loaded, type SectionProps } from './sectionProps.ts';

export function OpioidSection({ state }: SectionProps) {
  const statements = loaded(state, 'medicationStatements');
  const requests = loaded(state, 'medicationRequests');
  const count = (statements?.matches.length ?? 0) + (requests?.matches.length ?? 0);
  if (count === 0) {
    return <p className="empty">No MedicationStatements or MedicationRequests on record.</p>;
  }
  return <p>{count} medication records.</p>;
}
