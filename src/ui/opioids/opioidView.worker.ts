/**
 * Computes the opioid view (opioidView.ts) off the main thread: on a long chart, MME for a thousand
 * orders, the two-year series and the risk context take longer than one frame should.
 */
import { opioidView } from './opioidView.ts';
import type { OpioidViewRequest } from './useOpioidView.ts';

self.onmessage = (event: MessageEvent<OpioidViewRequest>) => {
  const { id, input } = event.data;
  const view = opioidView(input.records, input.included, input.conditions, new Date(input.asOf));
  self.postMessage({ id, view });
};
