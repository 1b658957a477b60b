/**
 * The project's US Core conformance check: a resource the app wrote is checked against base R4
 * (medplum's validator: structure, cardinality, required bindings) and against the rules of every
 * profile it claims (profiles.ts: cardinality, required bindings, must-support present, reference
 * targets). A profile the checker does not know, a type with a US Core profile that claims none,
 * and a type it has no rules for are issues too, so a new kind of write cannot pass unchecked.
 */
import { validateResource } from '@medplum/core';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';
import type { Resource } from 'fhir/r4';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { baseBindingIssues, indexBaseDefinitions } from './baseBindings.ts';
import { indexDefinitions } from '../../../src/sandbox/fhir/searchParameters.ts';
import { PROFILES, UNPROFILED, type ProfileRules, type Rule } from './profiles.ts';

export interface ConformanceIssue {
  /** `Type/id` (or `Type` when the resource has no id). */
  readonly resource: string;
  readonly profile: string;
  readonly message: string;
}

const evaluate = (resource: Resource, path: string): unknown[] =>
  fhirpath.evaluate(resource, path, {}, r4) as unknown[];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function codingKey(value: unknown): string | undefined {
  return isRecord(value) && typeof value['system'] === 'string' && typeof value['code'] === 'string'
    ? `${value['system']}|${value['code']}`
    : undefined;
}

function inValueSet(key: string, codes: readonly string[]): boolean {
  const system = key.slice(0, key.lastIndexOf('|'));
  return codes.includes(key) || codes.includes(`${system}|*`);
}

function targetType(value: unknown): string | undefined {
  const reference = isRecord(value) ? value['reference'] : undefined;
  if (typeof reference !== 'string') {
    return undefined;
  }
  const parts = reference.split('/_history/')[0]?.split('/') ?? [];
  return parts.at(-2);
}

/** What is wrong with `resource` under one rule (empty when it holds). */
function breaches(resource: Resource, rule: Rule): string[] {
  switch (rule.kind) {
    case 'cardinality':
    case 'pattern': {
      const n = evaluate(resource, rule.path).length;
      const min = rule.min ?? 0;
      if (n < min || (rule.max !== undefined && n > rule.max)) {
        return [`${rule.path}: ${n} found, ${min}..${rule.max ?? '*'} required`];
      }
      return [];
    }
    case 'must-support': {
      if (rule.absentBecause !== undefined) {
        return [];
      }
      const applies = rule.when === undefined || evaluate(resource, rule.when)[0] === true;
      return applies && evaluate(resource, rule.path).length === 0
        ? [`${rule.path}: must-support element missing`]
        : [];
    }
    case 'binding': {
      const keys = evaluate(resource, rule.path).map(codingKey);
      const codes = rule.codes ?? [];
      const outside = keys.filter((k) => k !== undefined && !inValueSet(k, codes));
      if (rule.atLeastOne === true) {
        return keys.some((k) => k !== undefined && inValueSet(k, codes))
          ? []
          : [`${rule.path}: no coding from the bound value set (${codes.join(', ')})`];
      }
      return outside.map((k) => `${rule.path}: ${k} is not in the required value set`);
    }
    case 'reference':
      return evaluate(resource, rule.path).flatMap((value) => {
        const type = targetType(value);
        return type !== undefined && (rule.targets ?? []).includes(type)
          ? []
          : [
              `${rule.path}: refers to ${type ?? 'no resource'}, allowed ${(rule.targets ?? []).join('|')}`,
            ];
      });
  }
}

/**
 * Loads what the check reads (the R4 definitions, twice indexed): seconds on a loaded machine, so a
 * test file calls it in beforeAll rather than paying it inside its first test's time limit.
 */
export function prepareConformanceCheck(): void {
  indexDefinitions();
  indexBaseDefinitions();
}

function baseIssues(resource: Resource): string[] {
  indexDefinitions();
  let structural: string[];
  try {
    structural = validateResource(resource as MedplumResource)
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.expression?.join(', ') ?? ''}: ${i.details?.text ?? i.code}`);
  } catch (error) {
    structural = [error instanceof Error ? error.message : String(error)];
  }
  return [...structural, ...baseBindingIssues(resource)];
}

/** Every conformance issue of one written resource. */
export function checkConformance(resource: Resource): ConformanceIssue[] {
  const name =
    resource.id === undefined ? resource.resourceType : `${resource.resourceType}/${resource.id}`;
  const issue = (profile: string) => (message: string) => ({ resource: name, profile, message });
  const issues: ConformanceIssue[] = baseIssues(resource).map(issue('FHIR R4'));
  const claimed = resource.meta?.profile ?? [];
  const rules: ProfileRules[] = [];
  for (const url of claimed) {
    const profile = PROFILES.find((p) => p.url === url.split('|')[0]);
    if (profile === undefined) {
      issues.push(issue(url)('claims a profile the conformance check has no rules for'));
    } else if (profile.resourceType !== resource.resourceType) {
      issues.push(
        issue(url)(`a ${profile.resourceType} profile claimed by a ${resource.resourceType}`),
      );
    } else {
      rules.push(profile);
    }
  }
  if (rules.length === 0) {
    const profiled = PROFILES.some((p) => p.resourceType === resource.resourceType);
    const fallback = UNPROFILED.find(
      (p) =>
        p.resourceType === resource.resourceType &&
        (p.appliesTo === undefined || evaluate(resource, p.appliesTo)[0] === true),
    );
    if (profiled && claimed.length === 0) {
      issues.push(issue('none')('claims no profile although the check knows one for its type'));
    } else if (fallback !== undefined) {
      rules.push(fallback);
    } else if (claimed.length === 0) {
      issues.push(
        issue('none')(`no rules for ${resource.resourceType}: add its profile to the check`),
      );
    }
  }
  for (const profile of rules) {
    issues.push(
      ...profile.rules.flatMap((rule) => breaches(resource, rule)).map(issue(profile.title)),
    );
  }
  return issues;
}

/** The must-support elements a profile lets the app leave out, and why (for the README). */
export function allowedAbsences(): { profile: string; path: string; why: string }[] {
  return [...PROFILES, ...UNPROFILED].flatMap((p) =>
    p.rules.flatMap((r) =>
      r.absentBecause === undefined
        ? []
        : [{ profile: p.title, path: r.path, why: r.absentBecause }],
    ),
  );
}
