import { OutboxMessage } from '@app/domain';
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
    [ev('endorse', 'head_sign_off', 'lead_review'), ['assignee:sign-off-endorsed', 'owner:sign-off-endorsed', 'rsdo-leads:lead-review-requested']],
    [ev('endorse', 'head_sign_off', 'approved'), ['owner:case-closed', 'actors:case-closed']],
    [ev('approve', 'lead_review', 'approved'), ['owner:case-closed', 'actors:case-closed']],
    [ev('start_export_review', 'triaged', 'export_review'), ['export-officers:export-review-requested']],
    [ev('complete_export_review', 'export_review', 'triaged'), ['assignee:export-review-completed']],
    [ev('screening_hit', 'triaged', 'triaged'), ['assignee-or-officers:screening-hit']],
    [{ topic: 'daily-digest', payload: { userIds: ['u'] } }, ['payload-users:daily-digest']],
    [ev('decline', 'head_sign_off', 'triaged'), ['assignee:sign-off-declined', 'owner:sign-off-declined']],
    [ev('reject', 'triaged', 'rejected'), ['owner:case-closed', 'actors:case-closed']],
    [ev('withdraw', 'submitted', 'withdrawn'), ['owner:case-closed', 'actors:case-closed']],
    [ev('assign', 'triaged', 'triaged'), ['new-assignee:case-assigned']],
    [ev('triage', 'submitted', 'triaged'), []],
    [{ topic: 'case-message', payload: {} }, ['other-party:case-message']],
    [{ topic: 'user-invited', payload: {} }, ['invited-user:user-invited']],
    [{ topic: 'timer-fired', payload: {} }, ['assignee-or-officers:timer-reminder']],
    [{ topic: 'timer-fired', payload: { kind: 'triage_reminder', step: 'reminder' } }, ['assignee-or-officers:timer-reminder']],
    [{ topic: 'timer-fired', payload: { kind: 'sla_escalation', step: 'escalation', userIds: ['u'] } }, ['payload-users:sla-escalation']],
    [{ topic: 'timer-fired', payload: { kind: 'information_reminder' } }, ['owner:information-reminder']],
    [{ topic: 'timer-fired', payload: { kind: 'information_due' } }, ['asker:information-lapsed']],
    [{ topic: 'timer-fired', payload: { kind: 're_review' } }, ['owner:re-review-due', 'assignee-or-officers:re-review-due']],
    [{ topic: 'timer-fired', payload: { kind: 'licence_expiry' } }, ['assignee-or-officers:licence-expiring', 'owner:licence-expiring']],
  ])('%j', (message, expected) => {
    // Payloads are cut down to what the rules read; the relay checks whole ones (parseOutboxMessage).
    expect(mailRulesFor(message as unknown as OutboxMessage).map((r) => `${r.audience}:${r.template}`)).toEqual(expected);
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
