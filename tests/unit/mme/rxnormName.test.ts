import { describe, expect, it } from 'vitest';
import { parseRxNormName } from '../../../src/domain/mme/rxnormName.ts';

describe('reading RxNorm normalized names', () => {
  it('reads "oxycodone hydrochloride 5 MG Oral Tablet" as 5 mg oxycodone per oral tablet', () => {
    expect(parseRxNormName('oxycodone hydrochloride 5 MG Oral Tablet')).toEqual({
      kind: 'parsed',
      components: [{ text: 'oxycodone hydrochloride', strength: 5, unit: 'mg' }],
      doseFormName: 'Oral Tablet',
      durationHours: 0,
    });
  });

  it('reads "72 HR fentanyl 0.025 MG/HR Transdermal System" as a 72-hour 0.025 mg/hr patch', () => {
    expect(parseRxNormName('72 HR fentanyl 0.025 MG/HR Transdermal System')).toEqual({
      kind: 'parsed',
      components: [{ text: 'fentanyl', strength: 0.025, unit: 'mg/hr' }],
      doseFormName: 'Transdermal System',
      durationHours: 72,
    });
  });

  it('reads both ingredients of "acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet"', () => {
    expect(
      parseRxNormName('acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet'),
    ).toEqual({
      kind: 'parsed',
      components: [
        { text: 'acetaminophen', strength: 325, unit: 'mg' },
        { text: 'hydrocodone bitartrate', strength: 5, unit: 'mg' },
      ],
      doseFormName: 'Oral Tablet',
      durationHours: 0,
    });
  });

  it.each([
    ['morphine sulfate 2 MG/ML Oral Solution [Roxanol]', 2, 'mg/mL', 'Oral Solution'],
    ['buprenorphine 0.075 MG/ACTUAT Buccal Film', 0.075, 'mg/actuat', 'Buccal Film'],
    ['fentanyl 25 MCG/HR Transdermal Patch', 0.025, 'mg/hr', 'Transdermal Patch'],
    ['Oxycodone HCl 5mg Oral Tablet', 5, 'mg', 'Oral Tablet'],
    ['1 ML morphine sulfate 4 MG/ML Injection', 4, 'mg/mL', 'Injection'],
  ])('reads %s', (name, strength, unit, form) => {
    const parsed = parseRxNormName(name);
    expect(parsed).toMatchObject({ kind: 'parsed', doseFormName: form });
    expect(parsed.kind === 'parsed' ? parsed.components.at(-1) : undefined).toMatchObject({
      strength,
      unit,
    });
  });

  it('reads "7 DAY" as 168 hours of wear', () => {
    expect(parseRxNormName('7 DAY buprenorphine 0.01 MG/HR Transdermal System')).toMatchObject({
      durationHours: 168,
    });
  });

  it.each(['Percocet', '', '{2 (fentanyl 0.6 MG/ACTUAT Mucosal Spray) } Pack', 'x'.repeat(500)])(
    'does not pretend to read %j',
    (name) => {
      expect(parseRxNormName(name).kind).toBe('unparseable');
    },
  );
});
