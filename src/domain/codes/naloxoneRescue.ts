/**
 * Naloxone meant for overdose reversal: the products that count as "naloxone on hand" for the
 * naloxone prompt (CDC 2022 Recommendation 8: "offering naloxone" to reverse an overdose).
 *
 * The CDC value set `naloxone-medications` (NALOXONE_MEDICATIONS) is "All naloxone medications":
 * it also holds buprenorphine/naloxone (Suboxone, Zubsolv, Bunavail) and naloxone/pentazocine,
 * where naloxone is an abuse deterrent taken with the opioid, not a rescue dose. This table is the
 * subset of that expansion (2025-02-24) whose only ingredient is naloxone: injections, prefilled
 * syringes, auto-injectors and nasal sprays (RxNorm SCD/SBD names). A combination product never
 * counts. A naloxone product newer than the expansion is missing: the prompt then still shows
 * (the safer side). Project table derived from the CDC value set — *verify* (README).
 */
import type { CdcValueSet } from './cdcValueSets.generated.ts';
import { NALOXONE_MEDICATIONS } from './cdcValueSets.generated.ts';
import { RXNORM_SYSTEM } from '../fhir-primitives/codings.ts';

export const NALOXONE_RESCUE_MEDICATIONS: CdcValueSet = {
  url: `${NALOXONE_MEDICATIONS.url}#naloxone-alone`,
  title: 'Naloxone alone (overdose reversal), from the CDC naloxone-medications value set',
  expansion: NALOXONE_MEDICATIONS.expansion,
  codes: [
    [
      RXNORM_SYSTEM,
      [
        '1191212', // naloxone hydrochloride 0.02 MG/ML Injectable Solution
        '1191222', // naloxone hydrochloride 0.4 MG/ML Injectable Solution
        '1191228', // naloxone hydrochloride 1 MG/ML Injectable Solution
        '1191234', // 1 ML naloxone hydrochloride 0.4 MG/ML Cartridge
        '1191250', // 2 ML naloxone hydrochloride 1 MG/ML Prefilled Syringe
        '1659929', // 1 ML naloxone hydrochloride 0.4 MG/ML Injection
        '1725059', // naloxone hydrochloride 40 MG/ML Nasal Spray
        '1725064', // naloxone hydrochloride 40 MG/ML Nasal Spray [Narcan]
        '1855730', // 0.4 ML naloxone hydrochloride 5 MG/ML Auto-Injector
        '1870933', // naloxone hydrochloride 20 MG/ML Nasal Spray
        '1870935', // naloxone hydrochloride 20 MG/ML Nasal Spray [Narcan]
        '2540703', // naloxone hydrochloride 80 MG/ML Nasal Spray
        '2540709', // naloxone hydrochloride 80 MG/ML Nasal Spray [Kloxxado]
        '2589612', // 0.5 ML naloxone hydrochloride 10 MG/ML Prefilled Syringe
        '2589618', // 0.5 ML naloxone hydrochloride 10 MG/ML Prefilled Syringe [Zimhi]
        '2596175', // 0.4 ML naloxone hydrochloride 25 MG/ML Auto-Injector
        '2637879', // naloxone hydrochloride 16 MG/ML Nasal Spray
        '2673091', // naloxone hydrochloride 30 MG/ML Nasal Spray
        '2679504', // 1 ML naloxone hydrochloride 0.4 MG/ML Prefilled Syringe
        '2680741', // naloxone hydrochloride 16 MG/ML Nasal Spray [Rextovy]
        '2685612', // naloxone hydrochloride 100 MG/ML Nasal Spray
      ],
    ],
  ],
};
