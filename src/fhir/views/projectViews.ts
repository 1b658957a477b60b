/**
 * The project's ViewDefinitions (views/*.json, SQL on FHIR v2 shareable): what `clbp outcomes`
 * reads from a FHIR export, as flat tables any SQL on FHIR runner (DuckDB here; Pathling on Spark,
 * BigQuery runners) produces alike. Printed by `clbp views`.
 */
import condition from '../../../views/clbp_condition.json' with { type: 'json' };
import groupMember from '../../../views/clbp_group_member.json' with { type: 'json' };
import medicationRequest from '../../../views/clbp_medication_request.json' with { type: 'json' };
import medicationStatement from '../../../views/clbp_medication_statement.json' with { type: 'json' };
import patient from '../../../views/clbp_patient.json' with { type: 'json' };
import pegObservation from '../../../views/clbp_peg_observation.json' with { type: 'json' };
import pegQuestionnaireItem from '../../../views/clbp_peg_questionnaire_item.json' with { type: 'json' };
import questionnaireAnswer from '../../../views/clbp_questionnaire_answer.json' with { type: 'json' };
import referral from '../../../views/clbp_referral.json' with { type: 'json' };
import referralTask from '../../../views/clbp_referral_task.json' with { type: 'json' };
import type { ViewDefinition } from './viewDefinition.ts';

interface ProjectView extends ViewDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
}

/** Every project view, in the order the analysis reads them. */
export const PROJECT_VIEWS: readonly ProjectView[] = [
  patient,
  pegQuestionnaireItem,
  questionnaireAnswer,
  pegObservation,
  referral,
  referralTask,
  medicationStatement,
  medicationRequest,
  groupMember,
  condition,
] as ProjectView[];

export function projectView(name: string): ProjectView | undefined {
  return PROJECT_VIEWS.find((view) => view.name === name);
}
