/**
 * The NLM attribution that must accompany the RxNorm opioid table (opioidTable.generated.ts)
 * wherever it is shipped or its results are shown. On its own so a screen can show it without
 * loading the table.
 */
export const NLM_ATTRIBUTION =
  'This product uses publicly available data courtesy of the U.S. National Library of Medicine (NLM), National Institutes of Health, Department of Health and Human Services; NLM is not responsible for the product and does not endorse or recommend this or any other product.';
