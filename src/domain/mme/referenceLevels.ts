/**
 * MME/day levels the CDC Clinical Practice Guideline for Prescribing Opioids for Pain (2022,
 * MMWR Recomm Rep 2022;71(RR-3)) discusses, shown as information on the dose chart. The guideline
 * warns against using them as hard limits or triggers for forced tapering; the app never does.
 */
export const CDC_2022_MME_REFERENCE_LEVELS: readonly {
  readonly mmePerDay: number;
  readonly label: string;
}[] = [
  { mmePerDay: 50, label: '50 MME/day (CDC 2022)' },
  { mmePerDay: 90, label: '90 MME/day (CDC 2022)' },
];

/**
 * The dose at which the guideline asks clinicians to offer naloxone: CDC 2022 p14, "If a
 * patient's opioid dosage for all sources of opioids reaches or exceeds 50 MME/day, clinicians
 * should … offer naloxone" (≥, so 50 itself prompts).
 */
export const NALOXONE_MME_PER_DAY = 50;

/** The window of the dose chart: two years up to the day shown. */
export const MME_CHART_DAYS = 730;
