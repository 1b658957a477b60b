import type { Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { OutcomeTally } from '../../../src/domain/outcomes/outcomeTable.ts';
import {
  Definitions,
  emptyCounts,
  patientEvidence,
} from '../../../src/domain/outcomes/patientEvidence.ts';
import { programmeAudit } from '../../../src/domain/outcomes/programmeAudit.ts';
import type { Json } from '../../../src/domain/outcomes/resourceShape.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../../../src/domain/screening/eligibilityConfig.ts';
import { patientOf } from '../../../src/fhir/pathwayChart.ts';
import { generateCohort } from '../../../src/sandbox/cohort.ts';
import { localDayIndex } from '../../../src/domain/fhir-primitives/dates.ts';

const AS_OF = new Date('2026-11-21T17:00:00Z');

describe('the programme audit', () => {
  const { resources } = generateCohort({ n: 120, asOf: AS_OF, seed: 11 });
  const byPatient = new Map<string, Resource[]>();
  const shared: Resource[] = [];
  for (const r of resources) {
    const id = patientOf(r);
    if (id === undefined) {
      shared.push(r);
    } else {
      byPatient.set(id, [...(byPatient.get(id) ?? []), r]);
    }
  }
  const ids = [...byPatient.keys()].sort();
  const referred = ids.filter((id) =>
    (byPatient.get(id) ?? []).some((r) => r.resourceType === 'ServiceRequest'),
  );

  it("gives the research table's referred-arm figures for the same patients", () => {
    const definitions = new Definitions();
    shared.forEach((r) => {
      definitions.add(r as unknown as Json);
    });
    const research = new OutcomeTally({ kind: 'referral' }, localDayIndex(AS_OF));
    for (const id of ids) {
      research.add(
        patientEvidence(byPatient.get(id) as unknown as Json[], definitions, emptyCounts(), {
          inGroup: false,
          medicationRecords: true,
          eligibility: DEFAULT_ELIGIBILITY_CONFIG,
        }),
      );
    }
    const table = research.report();
    expect(table.arms.intervention.excluded['not-eligible-at-referral']).toBe(0);
    const audit = programmeAudit(
      referred.map((id) => ({
        resources: byPatient.get(id) ?? [],
        sessionsAttended: 8,
        completed: true,
      })),
      shared,
      DEFAULT_ELIGIBILITY_CONFIG,
      AS_OF,
    );
    expect(referred.length).toBeGreaterThan(30);
    expect(audit.report.rows.map((r) => r.intervention)).toEqual(
      table.rows.map((r) => r.intervention),
    );
    expect(audit.report.rows[0]?.intervention.n).toBeGreaterThan(20);
    expect(audit.attendance).toEqual({
      patients: referred.length,
      started: referred.length,
      completed: referred.length,
      meanSessions: 8,
      unknown: 0,
    });
  });

  it('counts attendance: who started, the mean sessions of those who did, and unknowns', () => {
    const audit = programmeAudit(
      [
        { resources: [], sessionsAttended: 0, completed: false },
        { resources: [], sessionsAttended: 3, completed: false },
        { resources: [], sessionsAttended: 8, completed: true },
        { resources: [], sessionsAttended: undefined, completed: false },
      ],
      [],
      DEFAULT_ELIGIBILITY_CONFIG,
      AS_OF,
    );
    expect(audit.attendance).toEqual({
      patients: 4,
      started: 2,
      completed: 1,
      meanSessions: 5.5,
      unknown: 1,
    });
  });
});
