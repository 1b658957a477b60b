/**
 * Prints the README's table of sandbox patients (src/sandbox/seed/patientTable.ts). Paste it under
 * "The sandbox's test patients" and run `npm run format`; a unit test checks they agree.
 *
 * Run: `npm run gen:patients`.
 */
import process from 'node:process';
import { patientTable } from '../src/sandbox/seed/patientTable.ts';

process.stdout.write(`${patientTable(new Date())}\n`);
