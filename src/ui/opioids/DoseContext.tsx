import {
  riskPromptText,
  SUBSTANCE_USE_CHECKED,
  trajectoryText,
} from '../../domain/mme/doseChangeText.ts';
import {
  CONCURRENT_BENZODIAZEPINES,
  NO_ABRUPT_STOP,
  OFFER_NALOXONE,
  SHORTER_USE,
  TAPER_RATE,
  type GuidelineWords,
} from '../../domain/mme/guidelineWords.ts';
import { formatNumber } from '../../domain/mme/format.ts';
import type {
  MmeSummary,
  OpioidRecord,
  OpioidRiskContext,
  RiskPrompt,
} from '../../domain/mme/mme.ts';

/** The guideline's words in quotation marks; the project's own summary of them without. */
function Quote({ words }: { words: GuidelineWords }) {
  return words.quotation ? (
    <blockquote className="guideline">
      “{words.text}” <cite>{words.source}</cite>
    </blockquote>
  ) : (
    <p className="guideline" data-testid="guideline-summary">
      {words.text} <cite>{words.source}</cite>
    </p>
  );
}

const opioidLine = (r: OpioidRecord): string =>
  `${r.label}${r.mmePerDay === null ? ' (not in the total)' : ` (${formatNumber(r.mmePerDay)} MME/day)`} — ${r.reference ?? 'no id'}`;

/** The records a prompt rests on, one line each. */
function records(prompt: RiskPrompt): string[] {
  switch (prompt.kind) {
    case 'offer-naloxone':
      return prompt.reasons.flatMap((reason) => {
        switch (reason.kind) {
          case 'dose':
            return reason.records.map(opioidLine);
          case 'benzodiazepine':
            return reason.records.map((r) => `${r.label} — ${r.reference ?? 'no id'}`);
          case 'opioid-use-disorder':
            return reason.conditions.map(
              (c) => `${c.display ?? c.code} — ${c.reference ?? 'no id'}`,
            );
        }
      });
    case 'concurrent-benzodiazepine':
      return [
        ...prompt.benzodiazepines.map(
          (r) =>
            `${r.label} (${r.status ?? 'no status'}, ${r.interval.start ?? '?'} – ${r.interval.end ?? 'ongoing'}) — ${r.reference ?? 'no id'}`,
        ),
        ...prompt.opioids.map(opioidLine),
      ];
  }
}

/** The dose trajectory in the guideline's terms, and the risk prompts beside the dose. */
export function DoseContext(props: { summary: MmeSummary; risk: OpioidRiskContext }) {
  const { trajectory } = props.summary;
  const faster = trajectory.kind !== 'no-opioids' && trajectory.fasterThanUsualTaper;
  return (
    <>
      <div
        className={faster ? 'trajectory notice' : 'trajectory'}
        data-testid="mme-trajectory"
        data-kind={trajectory.kind}
        data-faster={faster ? 'true' : 'false'}
      >
        <p>{trajectoryText(trajectory)}</p>
        {faster && (
          <>
            <Quote words={TAPER_RATE} />
            {trajectory.startedWithinWindows && <Quote words={SHORTER_USE} />}
            <Quote words={NO_ABRUPT_STOP} />
          </>
        )}
      </div>
      {props.risk.prompts.map((prompt) => (
        <div key={prompt.kind} className="risk notice" data-testid={`risk-${prompt.kind}`}>
          <p>
            <strong>{riskPromptText(prompt)}</strong>
          </p>
          {records(prompt).length > 0 && (
            <ul>
              {records(prompt).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          {prompt.kind === 'offer-naloxone' && (
            <p data-testid="naloxone-substance-use-checked">{SUBSTANCE_USE_CHECKED}</p>
          )}
          <Quote
            words={prompt.kind === 'offer-naloxone' ? OFFER_NALOXONE : CONCURRENT_BENZODIAZEPINES}
          />
        </div>
      ))}
      {props.risk.naloxone.length > 0 && (
        <p data-testid="naloxone-on-record">
          Naloxone on record:{' '}
          {props.risk.naloxone
            .map((r) => `${r.label} (${r.interval.start ?? 'date unknown'})`)
            .join('; ')}
          .
        </p>
      )}
    </>
  );
}
