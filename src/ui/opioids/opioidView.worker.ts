/**
 * Computes the opioids (opioidView.ts: the pathway's MME overview and the section's view) off the
 * main thread: on a long chart, MME for a thousand orders, the two-year series and the risk context
 * take longer than one frame should.
 */
import { computeOpioids } from './opioidView.ts';
import type { OpioidViewRequest } from './useOpioidView.ts';

self.onmessage = (event: MessageEvent<OpioidViewRequest>) => {
  const { id, input } = event.data;
  const computed = computeOpioids(input.records, input.conditions, new Date(input.asOf));
  self.postMessage({ id, computed });
};
