/**
 * The performance patients. `heavy-history`: five years of visits every ten days (vitals, labs),
 * monthly PEGs in all four shapes, monthly opioid and gabapentin orders: about 3,000 resources.
 * `heavy-30k`: the same five years ten times over under one patient, each copy's dates shifted
 * five years further back (fifty years of chart, about 30,000 resources), the chart a long-lived
 * EHR builds. The counts are fixed; the seed only changes values and clock times.
 */
import type { Encounter, Observation, Reference, Resource } from 'fhir/r4';
import { CLINIC_MINUTES, instantAgo, yearsInDays } from './clock.ts';
import { CONDITIONS, SYSTEM } from './codes.ts';
import { buildCondition, buildPatient, PCP, ref } from './fhirBuilders.ts';
import {
  BLOOD_PRESSURE,
  HBA1C,
  HEIGHT,
  LABS,
  LIPIDS,
  type Measure,
  VITALS,
} from './heavyHistoryCodes.ts';
import { medicationHistory } from './heavyHistoryMedications.ts';
import {
  foreignPeg,
  itemPegObservations,
  ourPeg,
  type PegAnswers,
  pegScore,
  scoreOnlyPeg,
} from './peg.ts';
import { pegContext, type ScenarioContext, type ScenarioResult } from './scenario.ts';

const HISTORY_DAYS = yearsInDays(5);
const VISIT_EVERY_DAYS = 10;
const VISITS = Math.floor((HISTORY_DAYS - 1) / VISIT_EVERY_DAYS);
const MONTHS = 60;
/** Copies of the five years in `heavy-30k`. */
const HEAVY_30K_COPIES = 10;
const DAY_MS = 86_400_000;

/** One five-year copy: whose chart it is, the prefix of its resource ids, and its clock. */
interface Copy {
  readonly ctx: ScenarioContext;
  readonly patientId: string;
  readonly prefix: string;
}

const category = (code: 'vital-signs' | 'laboratory') => [
  {
    coding: [
      {
        system: SYSTEM.observationCategory,
        code,
        display: code === 'laboratory' ? 'Laboratory' : 'Vital Signs',
      },
    ],
  },
];

const loincCode = (loinc: string, display: string) => ({
  coding: [{ system: SYSTEM.loinc, code: loinc, display }],
  text: display,
});

function quantity(ctx: ScenarioContext, measure: Measure) {
  return {
    value: ctx.rng.decimal(measure.min, measure.max, measure.decimals),
    unit: measure.unit,
    system: SYSTEM.ucum,
    code: measure.unit,
  };
}

interface Visit {
  encounter: Reference;
  effectiveDateTime: string;
}

function measurement(
  { ctx, patientId }: Copy,
  id: string,
  measure: Measure,
  kind: 'vital-signs' | 'laboratory',
  visit: Visit,
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: category(kind),
    code: loincCode(measure.loinc, measure.display),
    subject: ref('Patient', patientId),
    encounter: visit.encounter,
    effectiveDateTime: visit.effectiveDateTime,
    valueQuantity: quantity(ctx, measure),
  };
}

function visitResources(copy: Copy, k: number): Resource[] {
  const { ctx, patientId, prefix: ID } = copy;
  const daysAgo = HISTORY_DAYS - k * VISIT_EVERY_DAYS;
  const minute = ctx.rng.int(CLINIC_MINUTES.first, CLINIC_MINUTES.last);
  const tag = String(k + 1).padStart(3, '0');
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: `${ID}-enc-${tag}`,
    status: 'finished',
    class: { system: SYSTEM.actCode, code: 'AMB', display: 'ambulatory' },
    type: [{ text: 'Office visit' }],
    subject: ref('Patient', patientId),
    participant: [{ individual: PCP }],
    period: {
      start: instantAgo(ctx.clock, daysAgo, minute),
      end: instantAgo(ctx.clock, daysAgo, minute + 30),
    },
  };
  const visit: Visit = {
    encounter: ref('Encounter', encounter.id ?? ''),
    effectiveDateTime: encounter.period?.start ?? '',
  };
  const bloodPressure: Observation = {
    resourceType: 'Observation',
    id: `${ID}-bp-${tag}`,
    status: 'final',
    category: category('vital-signs'),
    code: loincCode(BLOOD_PRESSURE.panel.loinc, BLOOD_PRESSURE.panel.display),
    subject: ref('Patient', patientId),
    encounter: visit.encounter,
    effectiveDateTime: visit.effectiveDateTime,
    component: [BLOOD_PRESSURE.systolic, BLOOD_PRESSURE.diastolic].map((measure) => ({
      code: loincCode(measure.loinc, measure.display),
      valueQuantity: quantity(ctx, measure),
    })),
  };
  const out: Resource[] = [encounter, bloodPressure];
  VITALS.forEach((measure, i) => {
    out.push(
      measurement(copy, `${ID}-vital-${tag}-${String(i + 1)}`, measure, 'vital-signs', visit),
    );
  });
  if (k % 36 === 0) {
    out.push(measurement(copy, `${ID}-height-${tag}`, HEIGHT, 'vital-signs', visit));
  }
  if (k % 2 === 0) {
    LABS.forEach((measure, i) => {
      out.push(
        measurement(copy, `${ID}-lab-${tag}-${String(i + 1)}`, measure, 'laboratory', visit),
      );
    });
  }
  if (k % 9 === 0) {
    out.push(measurement(copy, `${ID}-a1c-${tag}`, HBA1C, 'laboratory', visit));
  }
  if (k % 36 === 0) {
    LIPIDS.forEach((measure, i) => {
      out.push(
        measurement(copy, `${ID}-lipid-${tag}-${String(i + 1)}`, measure, 'laboratory', visit),
      );
    });
  }
  return out;
}

/** Monthly PEGs drifting from about 7 to about 5.5; every tenth in each of the other shapes. */
function pegHistory(copy: Copy): { resources: Resource[]; latest: number } {
  const { ctx, prefix: ID } = copy;
  const peg = pegContext(ctx, copy.patientId);
  const resources: Resource[] = [];
  let latest = 0;
  for (let j = 0; j < MONTHS; j++) {
    const fromNewest = MONTHS - 1 - j;
    const daysAgo = 20 + fromNewest * 30;
    const centre = 7 - (1.5 * j) / (MONTHS - 1);
    const item = () =>
      Math.min(10, Math.max(0, Math.round(centre + ctx.rng.decimal(-1.2, 1.2, 2))));
    const answers: PegAnswers = [item(), item(), item()];
    const tag = String(j + 1).padStart(2, '0');
    switch (fromNewest % 10) {
      case 3:
        resources.push(foreignPeg(peg, `${ID}-peg-acme-${tag}`, daysAgo, answers));
        break;
      case 6:
        resources.push(
          ...itemPegObservations(peg, `${ID}-peg-item-${tag}`, daysAgo, answers, 'quantity'),
        );
        break;
      case 9:
        resources.push(scoreOnlyPeg(peg, `${ID}-peg-score-${tag}`, daysAgo, answers));
        break;
      default:
        resources.push(
          ...ourPeg(
            peg,
            { response: `${ID}-peg-qr-${tag}`, observation: `${ID}-peg-${tag}` },
            daysAgo,
            answers,
          ),
        );
    }
    latest = pegScore(answers);
  }
  return { resources, latest };
}

/** One copy of the five years: Conditions, visits, PEGs and orders (no Patient). */
function fiveYears(copy: Copy): { resources: Resource[]; latestPeg: number } {
  const { ctx, patientId, prefix } = copy;
  const conditions = [
    { key: 'clbp', codes: CONDITIONS.chronicLowBackPain, years: 6 },
    { key: 'hypertension', codes: CONDITIONS.hypertension, years: 9 },
    { key: 'diabetes', codes: CONDITIONS.type2Diabetes, years: 7 },
    { key: 'hyperlipidemia', codes: CONDITIONS.hyperlipidemia, years: 8 },
  ].map((c) =>
    buildCondition(ctx.clock, {
      id: `${prefix}-${c.key}`,
      patientId,
      codes: c.codes,
      onsetDaysAgo: yearsInDays(c.years),
    }),
  );
  const visits: Resource[] = [];
  for (let k = 0; k < VISITS; k++) {
    visits.push(...visitResources(copy, k));
  }
  const pegs = pegHistory(copy);
  return {
    resources: [
      ...conditions,
      ...visits,
      ...pegs.resources,
      ...medicationHistory(ctx, { patientId, months: MONTHS, historyDays: HISTORY_DAYS }, prefix),
    ],
    latestPeg: pegs.latest,
  };
}

function heavyPatient(ctx: ScenarioContext, id: string, mrn: string, given: string[]) {
  return buildPatient(ctx.clock, {
    id,
    mrn,
    given,
    family: 'Brennan',
    gender: 'male',
    ageYears: 71,
    birthdayDaysAgo: 333,
    line: '19 Harbor View Drive',
    city: 'Quincy',
    state: 'MA',
    postalCode: '02169',
    phone: '617-555-0194',
  });
}

export function heavyHistory(ctx: ScenarioContext): ScenarioResult {
  const ID = 'heavy-history';
  const chart = fiveYears({ ctx, patientId: ID, prefix: ID });
  const resources: Resource[] = [
    heavyPatient(ctx, ID, 'SBX-100007', ['Harold', 'Francis']),
    ...chart.resources,
  ];
  return {
    patient: {
      id: ID,
      name: 'Harold Brennan',
      scenario: `Performance patient: ${String(resources.length)} resources over 5 years (visits every ${String(VISIT_EVERY_DAYS)} days with vitals and labs, ${String(MONTHS)} monthly PEGs in four shapes, monthly orders)`,
    },
    resources,
  };
}

/**
 * `heavy-history` ten times under one patient: copy k is generated on a clock k × 5 years earlier
 * (its ids carry `-c<k>`), so the last five years are heavy-history's and the other 45 years are
 * older history the app reads after its first screen.
 */
export function heavy30k(ctx: ScenarioContext): ScenarioResult {
  const ID = 'heavy-30k';
  const resources: Resource[] = [heavyPatient(ctx, ID, 'SBX-100030', ['Walter', 'Francis'])];
  for (let k = 0; k < HEAVY_30K_COPIES; k++) {
    const clock = { dayStart: ctx.clock.dayStart - k * HISTORY_DAYS * DAY_MS };
    const chart = fiveYears({
      ctx: { ...ctx, clock },
      patientId: ID,
      prefix: `${ID}-c${String(k)}`,
    });
    resources.push(...chart.resources);
  }
  return {
    patient: {
      id: ID,
      name: 'Walter Brennan',
      scenario: `Performance patient: ${String(resources.length)} resources over ${String(HEAVY_30K_COPIES * 5)} years (heavy-history's five years ${String(HEAVY_30K_COPIES)} times, each copy shifted five years back)`,
    },
    resources,
  };
}
