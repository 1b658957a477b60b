import type { QuestionnaireItem, QuestionnaireItemAnswerOption } from 'fhir/r4';
import { Fragment, type ReactNode } from 'react';
import type { FormAnswer, FormAnswers } from '../../fhir/questionnaireAnswers.ts';

const ITEM_CONTROL = 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl';
const ORIENTATION = 'http://hl7.org/fhir/StructureDefinition/questionnaire-choiceOrientation';

function itemControl(item: QuestionnaireItem): string | undefined {
  return item.extension?.find((e) => e.url === ITEM_CONTROL)?.valueCodeableConcept?.coding?.[0]
    ?.code;
}

/** The SDC lower/upper anchor texts of a scale item ("No pain" … "Pain as bad as you can imagine"). */
function anchors(item: QuestionnaireItem): {
  lower?: QuestionnaireItem;
  upper?: QuestionnaireItem;
} {
  const children = item.item ?? [];
  const lower = children.find((c) => c.type === 'display' && itemControl(c) === 'lower');
  const upper = children.find((c) => c.type === 'display' && itemControl(c) === 'upper');
  return { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
}

const domId = (prefix: string, linkId: string): string =>
  `${prefix}-${linkId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

interface FormProps {
  readonly items: readonly QuestionnaireItem[];
  readonly answers: FormAnswers;
  readonly onAnswer: (linkId: string, answer: FormAnswer) => void;
  /** Values of read-only calculated items, already formatted, by linkId. */
  readonly calculated?: Readonly<Record<string, string>>;
  readonly disabled?: boolean;
  /** Prefix for element ids, so two forms on one page do not clash. */
  readonly idPrefix: string;
  /** Content shown right after the item with this linkId (e.g. an urgent alert after a group). */
  readonly after?: Readonly<Record<string, ReactNode>>;
  /**
   * Groups (by linkId) that offer one "none of these" answer: it answers "No" to each yes/no
   * question directly in the group (a nested group keeps its own), with this button text.
   */
  readonly noneOfThese?: Readonly<Record<string, string>>;
}

/** Marks a required question, for the eye and for a screen reader. */
function Required({ item }: { item: QuestionnaireItem }) {
  return item.required === true ? (
    <span className="required">
      <span aria-hidden="true"> *</span>
      <span className="visually-hidden"> (required)</span>
    </span>
  ) : null;
}

function optionLabel(option: QuestionnaireItemAnswerOption): string {
  return option.valueCoding?.display ?? option.valueCoding?.code ?? option.valueString ?? '';
}

function ChoiceItem({ item, props }: { item: QuestionnaireItem; props: FormProps }) {
  const { lower, upper } = anchors(item);
  const horizontal = item.extension?.find((e) => e.url === ORIENTATION)?.valueCode === 'horizontal';
  const selected = props.answers[item.linkId];
  const anchorId = domId(`${props.idPrefix}-anchors`, item.linkId);
  const name = domId(props.idPrefix, item.linkId);
  return (
    <fieldset
      className={horizontal ? 'choice scale' : 'choice'}
      aria-describedby={lower || upper ? anchorId : undefined}
    >
      <legend>
        {item.text}
        <Required item={item} />
      </legend>
      {(lower ?? upper) && (
        <p id={anchorId} className="anchors">
          {lower && <span>0 = {lower.text}</span>}
          {upper && <span>10 = {upper.text}</span>}
        </p>
      )}
      <div className="options">
        {(item.answerOption ?? []).map((option) => {
          const coding = option.valueCoding;
          if (coding?.code === undefined) {
            return null;
          }
          const id = `${name}-${coding.code}`;
          return (
            <label key={coding.code} htmlFor={id} className="option">
              <input
                type="radio"
                id={id}
                name={name}
                value={coding.code}
                checked={selected?.kind === 'coding' && selected.coding.code === coding.code}
                disabled={props.disabled}
                onChange={() => {
                  props.onAnswer(item.linkId, { kind: 'coding', coding });
                }}
              />
              <span>{optionLabel(option)}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

function BooleanItem({ item, props }: { item: QuestionnaireItem; props: FormProps }) {
  const selected = props.answers[item.linkId];
  const name = domId(props.idPrefix, item.linkId);
  return (
    <fieldset className="choice boolean">
      <legend>
        {item.text}
        <Required item={item} />
      </legend>
      <div className="options">
        {[true, false].map((value) => (
          <label key={String(value)} htmlFor={`${name}-${String(value)}`} className="option">
            <input
              type="radio"
              id={`${name}-${String(value)}`}
              name={name}
              checked={selected?.kind === 'boolean' && selected.value === value}
              disabled={props.disabled}
              onChange={() => {
                props.onAnswer(item.linkId, { kind: 'boolean', value });
              }}
            />
            <span>{value ? 'Yes' : 'No'}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Item({ item, props }: { item: QuestionnaireItem; props: FormProps }) {
  if (item.type === 'group') {
    const none = props.noneOfThese?.[item.linkId];
    const questions = (item.item ?? []).filter((child) => child.type === 'boolean');
    return (
      <fieldset className="group">
        <legend>{item.text}</legend>
        {none !== undefined && questions.length > 0 && (
          <button
            type="button"
            className="secondary none-of-these"
            data-none-of={item.linkId}
            disabled={props.disabled}
            onClick={() => {
              for (const question of questions) {
                props.onAnswer(question.linkId, { kind: 'boolean', value: false });
              }
            }}
          >
            {none}
          </button>
        )}
        <Items {...props} items={item.item ?? []} />
      </fieldset>
    );
  }
  if (item.type === 'display') {
    return itemControl(item) === undefined ? <p className="display">{item.text}</p> : null;
  }
  if (item.type === 'choice') {
    return <ChoiceItem item={item} props={props} />;
  }
  if (item.type === 'boolean') {
    return <BooleanItem item={item} props={props} />;
  }
  if (item.readOnly === true) {
    return (
      <p className="calculated">
        {item.text}: <output aria-live="polite">{props.calculated?.[item.linkId] ?? '—'}</output>
      </p>
    );
  }
  return <p className="unsupported">This form has an item the app cannot show ({item.type}).</p>;
}

function Items(props: FormProps) {
  return (
    <>
      {props.items.map((item) => (
        <Fragment key={item.linkId}>
          <Item item={item} props={props} />
          {props.after?.[item.linkId]}
        </Fragment>
      ))}
    </>
  );
}

/** Renders a Questionnaire's items as an accessible form: fieldsets, legends, labelled radios. */
export function QuestionnaireForm(props: FormProps) {
  return <Items {...props} />;
}
