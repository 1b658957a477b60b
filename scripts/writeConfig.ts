/**
 * `npm run config`: writes dist/config.json (the app's per-EHR launch configuration, read by the
 * browser at run time) from the CLBP_* environment variables documented in .env.example. A
 * deployment runs it after the build, or edits dist/config.json by hand; no rebuild is needed.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';
import { appConfigFromEnv, parseAppConfig } from '../src/fhir/appConfig.ts';
import { contentSecurityPolicy } from '../src/sandbox/appServer.ts';

const config = appConfigFromEnv(process.env, { clientId: 'clbp-pathway' });
parseAppConfig(config);
const out = resolve(import.meta.dirname, '../dist/config.json');
writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
console.log(`wrote ${out}:\n${JSON.stringify(config, null, 2)}`);
// The web server that serves dist/ must send the policy the sandbox sends (it names the EHRs).
console.log(
  `\nHave the web server send with every file of dist/:\nContent-Security-Policy: ${contentSecurityPolicy(config)}\n` +
    "(add the origin of the EHR's token endpoint to connect-src when it is not the FHIR server's)",
);
