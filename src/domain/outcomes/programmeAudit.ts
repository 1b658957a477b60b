/**
 * The programme's own results (the staff's "Results" view): the research table's figures for the
 * patients of a cohort, or of every cohort, computed by the research table's own code — each
 * patient's evidence read by patientEvidence, tallied by OutcomeTally with arms by referral (the
 * trial's baseline rule) — with attendance beside them. Every patient here had the programme, so
 * there is no comparison arm: an UNCONTROLLED PROGRAMME AUDIT, labelled as such wherever shown.
 */
import type { Resource } from 'fhir/r4';
import type { EligibilityConfig } from '../screening/eligibilityConfig.ts';
import { localDayIndex } from '../fhir-primitives/dates.ts';
import type { PatientEvidence } from './armAssignment.ts';
import type { OutcomeReport } from './outcomeTable.ts';
import { OutcomeTally } from './outcomeTable.ts';
import {
  Definitions,
  emptyCounts,
  patientEvidence,
  type EvidenceCounts,
} from './patientEvidence.ts';
import type { Json } from './resourceShape.ts';

/** Said with every programme result. */
export const UNCONTROLLED_AUDIT =
  'Uncontrolled programme audit: every patient here took part in the programme and there is no comparison group, so a change cannot be attributed to the programme (natural course, regression to the mean and other care all change PEG too). Baseline and time points follow the research table (baseline = the PEG at the referral; week 8, month 6, month 12 from that PEG).';

export interface AuditPatient {
  /** The patient's own resources (Patient, Conditions, PEG records, medications, referrals, Tasks). */
  readonly resources: readonly Resource[];
  /** Group sessions attended (the pathway's count); undefined when the sessions were not read. */
  readonly sessionsAttended: number | undefined;
  /** The referral's stage is completed (the programme finished for this patient). */
  readonly completed: boolean;
}

export interface Attendance {
  readonly patients: number;
  /** Attended at least one session. */
  readonly started: number;
  readonly completed: number;
  /** Mean sessions attended among those who started; undefined when nobody did. */
  readonly meanSessions: number | undefined;
  /** Patients whose sessions could not be read. */
  readonly unknown: number;
}

export interface ProgrammeAudit {
  readonly report: OutcomeReport;
  readonly attendance: Attendance;
  readonly counts: EvidenceCounts;
}

function attendance(patients: readonly AuditPatient[]): Attendance {
  const known = patients.flatMap((p) =>
    p.sessionsAttended === undefined ? [] : [p.sessionsAttended],
  );
  const started = known.filter((n) => n > 0);
  return {
    patients: patients.length,
    started: started.length,
    completed: patients.filter((p) => p.completed).length,
    meanSessions:
      started.length === 0 ? undefined : started.reduce((a, b) => a + b, 0) / started.length,
    unknown: patients.length - known.length,
  };
}

/**
 * The audit of `patients` on `asOf` (a time point whose window is still open that day is not yet
 * due, not lost to follow-up); `shared` are the Questionnaires and Medications their records refer
 * to. Patients are tallied in the order given (sort them by id for the same sums on every run).
 */
export function programmeAudit(
  patients: readonly AuditPatient[],
  shared: readonly Resource[],
  eligibility: EligibilityConfig,
  asOf: Date,
): ProgrammeAudit {
  const definitions = new Definitions();
  for (const resource of shared) {
    definitions.add(resource as unknown as Json);
  }
  const counts = emptyCounts();
  const tally = new OutcomeTally({ kind: 'referral' }, localDayIndex(asOf));
  const medicationRecords = patients.some((p) =>
    p.resources.some(
      (r) => r.resourceType === 'MedicationStatement' || r.resourceType === 'MedicationRequest',
    ),
  );
  for (const patient of patients) {
    const evidence: PatientEvidence = patientEvidence(
      patient.resources as unknown as Json[],
      definitions,
      counts,
      { inGroup: true, medicationRecords, eligibility },
    );
    // Everyone the programme took counts: whether the patient met the referral criteria on the
    // referral day was the clinician's and the programme's call, not the audit's (PROJECT DECISION).
    const taken: PatientEvidence = { ...evidence };
    delete (taken as { eligibility?: unknown }).eligibility;
    tally.add(taken);
  }
  return { report: tally.report(), attendance: attendance(patients), counts };
}
