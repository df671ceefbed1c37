import { mailRulesFor } from './recipients';
import { classifySmtpError } from './smtp-errors';
import { deliveryMessageId, subjectLine } from './message';

const ev = (action: string, fromState: string, toState: string) => ({ topic: 'case-event', payload: { action, fromState, toState } });

describe('who gets which email', () => {
  it.each([
    [ev('submit', 'draft', 'submitted'), ['owner:case-received', 'officers:case-to-triage']],
    [ev('request_information', 'triaged', 'awaiting_information'), ['owner:information-requested']],
    [ev('respond', 'awaiting_information', 'triaged'), ['asker:information-provided']],
    [ev('request_sign_off', 'triaged', 'head_sign_off'), ['signers:sign-off-requested']],
    [ev('endorse', 'head_sign_off', 'lead_review'), ['assignee:sign-off-endorsed', 'owner:sign-off-endorsed']],
    [ev('endorse', 'head_sign_off', 'approved'), ['owner:case-closed', 'assignee:case-closed']],
    [ev('decline', 'head_sign_off', 'triaged'), ['assignee:sign-off-declined', 'owner:sign-off-declined']],
    [ev('reject', 'triaged', 'rejected'), ['owner:case-closed', 'assignee:case-closed']],
    [ev('withdraw', 'submitted', 'withdrawn'), ['owner:case-closed', 'assignee:case-closed']],
    [ev('assign', 'triaged', 'triaged'), ['new-assignee:case-assigned']],
    [ev('triage', 'submitted', 'triaged'), []],
    [{ topic: 'case-message', payload: {} }, ['other-party:case-message']],
    [{ topic: 'user-invited', payload: {} }, ['invited-user:user-invited']],
    [{ topic: 'timer-fired', payload: {} }, ['assignee-or-officers:timer-reminder']],
  ])('%j', (message, expected) => {
    expect(mailRulesFor(message).map((r) => `${r.audience}:${r.template}`)).toEqual(expected);
  });
});

describe('SMTP failures', () => {
  it.each([
    [{ responseCode: 451, command: 'RCPT TO' }, 'retry'],
    [{ code: 'ECONNREFUSED' }, 'retry'],
    [{ code: 'ETIMEDOUT' }, 'retry'],
    [{ responseCode: 550, command: 'RCPT TO' }, 'reject-recipient'],
    [{ responseCode: 553, command: 'RCPT TO' }, 'reject-recipient'],
    [{ responseCode: 535, command: 'AUTH PLAIN' }, 'alarm'],
    [{ responseCode: 554, command: 'DATA' }, 'fail'],
    [{ responseCode: 550, command: 'DATA' }, 'fail'],
  ])('%j → %s', (err, verdict) => expect(classifySmtpError(err)).toBe(verdict));
});

describe('message identity', () => {
  it('is deterministic per delivery and prefixes the subject with the reference', () => {
    expect(deliveryMessageId('42', 'https://tr.example.ac.uk/app')).toBe('<delivery-42@tr.example.ac.uk>');
    expect(subjectLine('TR-2026-00042', 'Sign-off requested')).toBe('[TR-2026-00042] Sign-off requested');
  });
});
