import { isSealed, openSecret, Sealed, sealSecret } from '@app/domain';
import { OutboxMessage } from '@app/domain';
import { audienceSource, ladderSource, mailContext, timerMailNeeds, timerMailPayload } from './mail-content';

const c = { id: 'c1', reference: 'TR-2026-00001', ownerId: 'owner', assigneeId: null as string | null, state: 'triaged', decision: null };
const ev = (action: string, actorId: string | null = 'officer'): OutboxMessage =>
  ({ topic: 'case-event', payload: { action, fromState: 'triaged', toState: 'triaged', reference: c.reference, actorId } }) as OutboxMessage;

const KEY = 'a-test-audit-key-that-is-long-enough-0123456789';

describe('who gets an email (pure)', () => {
  it('asks the database only for what it cannot know: the asker falls back to the officers', () => {
    expect(audienceSource('asker', { message: ev('respond'), case: c, event: null, actorId: 'owner' })).toEqual({
      kind: 'information-asker',
      otherwise: { kind: 'role', role: 'rsdo_officer' },
    });
    expect(audienceSource('asker', { message: ev('respond'), case: { ...c, assigneeId: 'a1' }, event: null, actorId: 'owner' })).toEqual({
      kind: 'users',
      ids: ['a1'],
    });
  });

  it('nobody is emailed about assigning themselves', () => {
    expect(audienceSource('new-assignee', { message: ev('assign', 'o1'), case: c, event: { assigneeId: 'o1' }, actorId: 'o1' })).toEqual({
      kind: 'users',
      ids: [],
    });
    expect(audienceSource('new-assignee', { message: ev('assign', 'o1'), case: c, event: { assigneeId: 'o2' }, actorId: 'o1' })).toEqual({
      kind: 'users',
      ids: ['o2'],
    });
  });

  it('signers come from the snapshot the command took, else from the department today', () => {
    const f = { message: ev('request_sign_off'), case: c, actorId: 'officer' };
    expect(audienceSource('signers', { ...f, event: { signers: { userIds: ['h', 'd'], leadSigns: false } } })).toEqual({ kind: 'users', ids: ['h', 'd'] });
    expect(audienceSource('signers', { ...f, event: { signers: { userIds: [], leadSigns: true } } })).toEqual({ kind: 'role', role: 'rsdo_lead' });
    expect(audienceSource('signers', { ...f, event: {} })).toEqual({ kind: 'acting-signers' });
  });

  it('an escalation ladder level names people or a role', () => {
    expect(ladderSource('head_of_office', null, null)).toEqual({ kind: 'role', role: 'rsdo_lead' });
    expect(ladderSource('head_of_office', null, 'hoo')).toEqual({ kind: 'users', ids: ['hoo'] });
    expect(ladderSource('assignee', { ownerId: 'o', assigneeId: null }, null)).toEqual({ kind: 'role', role: 'rsdo_officer' });
  });
});

describe('what a timer email says (pure)', () => {
  const timer = (kind: string, payload: Record<string, unknown> = {}) => ({ id: '9', kind, caseId: 'c1', payload });

  it('loads only the facts the kind needs', () => {
    expect(timerMailNeeds('information_due', {})).toEqual({ replyBy: true, escalation: null });
    expect(timerMailNeeds('triage_escalation', { sla: { type: 'escalation', to: 'rsdo_lead' } })).toEqual({ replyBy: false, escalation: 'rsdo_lead' });
    expect(timerMailNeeds('triage_reminder', { sla: { type: 'reminder', to: 'assignee' } })).toEqual({ replyBy: false, escalation: null });
  });

  it('an escalation names its level, its recipients and the due date in the office zone', () => {
    const p = timerMailPayload({
      timer: timer('triage_escalation', { sla: { step: 3, type: 'escalation', to: 'rsdo_lead', at: 100, plus: null } }),
      zone: 'Europe/London',
      slaDueAt: new Date('2026-03-02T17:00:00Z'),
      escalationUserIds: ['l1'],
    });
    expect(p).toEqual({
      timerId: '9',
      kind: 'triage_escalation',
      caseId: 'c1',
      step: 'escalation',
      userIds: ['l1'],
      details: { to: 'RSDO lead', level: '100 % of the target', dueAt: '2 March 2026, 17:00' },
    });
  });

  it('an information reminder shows the reply-by date, or "soon" without one', () => {
    expect(timerMailPayload({ timer: timer('information_reminder'), zone: 'Europe/London', replyBy: '2027-01-29' }).details).toEqual({
      replyBy: 'Friday 29 January 2027',
    });
    expect(timerMailPayload({ timer: timer('information_reminder'), zone: 'Europe/London', replyBy: null }).details).toEqual({ replyBy: 'soon' });
  });

  it('the context of an approval carries the decision and its conditions', () => {
    const m = {
      topic: 'case-event',
      payload: { action: 'approve', fromState: 'triaged', toState: 'approved', reference: c.reference, actorId: 'o' },
    } as OutboxMessage;
    const ctx = mailContext({
      message: m,
      case: c,
      event: { decision: { decisionText: 'Yes', conditions: [{ text: 'TCP' }] } },
      actorId: 'o',
      actorName: 'Olu',
      timer: null,
      publicUrl: 'https://tr.example.ac.uk',
      zone: 'Europe/London',
      secretKey: KEY,
    });
    expect(ctx).toMatchObject({
      reference: c.reference,
      actorName: 'Olu',
      decisionText: 'Yes',
      conditions: [{ text: 'TCP', dueDate: null }],
      toState: 'approved',
    });
  });

  it('an invitation link is built from the sealed token and sealed again: the plain token is never in the context', () => {
    const token = 'invitation-token-123';
    const m = { topic: 'user-invited', payload: { userId: 'u', invitationId: 'i', token: sealSecret(token, KEY, 'invitation') } } as OutboxMessage;
    const ctx = mailContext({
      message: m,
      case: null,
      event: null,
      actorId: null,
      actorName: null,
      timer: null,
      publicUrl: 'https://tr.example.ac.uk',
      zone: 'Europe/London',
      secretKey: KEY,
    });
    expect(JSON.stringify(ctx)).not.toContain(token);
    expect(isSealed(ctx.inviteUrl)).toBe(true);
    expect(openSecret(ctx.inviteUrl as Sealed, KEY)).toBe(`https://tr.example.ac.uk/accept-invitation?token=${token}`);
  });
});
