import { ACTING_ROLE_LABELS, actingRole } from './acting-role';
import { COUNTRY_CODES, COUNTRY_OPTIONS, countryName, countryProblem, isCountryCode } from './countries';
import { CASE_EVENT_LABELS, TIMER_KIND_LABELS, wordsFor } from './case-event-labels';
import { CONDITION_KIND_LABELS } from './action-schemas';
import { assessmentProblems } from './export-control';
import { answerProblems } from './questionnaire';

describe('the role someone acted in (timeline and notes)', () => {
  it('is the researcher on their own case, whatever else they hold', () => {
    expect(actingRole('submit', ['researcher', 'department_head'], true)).toBe('researcher');
    expect(actingRole('add_note', ['rsdo_officer'], true)).toBe('researcher');
  });
  it('names the signer: the head, the lead, or a delegate who is only a researcher', () => {
    expect(actingRole('endorse', ['researcher', 'department_head'], false)).toBe('department_head');
    expect(actingRole('endorse', ['rsdo_lead'], false)).toBe('rsdo_lead');
    expect(actingRole('decline', ['researcher'], false)).toBe('signing_delegate');
    expect(ACTING_ROLE_LABELS.signing_delegate).toBe("Department head's delegate");
  });
  it('otherwise the most specific staff role', () => {
    expect(actingRole('triage', ['rsdo_officer', 'rsdo_lead'], false)).toBe('rsdo_lead');
    expect(actingRole('complete_export_review', ['rsdo_officer', 'export_control'], false)).toBe('export_control');
    expect(actingRole('add_note', ['admin'], false)).toBe('admin');
  });
});

describe('one country list (ISO 3166-1 alpha-2)', () => {
  it('knows real codes and refuses made-up, lower-case and non-string ones', () => {
    expect(COUNTRY_CODES.length).toBeGreaterThan(240);
    for (const c of ['GB', 'CN', 'US', 'IR', 'KP']) expect(isCountryCode(c)).toBe(true);
    for (const c of ['ZZ', 'XX', 'gb', 'GBR', '', 42, null]) expect(isCountryCode(c)).toBe(false);
    expect(countryName('GB')).toBe('United Kingdom');
    expect(COUNTRY_OPTIONS.find((o) => o.value === 'CN')?.label).toBe("People's Republic of China");
  });
  it('says which field is wrong in a sentence', () => {
    expect(countryProblem('country', 'ZZ')).toBe('country: "ZZ" is not an ISO 3166-1 country code; use a two-letter code in capitals, such as GB or CN.');
    expect(countryProblem('country', 'GB')).toBeNull();
  });
  it('is what the questionnaire and the export assessment check', () => {
    const problems = answerProblems({
      partners: [{ name: 'Acme', country: 'ZZ', type: 'company' }],
      funders: [{ name: 'F', country: 'QQ', type: 'industry' }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'partners[0].country', message: expect.stringContaining('"ZZ" is not an ISO 3166-1 country code') }),
        expect.objectContaining({ field: 'funders[0].country', message: expect.stringContaining('"QQ" is not an ISO 3166-1 country code') }),
      ]),
    );
    const a = assessmentProblems({
      assessment: 'x',
      outcome: 'not_controlled',
      items: [{ description: 'd', destinationCountry: 'ZZ', notListed: true }],
    } as never);
    expect(a).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'items[0].destinationCountry' })]));
  });
});

describe('sentence-case words (no raw keys)', () => {
  it('labels the issue named', () => {
    expect(TIMER_KIND_LABELS.sla_escalation).toBe('SLA escalation');
    expect(TIMER_KIND_LABELS.re_review).toBe('Re-review');
    expect(CONDITION_KIND_LABELS.segregated_it).toBe('Segregated IT');
    expect(CASE_EVENT_LABELS.clear_flag).toBe('Flag cleared');
  });
  it('falls back to words for a key no table knows', () => {
    expect(wordsFor(TIMER_KIND_LABELS, 'custom_chase')).toBe('Custom chase');
    expect(wordsFor(TIMER_KIND_LABELS, 'toString')).toBe('ToString');
  });
});
