/**
 * The CDC guideline's own words, shown beside the facts they apply to (clinical.md: "When unsure,
 * show the facts and the guideline's words rather than a verdict"). Source of every quotation:
 * CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United States, 2022 (MMWR
 * Recomm Rep 2022;71(No. RR-3), https://www.cdc.gov/mmwr/volumes/71/rr/rr7103a1.htm), page and
 * recommendation as noted. The project's own phrase is marked as such.
 */

const CDC_2022_CITATION = 'CDC 2022 (MMWR Recomm Rep 2022;71(RR-3))';

export interface GuidelineWords {
  readonly text: string;
  readonly source: string;
  /** False for the project's own summary: shown without quotation marks, never as the guideline's words. */
  readonly quotation: boolean;
}

/** Project wording (clinical.md "Dose changes") for a reduction faster than the usual taper. */
export const FASTER_THAN_USUAL_TAPER =
  "faster than the guideline's usual taper: check withdrawal and the plan";

/** Recommendation 5 text on taper rates (p17). */
export const TAPER_RATE: GuidelineWords = {
  text: 'Tapers of approximately 10% per month or slower are likely to be better tolerated than more rapid tapers when patients have been taking opioids for longer durations (e.g., ≥1 year).',
  source: `${CDC_2022_CITATION}, Recommendation 5, p17`,
  quotation: true,
};

/**
 * Shorter use, in the project's clinical reference's words (clinical.md "Dose changes", its
 * summary of CDC 2022 Recommendation 5 and its text; not a quotation of the guideline: verify
 * the wording against the guideline before relying on it).
 */
export const SHORTER_USE: GuidelineWords = {
  // Only the half on shorter use: the half on a year or more is TAPER_RATE's, quoted beside it.
  text: 'Faster tapers (e.g. 10% per week) can suit shorter use.',
  source: `The project's clinical reference, summarising ${CDC_2022_CITATION}, Recommendation 5 (not a quotation)`,
  quotation: false,
};

/** Recommendation 5 on abrupt discontinuation (p15). */
export const NO_ABRUPT_STOP: GuidelineWords = {
  text: 'Unless there are indications of a life-threatening issue such as warning signs of impending overdose (e.g., confusion, sedation, or slurred speech), opioid therapy should not be discontinued abruptly, and clinicians should not rapidly reduce opioid dosages from higher dosages.',
  source: `${CDC_2022_CITATION}, Recommendation 5, p15`,
  quotation: true,
};

/** The MME table's footnotes, for methadone rows (p42). */
export const METHADONE_CAUTION: GuidelineWords = {
  text: 'Do not use the calculated dose in MMEs to determine the doses to use when converting one opioid to another. Use particular caution with methadone dose conversions because methadone has a long and variable half-life, and peak respiratory depressant effect occurs later and lasts longer than peak analgesic effect.',
  source: `${CDC_2022_CITATION}, MME conversion factor table, p42`,
  quotation: true,
};

/** Recommendation 8 (box, p40) and its 50 MME/day precaution (p14). */
export const OFFER_NALOXONE: GuidelineWords = {
  text: 'Clinicians should work with patients to incorporate into the management plan strategies to mitigate risk, including offering naloxone. If a patient’s opioid dosage for all sources of opioids reaches or exceeds 50 MME/day, clinicians should implement additional precautions, including increased frequency of follow-up, and offer naloxone and overdose prevention education to both the patient and the patient’s household members.',
  source: `${CDC_2022_CITATION}, Recommendation 8, p14 and p40`,
  quotation: true,
};

/** Recommendation 11 (p25). */
export const CONCURRENT_BENZODIAZEPINES: GuidelineWords = {
  text: 'Clinicians should use particular caution when prescribing opioid pain medication and benzodiazepines concurrently and consider whether benefits outweigh risks of concurrent prescribing of opioids and other central nervous system depressants.',
  source: `${CDC_2022_CITATION}, Recommendation 11, p25`,
  quotation: true,
};
