import { readdirSync } from 'node:fs';
import { AnalyticsEngine } from './src/fhir/analytics/engine.ts';
import { PatientResourceSource } from './src/fhir/analytics/patientResources.ts';
const dir = '/tmp/rs/d1m';
const files = readdirSync(dir).map((f) => `${dir}/${f}`);
const e = await AnalyticsEngine.open({ memoryLimit: process.argv[2] ?? '600MB' });
const src = new PatientResourceSource(e, files);
const keyed = (src as unknown as { keyed(): string }).keyed();
for (const [label, sql] of [
  ['count', `SELECT count(*) FROM (${keyed})`],
  ['table', `CREATE TEMP TABLE rel AS ${keyed}`],
  ['sort', `CREATE TEMP TABLE srt AS SELECT * FROM rel ORDER BY patient`],
]) {
  const s = performance.now();
  try { await e.run(sql!); console.log(label, ((performance.now() - s) / 1000).toFixed(2), (process.memoryUsage().rss / 1e6).toFixed(0)); } catch (err) { console.log(label, String(err).slice(0, 100)); }
}
await e.close();
