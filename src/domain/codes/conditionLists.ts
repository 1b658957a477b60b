/**
 * The chart code lists a Condition can match, and the plain clinical words shown for each. On
 * their own (not in codeLists.ts, which gathers every table and its source for the README), so a
 * screen that names a list does not carry every table.
 */
/** Which code list a Condition matched. */
export type ConditionList =
  | 'low-back-pain'
  | 'chronic-pain'
  | 'cancer-history'
  | 'metastatic-cancer'
  | 'immunosuppression'
  | 'immunosuppressive-drugs'
  | 'iv-drug-use'
  | 'vertebral-fracture'
  | 'spinal-infection'
  | 'cauda-equina-syndrome'
  | 'osteoporosis'
  | 'pregnancy';

/** Plain clinical words for each chart code list, for text a clinician reads. */
export const CONDITION_LIST_LABELS: Readonly<Record<ConditionList, string>> = {
  'low-back-pain': 'low back pain',
  'chronic-pain': 'chronic pain',
  'cancer-history': 'history of cancer',
  'metastatic-cancer': 'metastatic cancer',
  immunosuppression: 'immunosuppression',
  'immunosuppressive-drugs': 'immunosuppressive drugs',
  'iv-drug-use': 'intravenous drug use',
  'vertebral-fracture': 'vertebral fracture or spinal cord injury',
  'spinal-infection': 'spinal infection',
  'cauda-equina-syndrome': 'cauda equina syndrome',
  osteoporosis: 'osteoporosis',
  pregnancy: 'pregnancy',
};
