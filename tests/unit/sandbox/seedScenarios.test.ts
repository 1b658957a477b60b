import type {
  Condition,
  Encounter,
  Dosage,
  Medication,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Organization,
  Patient,
  Resource,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  MINDFULNESS_GMV_CODE,
  PATHWAY_CODE_SYSTEM,
  SUBMISSION_IDENTIFIER_SYSTEM,
} from '../../../src/domain/codes/canonical.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';

const AS_OF = new Date('2026-11-21T19:35:00Z');
const DAY = 86_400_000;
const seed = generateSeed({ asOf: AS_OF });

const isFor = (r: Resource, id: string): boolean => {
  const ref = `Patient/${id}`;
  const x = r as { subject?: { reference?: string }; for?: { reference?: string } };
  return (
    (r.resourceType === 'Patient' && r.id === id) ||
    x.subject?.reference === ref ||
    x.for?.reference === ref
  );
};
function ofType<T extends Resource>(type: T['resourceType'], patientId: string): T[] {
  return seed.resources.filter((r): r is T => r.resourceType === type && isFor(r, patientId));
}
/** Whole UTC days from a FHIR date/dateTime to asOf's UTC day. */
const daysAgo = (value: string | undefined): number =>
  (Math.floor(AS_OF.getTime() / DAY) * DAY - Math.floor(Date.parse(value ?? 'x') / DAY) * DAY) /
  DAY;
const codes = (c: Condition | Observation): string[] =>
  (c.code?.coding ?? []).map((x) => `${x.system ?? ''}|${x.code ?? ''}`);
const SNOMED = 'http://snomed.info/sct';
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const LOINC = 'http://loinc.org';
const pegScores = (id: string) =>
  ofType<Observation>('Observation', id)
    .filter((o) => codes(o).includes(`${LOINC}|91147-9`))
    .sort((a, b) => Date.parse(a.effectiveDateTime ?? '') - Date.parse(b.effectiveDateTime ?? ''));

/** Age in whole years on the calendar day `on` (YYYY-MM-DD). */
function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

// Test oracle: opioid mg per unit of each RxNorm drug used, and CDC 2022 factors (clinical.md).
const OPIOID: Record<string, { mg: number; factor: number }> = {
  '835603': { mg: 50, factor: 0.2 },
  '891890': { mg: 60, factor: 1 },
  '891885': { mg: 30, factor: 1 },
  '1049563': { mg: 20, factor: 1.5 },
  '1049683': { mg: 10, factor: 1.5 },
  '856999': { mg: 10, factor: 1 },
  '857005': { mg: 7.5, factor: 1 },
  '857002': { mg: 5, factor: 1 },
  '864706': { mg: 10, factor: 4.7 },
};
const GTS_PER_DAY: Record<string, number> = { BID: 2, TID: 3, QID: 4, Q6H: 4 };

function unitsPerDay(dosage: Dosage): number {
  const repeat = dosage.timing?.repeat;
  const perDay =
    (repeat?.frequency ?? NaN) *
    (repeat?.periodUnit === 'h' ? 24 / (repeat.period ?? NaN) : 1 / (repeat?.period ?? NaN));
  const gts = dosage.timing?.code?.coding?.[0]?.code;
  if (gts !== undefined) {
    expect(GTS_PER_DAY[gts]).toBe(perDay);
  }
  const max = dosage.maxDosePerPeriod;
  const dose = dosage.doseAndRate?.[0]?.doseQuantity?.value ?? NaN;
  return dosage.asNeededBoolean === true && max
    ? (max.numerator?.value ?? NaN) / (max.denominator?.value ?? NaN)
    : dose * perDay;
}
function rxcuiOf(r: MedicationStatement | MedicationRequest): string | undefined {
  const ref = r.medicationReference?.reference;
  const medication = ref?.startsWith('#')
    ? (r.contained?.find((c) => `#${c.id ?? ''}` === ref) as Medication | undefined)
    : (seed.resources.find((x) => `${x.resourceType}/${x.id ?? ''}` === ref) as
        Medication | undefined);
  return (medication?.code ?? r.medicationCodeableConcept)?.coding?.[0]?.code;
}
function mme(r: MedicationStatement | MedicationRequest): number {
  const dosage =
    r.resourceType === 'MedicationStatement' ? r.dosage?.[0] : r.dosageInstruction?.[0];
  const drug = OPIOID[rxcuiOf(r) ?? ''];
  return drug && dosage ? Math.round(unitsPerDay(dosage) * drug.mg * drug.factor * 100) / 100 : NaN;
}

describe('sandbox patients: eligibility scenarios', () => {
  it('clbp-eligible is an adult with CLBP for over a year, two PEGs around 6 and 40 MME/day', () => {
    const [patient] = ofType<Patient>('Patient', 'clbp-eligible');
    expect(ageOn(patient?.birthDate ?? '', '2026-11-21')).toBeGreaterThanOrEqual(18);
    const conditions = ofType<Condition>('Condition', 'clbp-eligible');
    const all = conditions.flatMap(codes);
    expect(all).toEqual(expect.arrayContaining([`${SNOMED}|278860009`, `${ICD}|M54.50`]));
    expect(all.some((c) => c.startsWith(`${ICD}|C`))).toBe(false);
    expect(daysAgo(conditions[0]?.onsetDateTime)).toBeGreaterThan(365);
    const pegs = pegScores('clbp-eligible');
    expect(pegs.map((o) => o.valueQuantity?.value)).toEqual([6, 6.33]);
    expect(daysAgo(pegs[1]?.effectiveDateTime)).toBeLessThanOrEqual(30);
    expect(
      daysAgo(pegs[0]?.effectiveDateTime) - daysAgo(pegs[1]?.effectiveDateTime),
    ).toBeGreaterThanOrEqual(80);
    const orders = ofType<MedicationRequest>('MedicationRequest', 'clbp-eligible');
    expect(orders.map((o) => [o.status, mme(o)])).toEqual([['active', 40]]);
  });

  it('clbp-red-flag has CLBP plus a coded history of cancer and no referral', () => {
    const all = ofType<Condition>('Condition', 'clbp-red-flag').flatMap(codes);
    expect(all).toEqual(
      expect.arrayContaining([`${SNOMED}|278860009`, `${SNOMED}|399068003`, `${ICD}|C61`]),
    );
    expect(ofType<ServiceRequest>('ServiceRequest', 'clbp-red-flag')).toEqual([]);
    expect(pegScores('clbp-red-flag').length).toBe(1);
  });

  it('no-back-pain has hypertension only', () => {
    const conditions = ofType<Condition>('Condition', 'no-back-pain');
    expect(conditions.map(codes)).toEqual([[`${SNOMED}|38341003`, `${ICD}|I10`]]);
  });

  it.each([
    ['2026-11-21T19:35:00Z', '2026-11-21'],
    ['2028-02-29T12:00:00Z', '2028-02-29'],
    ['2026-12-31T23:30:00Z', '2026-12-31'],
    ['2027-01-01T00:30:00Z', '2027-01-01'],
  ])('minor is 16 on the sandbox day (asOf %s) and has low back pain', (asOf, day) => {
    const s = generateSeed({ asOf: new Date(asOf) });
    const patient = s.resources.find(
      (r): r is Patient => r.resourceType === 'Patient' && r.id === 'minor',
    );
    expect(ageOn(patient?.birthDate ?? '', day)).toBe(16);
    const lbp = s.resources.filter(
      (r): r is Condition => r.resourceType === 'Condition' && isFor(r, 'minor'),
    );
    expect(lbp.flatMap(codes)).toContain(`${SNOMED}|279039007`);
  });
});

describe('sandbox patients: opioid doses', () => {
  it('opioid-taper has two years of consecutive statements tapering 120 → 30 MME/day', () => {
    const statements = ofType<MedicationStatement>('MedicationStatement', 'opioid-taper').sort(
      (a, b) =>
        Date.parse(a.effectivePeriod?.start ?? '') - Date.parse(b.effectivePeriod?.start ?? ''),
    );
    expect(statements.map(mme)).toEqual([120, 90, 60, 45, 40, 30]);
    expect(daysAgo(statements[0]?.effectivePeriod?.start)).toBe(730);
    statements.slice(1).forEach((s, i) => {
      expect(daysAgo(statements[i]?.effectivePeriod?.end) - daysAgo(s.effectivePeriod?.start)).toBe(
        1,
      );
    });
    expect(statements.map((s) => s.status)).toEqual([
      ...Array<string>(5).fill('completed'),
      'active',
    ]);
    expect(statements.at(-1)?.effectivePeriod?.end).toBeUndefined();
    const kinds = statements.map((s) =>
      s.medicationCodeableConcept
        ? 'concept'
        : s.medicationReference?.reference?.startsWith('#')
          ? 'contained'
          : 'resource',
    );
    expect(new Set(kinds)).toEqual(new Set(['concept', 'contained', 'resource']));
    const doses = statements.map((s) => s.dosage?.[0]?.doseAndRate?.[0]?.doseQuantity);
    expect(new Set(doses.map((d) => `${d?.system ?? ''}|${d?.code ?? ''}`))).toEqual(
      new Set(['http://unitsofmeasure.org|{tbl}']),
    );
    expect(doses.map((d) => d?.unit)).toContain('TAB');
    expect(
      statements.filter(
        (s) =>
          s.dosage?.[0]?.timing?.code?.coding?.[0]?.system ===
          'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
      ).length,
    ).toBeGreaterThan(0);
  });

  it('fentanyl-patch has active orders for a 25 mcg/hr patch (60 MME/day) and methadone 10 mg BID (94 MME/day)', () => {
    const orders = ofType<MedicationRequest>('MedicationRequest', 'fentanyl-patch');
    const patch = orders.find((o) => o.medicationCodeableConcept?.coding?.[0]?.code === '245134');
    expect(patch?.medicationCodeableConcept?.coding?.[0]?.display).toBe(
      '72 HR fentanyl 0.025 MG/HR Transdermal System',
    );
    // 0.025 mg/hr = 25 mcg/hr, one patch worn at a time: 25 × 2.4 (CDC 2022).
    expect(patch?.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value).toBe(1);
    expect(25 * 2.4).toBe(60);
    const methadone = orders.find((o) => o !== patch);
    expect(methadone && mme(methadone)).toBe(94);
    for (const o of orders) {
      expect([o.status, o.intent]).toEqual(['active', 'order']);
      expect(daysAgo(o.authoredOn)).toBeLessThanOrEqual(30);
      expect(o.dosageInstruction?.[0]?.timing?.repeat?.frequency).toBe(1 + (o === patch ? 0 : 1));
      expect(o.dispenseRequest?.quantity?.value).toBeGreaterThan(0);
      expect(o.dispenseRequest?.expectedSupplyDuration).toMatchObject({ value: 30, code: 'd' });
      expect(o.dispenseRequest?.validityPeriod?.start).toBeDefined();
    }
  });

  it('heavy-history has about 3,000 resources over five years of every kind', () => {
    const mine = seed.resources.filter((r) => isFor(r, 'heavy-history'));
    expect(mine.length).toBeGreaterThanOrEqual(2900);
    expect(mine.length).toBeLessThanOrEqual(3300);
    const types = new Set(mine.map((r) => r.resourceType));
    for (const t of [
      'Observation',
      'MedicationStatement',
      'MedicationRequest',
      'Encounter',
      'Condition',
      'QuestionnaireResponse',
    ]) {
      expect(types).toContain(t);
    }
    const encounters = ofType<
      { resourceType: 'Encounter'; period?: { start?: string } } & Resource
    >('Encounter', 'heavy-history');
    expect(Math.max(...encounters.map((e) => daysAgo(e.period?.start)))).toBeGreaterThanOrEqual(
      1820,
    );
    expect(ofType<Condition>('Condition', 'heavy-history').flatMap(codes)).toContain(
      `${SNOMED}|278860009`,
    );
    const active = ofType<MedicationRequest>('MedicationRequest', 'heavy-history').filter(
      (o) => o.status === 'active',
    );
    expect(active.map(mme).filter((x) => !Number.isNaN(x))).toEqual([15]);
  });
});

describe('sandbox patients: heavy-30k', () => {
  const withHeavy = generateSeed({ asOf: AS_OF, heavy30k: true });
  const mine = withHeavy.resources.filter((r) => isFor(r, 'heavy-30k'));
  const copyOf = (r: Resource): number => Number(/^heavy-30k-c(\d)-/.exec(r.id ?? '')?.[1]);

  it('is seeded only when asked, after the other patients', () => {
    expect(seed.patients.map((p) => p.id)).not.toContain('heavy-30k');
    expect(withHeavy.patients.map((p) => p.id)).toEqual([
      ...seed.patients.map((p) => p.id),
      'heavy-30k',
    ]);
    expect(withHeavy.resources.slice(0, seed.resources.length)).toEqual(seed.resources);
  });

  it('holds heavy-history’s five years ten times under one patient: 30,271 resources', () => {
    const heavy = seed.resources.filter((r) => isFor(r, 'heavy-history'));
    expect(mine).toHaveLength(1 + 10 * (heavy.length - 1));
    expect(mine).toHaveLength(30_271);
    const countBy = (rs: readonly Resource[]) => {
      const counts: Record<string, number> = {};
      for (const r of rs) {
        counts[r.resourceType] = (counts[r.resourceType] ?? 0) + 1;
      }
      return counts;
    };
    const expected = Object.fromEntries(
      Object.entries(countBy(heavy)).map(([t, n]) => [t, t === 'Patient' ? 1 : n * 10]),
    );
    expect(countBy(mine)).toEqual(expected);
  });

  it('shifts each copy five years further back: fifty years of visits, none in the future', () => {
    const encounters = mine.filter(
      (r): r is Resource & { period?: { start?: string } } => r.resourceType === 'Encounter',
    );
    for (let k = 0; k < 10; k++) {
      const days = encounters.filter((e) => copyOf(e) === k).map((e) => daysAgo(e.period?.start));
      expect(Math.min(...days)).toBeGreaterThanOrEqual(1826 * k);
      expect(Math.max(...days)).toBeLessThanOrEqual(1826 * (k + 1));
    }
  });

  it('counts 15 MME/day today, as heavy-history does, from the newest copy’s order alone', () => {
    const active = mine.filter(
      (r): r is MedicationRequest =>
        r.resourceType === 'MedicationRequest' && (r as MedicationRequest).status === 'active',
    );
    expect(active.map(copyOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((k) => [k, k]));
    const current = active.filter((o) => daysAgo(o.authoredOn) <= 30);
    expect(current.map(mme).filter((x) => !Number.isNaN(x))).toEqual([15]);
  });
});

describe('sandbox patients: the referral in follow-up', () => {
  const [referral] = ofType<ServiceRequest>('ServiceRequest', 'referred-followup');
  const [task] = ofType<Task>('Task', 'referred-followup');

  it('has an active referral to the group visits made about seven months ago', () => {
    expect(referral).toMatchObject({
      status: 'active',
      intent: 'order',
      requester: { reference: 'Practitioner/pcp-1' },
    });
    expect(referral?.category?.[1]?.coding?.[0]).toMatchObject({ system: SNOMED, code: '3457005' });
    expect(referral?.code?.coding?.[1]).toMatchObject({
      system: PATHWAY_CODE_SYSTEM,
      code: MINDFULNESS_GMV_CODE,
    });
    expect(referral?.code?.text).toBe(
      'Mindfulness group medical visits for chronic low back pain — 8 weekly telehealth sessions',
    );
    expect(referral?.identifier?.[0]?.system).toBe(SUBMISSION_IDENTIFIER_SYSTEM);
    expect(daysAgo(referral?.authoredOn)).toBeGreaterThanOrEqual(190);
    expect(daysAgo(referral?.authoredOn)).toBeLessThanOrEqual(225);
    // 8 weekly sessions: the last one 7 weeks after the first (the app's programme window).
    expect(
      daysAgo(referral?.occurrencePeriod?.start) - daysAgo(referral?.occurrencePeriod?.end),
    ).toBe(49);
    const reason = seed.resources.find(
      (r) => `Condition/${r.id ?? ''}` === referral?.reasonReference?.[0]?.reference,
    );
    expect(codes(reason as Condition)).toContain(`${SNOMED}|278860009`);
  });

  it('is tracked by a Task owned by the programme, completed after 7 of 8 sessions', () => {
    expect(task).toMatchObject({
      status: 'completed',
      intent: 'order',
      focus: { reference: `ServiceRequest/${referral?.id ?? ''}` },
      for: { reference: 'Patient/referred-followup' },
      owner: { reference: 'Organization/optimum-gmv-programme' },
      authoredOn: referral?.authoredOn,
    });
    const programme = seed.resources.find(
      (r): r is Organization => r.resourceType === 'Organization',
    );
    expect(programme?.name).toMatch(/Mindfulness Group Medical Visits/);
    const sessions = ofType<Encounter>('Encounter', 'referred-followup');
    expect(sessions).toHaveLength(7);
    for (const s of sessions) {
      expect(s.basedOn?.[0]?.reference).toBe(`ServiceRequest/${referral?.id ?? ''}`);
      expect(s.status).toBe('finished');
    }
    // The programme started with the first session a week after the referral.
    expect(daysAgo(referral?.authoredOn) - daysAgo(task?.executionPeriod?.start)).toBe(7);
  });

  it('has the baseline PEG at the referral, week 8 on file, and month 6 due now', () => {
    const [baseline, week8] = pegScores('referred-followup');
    // As the app writes a referral: the screening, then the PEG (screeningView.supportingInfo).
    expect(referral?.supportingInfo?.map((s) => s.reference)).toEqual([
      'QuestionnaireResponse/referred-followup-screening',
      `Observation/${baseline?.id ?? ''}`,
    ]);
    expect(daysAgo(baseline?.effectiveDateTime)).toBe(daysAgo(referral?.authoredOn));
    expect(Date.parse(baseline?.effectiveDateTime ?? '')).toBeLessThan(
      Date.parse(referral?.authoredOn ?? ''),
    );
    // Week 8 is counted from the programme start, a week after the baseline at the referral.
    expect(daysAgo(baseline?.effectiveDateTime) - daysAgo(week8?.effectiveDateTime)).toBe(63);
    expect([baseline?.valueQuantity?.value, week8?.valueQuantity?.value]).toEqual([6.67, 5.33]);
    const baselineDays = daysAgo(baseline?.effectiveDateTime);
    expect(baselineDays).toBeGreaterThanOrEqual(182);
    expect(baselineDays).toBeLessThan(365);
  });
});
