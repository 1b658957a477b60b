/**
 * The sandbox's seed agrees with itself whatever day it starts on: cohort names say the weekday
 * their sessions fall on, the referred patients were screened before they were referred, and no
 * two people share a name or are spelt two ways.
 */
import type {
  Appointment,
  Group,
  HumanName,
  Patient,
  Practitioner,
  QuestionnaireResponse,
  Resource,
  ServiceRequest,
} from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readScreenings } from '../../../src/domain/screening/screening.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';

const ofType = <T extends Resource>(resources: readonly Resource[], type: T['resourceType']) =>
  resources.filter((r): r is T => r.resourceType === type);

/** Seven start days in a row: every weekday once. */
const START_DAYS = [21, 22, 23, 24, 25, 26, 27].map(
  (d) => new Date(`2026-11-${String(d)}T19:35:00Z`),
);

describe('the seeded cohorts', () => {
  it.each(START_DAYS)(
    'name the month and weekday of their sessions when the sandbox starts %s',
    (asOf) => {
      const { resources } = generateSeed({ asOf });
      const groups = ofType<Group>(resources, 'Group').filter((g) => g.id?.startsWith('cohort-'));
      expect(groups.map((g) => g.id).sort()).toEqual([
        'cohort-completed',
        'cohort-recruiting',
        'cohort-running',
      ]);
      const appointments = ofType<Appointment>(resources, 'Appointment');
      for (const group of groups) {
        const starts = appointments
          .filter((a) => a.id?.startsWith(`${group.id ?? ''}-session-`))
          .map((a) => a.start ?? '');
        expect(starts).toHaveLength(8);
        // The clinic's weekday (the patients live in Massachusetts), not the code's own rule.
        const weekdays = new Set(
          starts.map((s) =>
            new Date(s).toLocaleDateString('en-US', {
              weekday: 'long',
              timeZone: 'America/New_York',
            }),
          ),
        );
        expect(weekdays.size).toBe(1);
        const [weekday] = [...weekdays];
        expect(group.name).toContain(` ${weekday ?? '?'} `);
        // Named for the month of its first session (a fixed season was wrong most of the year).
        const month = new Date(starts.sort()[0] ?? '').toLocaleDateString('en-US', {
          month: 'long',
          timeZone: 'America/New_York',
        });
        expect(group.name).toBe(`${month} ${weekday ?? '?'} group`);
      }
    },
  );
});

describe('the referred patients', () => {
  const asOf = new Date('2026-11-21T19:35:00Z');
  const { resources } = generateSeed({ asOf });
  it.each(['referred-followup', 'in-programme'])(
    '%s was screened on the day of the referral, before it, and the referral cites the screening',
    (id) => {
      const mine = resources.filter(
        (r) => (r as { subject?: { reference?: string } }).subject?.reference === `Patient/${id}`,
      );
      const screenings = readScreenings(
        ofType<QuestionnaireResponse>(mine, 'QuestionnaireResponse'),
      );
      expect(screenings).toHaveLength(1);
      const [request] = ofType<ServiceRequest>(mine, 'ServiceRequest');
      const screened = screenings[0]?.authored ?? '';
      const referred = request?.authoredOn ?? '';
      expect(screened.slice(0, 10)).toBe(referred.slice(0, 10));
      expect(Date.parse(screened)).toBeLessThan(Date.parse(referred));
      expect(request?.supportingInfo?.map((s) => s.reference)).toContain(
        `QuestionnaireResponse/${id}-screening`,
      );
    },
  );
});

describe('the people of the seed', () => {
  const { resources } = generateSeed({ asOf: new Date('2026-11-21T19:35:00Z') });
  const text = (name: HumanName | undefined) =>
    [...(name?.given ?? []), name?.family ?? ''].join(' ');

  it('gives every patient and staff member a name of their own', () => {
    const names = [
      ...ofType<Patient>(resources, 'Patient').map((p) => text(p.name?.[0])),
      ...ofType<Practitioner>(resources, 'Practitioner').map((p) => text(p.name?.[0])),
    ];
    expect(names.length).toBeGreaterThan(10);
    expect(new Set(names).size).toBe(names.length);
  });

  it('spells Dr. Elena Morgan one way, as her Practitioner record does', () => {
    const all = JSON.stringify(resources);
    expect(all).toContain('Dr. Elena Morgan');
    expect(all).not.toMatch(/Dr Elena Morgan/);
  });
});
