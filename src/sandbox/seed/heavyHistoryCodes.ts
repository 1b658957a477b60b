/**
 * Vital-sign and laboratory LOINC codes with UCUM units (FHIR R4 Vital Signs profile, LOINC) and
 * plausible adult ranges that only shape synthetic values; they are not reference ranges.
 */
export interface Measure {
  loinc: string;
  display: string;
  unit: string;
  min: number;
  max: number;
  decimals: number;
}

const m = (
  loinc: string,
  display: string,
  unit: string,
  min: number,
  max: number,
  decimals = 0,
): Measure => ({
  loinc,
  display,
  unit,
  min,
  max,
  decimals,
});

export const BLOOD_PRESSURE = {
  panel: { loinc: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: m('8480-6', 'Systolic blood pressure', 'mm[Hg]', 118, 152),
  diastolic: m('8462-4', 'Diastolic blood pressure', 'mm[Hg]', 70, 94),
} as const;

/** One of each per visit, besides the blood pressure panel. */
export const VITALS: readonly Measure[] = [
  m('8867-4', 'Heart rate', '/min', 58, 92),
  m('9279-1', 'Respiratory rate', '/min', 12, 20),
  m('8310-5', 'Body temperature', 'Cel', 36.2, 37.4, 1),
  m('29463-7', 'Body weight', 'kg', 86, 94, 1),
  m('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%', 94, 99),
  m('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 28.5, 31, 1),
];

export const HEIGHT = m('8302-2', 'Body height', 'cm', 177, 178, 1);

/** A basic metabolic panel, liver enzymes and a blood count, drawn at every other visit. */
export const LABS: readonly Measure[] = [
  m('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 88, 168),
  m('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 0.8, 1.3, 2),
  m('3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'mg/dL', 9, 24),
  m('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 136, 145),
  m('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 3.6, 5.1, 1),
  m('2075-0', 'Chloride [Moles/volume] in Serum or Plasma', 'mmol/L', 98, 107),
  m('2028-9', 'Carbon dioxide, total [Moles/volume] in Serum or Plasma', 'mmol/L', 22, 29),
  m('17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'mg/dL', 8.7, 10.2, 1),
  m(
    '1742-6',
    'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    'U/L',
    12,
    48,
  ),
  m(
    '1920-8',
    'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    'U/L',
    14,
    40,
  ),
  m('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 13.2, 16.4, 1),
  m('4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', '%', 39, 48, 1),
  m('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 4.2, 9.8, 1),
  m('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 170, 360),
];

/** Every 90 days. */
export const HBA1C = m('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 6.4, 7.8, 1);

/** Yearly. */
export const LIPIDS: readonly Measure[] = [
  m('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 160, 230),
  m('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 36, 58),
  m(
    '13457-7',
    'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
    'mg/dL',
    80,
    150,
  ),
  m('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', 90, 220),
];
