import { InvalidOutboxMessageError, OUTBOX_TOPICS, parseOutboxMessage } from './outbox-messages';

describe('outbox messages are re-checked when read', () => {
  const caseEvent = { action: 'submit', fromState: 'draft', toState: 'submitted', reference: 'TR-2026-00001', actorId: 'u1' };

  it('accepts each topic in the shape its producer writes', () => {
    expect(parseOutboxMessage('case-event', caseEvent)).toEqual({ topic: 'case-event', payload: caseEvent });
    expect(parseOutboxMessage('case-event', { ...caseEvent, action: 'screening_hit', actorId: null, newHits: 2, assigneeId: null }).topic).toBe('case-event');
    expect(parseOutboxMessage('case-message', { noteId: 'n', authorId: 'a', reference: 'r' }).topic).toBe('case-message');
    expect(parseOutboxMessage('user-invited', { userId: 'u', invitationId: 'i', token: 't' }).topic).toBe('user-invited');
    expect(parseOutboxMessage('daily-digest', { userIds: ['u'], day: '2026-11-30', digest: { openCases: [] } }).topic).toBe('daily-digest');
    expect(parseOutboxMessage('timer-fired', { timerId: '7', kind: 'triage_reminder', caseId: 'c', step: 'escalation', userIds: ['u'], details: {} }).topic).toBe('timer-fired');
    expect(parseOutboxMessage('monthly-report', { month: '2026-10', report: { backlog: 3 } }).topic).toBe('monthly-report');
    expect(OUTBOX_TOPICS).toHaveLength(6);
  });

  it.each([
    ['no-such-topic', {}, /no such topic/],
    ['case-event', null, /must be a JSON object/],
    ['case-event', { ...caseEvent, toState: 'nowhere' }, /toState must be a case state/],
    ['case-event', { ...caseEvent, reference: 42 }, /reference must be a string/],
    ['case-message', { noteId: 'n', reference: 'r' }, /authorId must be a string/],
    ['user-invited', { userId: 'u', invitationId: 'i' }, /token must be a string/],
    ['daily-digest', { userIds: [1], day: 'd', digest: {} }, /userIds must be a list of strings/],
    ['timer-fired', { timerId: '7', kind: 'k', caseId: 'c', details: 'x' }, /details must be an object/],
  ])('refuses %s %j, saying which field', (topic, payload, message) => {
    expect(() => parseOutboxMessage(topic, payload)).toThrow(InvalidOutboxMessageError);
    expect(() => parseOutboxMessage(topic, payload)).toThrow(message);
  });
});
