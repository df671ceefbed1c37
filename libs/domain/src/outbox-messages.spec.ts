import { sealSecret } from './sealed-secret';
import { InvalidOutboxMessageError, OUTBOX_TOPICS, parseOutboxMessage } from './outbox-messages';

describe('outbox messages are re-checked when read', () => {
  const caseEvent = { action: 'submit', fromState: 'draft', toState: 'submitted', reference: 'TR-2026-00001', actorId: 'u1' };

  it('accepts each topic in the shape its producer writes', () => {
    expect(parseOutboxMessage('case-event', caseEvent)).toEqual({ topic: 'case-event', payload: caseEvent });
    expect(parseOutboxMessage('case-event', { ...caseEvent, action: 'screening_hit', actorId: null, newHits: 2, assigneeId: null }).topic).toBe('case-event');
    expect(parseOutboxMessage('case-message', { noteId: 'n', authorId: 'a', reference: 'r' }).topic).toBe('case-message');
    const token = sealSecret('t', 'a-test-audit-key-that-is-long-enough-0123456789', 'invitation');
    expect(parseOutboxMessage('user-invited', { userId: 'u', invitationId: 'i', token }).topic).toBe('user-invited');
    expect(parseOutboxMessage('password-reset', { userId: 'u', resetId: 'r', token }).topic).toBe('password-reset');
    expect(parseOutboxMessage('daily-digest', { userIds: ['u'], day: '2026-11-30', digest: { openCases: [] } }).topic).toBe('daily-digest');
    expect(
      parseOutboxMessage('timer-fired', { timerId: '7', kind: 'triage_reminder', caseId: 'c', step: 'escalation', userIds: ['u'], details: {} }).topic,
    ).toBe('timer-fired');
    expect(parseOutboxMessage('monthly-report', { month: '2026-10', report: { backlog: 3 } }).topic).toBe('monthly-report');
    expect(
      parseOutboxMessage('screening-blast-radius', { userIds: ['u'], listVersionId: 'v', sourceName: 'List', items: [{ caseId: 'c', reference: 'TR-1' }] })
        .topic,
    ).toBe('screening-blast-radius');
    expect(() => parseOutboxMessage('screening-blast-radius', { userIds: ['u'], listVersionId: 'v', sourceName: 'List', items: ['x'] })).toThrow(
      /items must be a list of objects/,
    );
    expect(OUTBOX_TOPICS).toHaveLength(8);
  });

  it.each([
    ['no-such-topic', {}, /no such topic/],
    ['case-event', null, /must be a JSON object/],
    ['case-event', { ...caseEvent, toState: 'nowhere' }, /toState must be a case state/],
    ['case-event', { ...caseEvent, reference: 42 }, /reference must be a string/],
    ['case-message', { noteId: 'n', reference: 'r' }, /authorId must be a string/],
    ['user-invited', { userId: 'u', invitationId: 'i' }, /token must be a sealed secret/],
    // A plain token in the outbox is the defect sealing fixed (issue 12): refused on read.
    ['user-invited', { userId: 'u', invitationId: 'i', token: 'plain' }, /token must be a sealed secret/],
    ['daily-digest', { userIds: [1], day: 'd', digest: {} }, /userIds must be a list of strings/],
    ['timer-fired', { timerId: '7', kind: 'k', caseId: 'c', details: 'x' }, /details must be an object/],
  ])('refuses %s %j, saying which field', (topic, payload, message) => {
    expect(() => parseOutboxMessage(topic, payload)).toThrow(InvalidOutboxMessageError);
    expect(() => parseOutboxMessage(topic, payload)).toThrow(message);
  });
});
