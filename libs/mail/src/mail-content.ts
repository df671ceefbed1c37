import { formatDate, formatDateTime, isSealed, LadderAudience, openSecret, OutboxMessage, OutboxMessages, Role, sealSecret } from '@app/domain';
import { Audience } from './recipients';
import { caseUrl } from './message';

/**
 * What an email says and who gets it, decided here from facts the worker loads (pure:
 * no database, no clock but the one passed in). The relay and the timer processor only
 * load the facts these functions ask for and resolve the people they name.
 */

/** The case as the relay reads it. */
export interface CaseFacts {
  id: string;
  reference: string;
  ownerId: string;
  assigneeId: string | null;
  state: string;
  decision: { decisionText?: string; conditions?: { text: string; dueDate?: string }[] } | null;
}

/**
 * Who an audience is, as a source the worker resolves: named users, the active holders
 * of a role, the officer who asked for information, everyone who acted on the case, or
 * the case's acting signers (head and delegates today, or the RSDO leads).
 */
export type RecipientSource =
  | { kind: 'users'; ids: string[] }
  | { kind: 'role'; role: Extract<Role, 'rsdo_officer' | 'rsdo_lead' | 'export_control'> }
  | { kind: 'information-asker'; otherwise: RecipientSource }
  | { kind: 'case-actors' }
  | { kind: 'acting-signers' };

const users = (...ids: (string | null | undefined)[]): RecipientSource => ({ kind: 'users', ids: ids.filter((x): x is string => !!x) });
const role = (r: 'rsdo_officer' | 'rsdo_lead' | 'export_control'): RecipientSource => ({ kind: 'role', role: r });

export interface AudienceFacts {
  message: OutboxMessage;
  case: CaseFacts | null;
  /** The audit event's payload the message follows, if any. */
  event: Record<string, unknown> | null;
  actorId: string | null;
}

/** Who acted: the event's actor, or the author of a message. */
export function actorOf(m: OutboxMessage): string | null {
  return m.topic === 'case-event' ? m.payload.actorId : m.topic === 'case-message' ? m.payload.authorId : null;
}

export function audienceSource(a: Audience, f: AudienceFacts): RecipientSource {
  const c = f.case;
  const m = f.message;
  switch (a) {
    case 'owner':
      return users(c?.ownerId);
    case 'assignee':
      return users(c?.assigneeId);
    case 'officers':
      return role('rsdo_officer');
    case 'assignee-or-officers':
      return c?.assigneeId ? users(c.assigneeId) : role('rsdo_officer');
    case 'asker':
      if (c?.assigneeId) return users(c.assigneeId);
      return c ? { kind: 'information-asker', otherwise: role('rsdo_officer') } : role('rsdo_officer');
    case 'new-assignee': {
      const id = (f.event?.assigneeId ?? null) as string | null;
      return users(id && id !== f.actorId ? id : null); // nobody needs an email about assigning themselves
    }
    case 'signers': {
      if (!c) return users();
      // The command recorded who may sign when it asked; use that snapshot when present.
      const snap = f.event?.signers as { userIds?: string[]; leadSigns?: boolean } | undefined;
      if (snap && Array.isArray(snap.userIds)) return snap.leadSigns ? role('rsdo_lead') : users(...snap.userIds);
      return { kind: 'acting-signers' };
    }
    case 'other-party':
      if (!c) return users();
      if (f.actorId !== c.ownerId) return users(c.ownerId);
      return c.assigneeId ? users(c.assigneeId) : role('rsdo_officer');
    case 'invited-user':
      return users(m.topic === 'user-invited' || m.topic === 'password-reset' ? m.payload.userId : null);
    case 'payload-users':
      return users(...(m.topic === 'daily-digest' || m.topic === 'timer-fired' || m.topic === 'screening-blast-radius' ? (m.payload.userIds ?? []) : []));
    case 'actors':
      return c ? { kind: 'case-actors' } : users();
    case 'export-officers': {
      const reviewer = (f.event?.reviewerId ?? null) as string | null;
      return reviewer ? users(reviewer) : role('export_control');
    }
    case 'rsdo-leads':
      return role('rsdo_lead');
  }
}

export interface ContextFacts extends AudienceFacts {
  actorName: string | null;
  /** For a timer-fired message: the timer row as it is now. */
  timer: { kind: string; stage: string | null; stageEnteredAt: Date | null } | null;
  publicUrl: string;
  zone: string;
  /** The key sealed links are opened and sealed with (AUDIT_KEY). */
  secretKey: string;
  /** For a submission's receipt: the triage target of the SLA policy in force, in words (null: no policy). */
  triageTarget?: string | null;
}

/** What every template of a message may show, snapshotted when the relay reads it. */
export function mailContext(f: ContextFacts): Record<string, unknown> {
  const { message: m, case: c } = f;
  const ev = m.topic === 'case-event' ? m.payload : null;
  const ctx: Record<string, unknown> = {
    reference: c?.reference ?? null,
    caseId: c?.id ?? null,
    caseUrl: c ? caseUrl(c.id, f.publicUrl) : null,
    actorName: f.actorName ?? 'The research office',
    action: ev?.action ?? null,
    fromState: ev?.fromState ?? null,
    toState: ev?.toState ?? c?.state ?? null,
  };
  if (m.topic === 'timer-fired') {
    const p = m.payload;
    const t = f.timer;
    ctx.timerKind = t?.kind ?? p.kind ?? 'reminder';
    ctx.stage = t?.stage ?? c?.state ?? null;
    if (p.details && typeof p.details === 'object') ctx.details = p.details;
    ctx.since = t?.stageEnteredAt ? formatDateTime(new Date(t.stageEnteredAt), f.zone) : 'some time';
  }
  if (m.topic === 'case-event' && m.payload.action === 'submit') ctx.triageTarget = f.triageTarget ?? null;
  if (m.topic === 'case-event') Object.assign(ctx, eventDetails(m.payload, c, f.event));
  if (m.topic === 'daily-digest') Object.assign(ctx, { day: m.payload.day, ...m.payload.digest });
  if (m.topic === 'monthly-report') Object.assign(ctx, m.payload.report);
  if (m.topic === 'screening-blast-radius') {
    const p = m.payload;
    Object.assign(ctx, {
      sourceName: p.sourceName,
      blastUrl: `${f.publicUrl}/screening/lists/versions/${p.listVersionId}`,
      items: p.items.map((i) => ({ ...i, caseUrl: caseUrl(i.caseId, f.publicUrl), approved: i.caseState === 'approved' })),
      manyItems: p.items.length !== 1,
      count: p.items.length,
    });
  }
  // Tokens travel sealed (libs/domain sealed-secret.ts): opened here only to build the link,
  // which is sealed again for the delivery row and opened by the renderer at send time.
  if (m.topic === 'user-invited' && isSealed(m.payload.token)) {
    const token = openSecret(m.payload.token, f.secretKey);
    ctx.inviteUrl = sealSecret(`${f.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`, f.secretKey, 'invite-link');
  }
  if (m.topic === 'password-reset' && isSealed(m.payload.token)) {
    const token = openSecret(m.payload.token, f.secretKey);
    ctx.resetUrl = sealSecret(`${f.publicUrl}/reset-password?token=${encodeURIComponent(token)}`, f.secretKey, 'reset-link');
  }
  return ctx;
}

/** What the event's template shows: snapshotted now, so a later send shows the event as it was. */
function eventDetails(p: OutboxMessages['case-event'], c: CaseFacts | null, event: Record<string, unknown> | null): Record<string, unknown> {
  const e = event ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  switch (p.action) {
    case 'request_information': {
      const replyBy = str(e.replyBy);
      return { question: str(e.question), replyBy: replyBy ? formatDate(replyBy) : null };
    }
    case 'decline':
      return { comment: str(e.comment) };
    case 'complete_export_review':
      return { outcome: str(e.outcome) };
    case 'screening_hit': {
      const n = Number(p.newHits ?? 0);
      return { newHits: n, manyHits: n !== 1 };
    }
    case 'reject':
      return { reason: str(e.reasonText) ?? str(e.reasonCategory) };
    case 'withdraw':
    case 'reinstate':
    case 'revoke':
    case 'close_not_in_scope':
      return { reason: str(e.reason) };
    case 'suspend':
      return { reasonLabel: str(e.reasonLabel), reason: str(e.reasonText) };
    default: {
      if (p.toState !== 'approved') return {};
      const d = (e.decision as CaseFacts['decision']) ?? c?.decision ?? null;
      return { decisionText: d?.decisionText ?? null, conditions: (d?.conditions ?? []).map((x) => ({ text: x.text, dueDate: x.dueDate ?? null })) };
    }
  }
}

// ---- Timers ----

export interface SlaStep {
  step: number;
  type: 'reminder' | 'escalation';
  to: LadderAudience;
  at: number;
  plus: string | null;
}

const LEVEL_NAMES: Record<LadderAudience, string> = {
  assignee: 'the case officer',
  rsdo_lead: 'RSDO lead',
  head_of_office: 'head of the research office',
  owner: 'the researcher',
};

/** The facts a fired timer's email needs, by its kind and SLA step: the worker loads only these. */
export function timerMailNeeds(kind: string, timerPayload: Record<string, unknown>): { replyBy: boolean; escalation: LadderAudience | null } {
  const step = timerPayload.sla as SlaStep | undefined;
  const info = kind === 'information_reminder' || kind === 'information_due';
  return { replyBy: info, escalation: !info && kind !== 'licence_expiry' && step?.type === 'escalation' ? step.to : null };
}

/** Who an escalation's ladder level is: the case officer (else the officers), the owner, the head of office (else the RSDO leads), the leads. */
export function ladderSource(
  to: LadderAudience,
  parties: { ownerId: string; assigneeId: string | null } | null,
  headOfOfficeUserId: string | null,
): RecipientSource {
  switch (to) {
    case 'owner':
      return users(parties?.ownerId);
    case 'assignee':
      return parties?.assigneeId ? users(parties.assigneeId) : role('rsdo_officer');
    case 'head_of_office':
      return headOfOfficeUserId ? users(headOfOfficeUserId) : role('rsdo_lead'); // no head named: the RSDO leads stand in
    case 'rsdo_lead':
      return role('rsdo_lead');
  }
}

export interface TimerMailFacts {
  timer: { id: string; kind: string; caseId: string; payload: Record<string, unknown> };
  zone: string;
  /** information_*: the open request's reply-by date (YYYY-MM-DD). */
  replyBy?: string | null;
  /** An escalation: the stage's SLA due date and the people of its ladder level. */
  slaDueAt?: Date | null;
  escalationUserIds?: string[];
}

/** The timer-fired message: what the relay needs to address the email and what it says. */
export function timerMailPayload(f: TimerMailFacts): OutboxMessages['timer-fired'] {
  const t = f.timer;
  const base = { timerId: t.id, kind: t.kind, caseId: t.caseId };
  const step = t.payload.sla as SlaStep | undefined;
  if (t.kind === 'information_reminder' || t.kind === 'information_due') {
    const replyBy = f.replyBy ? formatDate(f.replyBy, { zone: f.zone, weekday: true }) : 'soon';
    return { ...base, details: { replyBy } };
  }
  if (t.kind === 'licence_expiry') {
    const expiresOn = typeof t.payload.expiresOn === 'string' ? formatDate(t.payload.expiresOn, { zone: f.zone }) : 'soon';
    return { ...base, details: { expiresOn, licenceReference: t.payload.licenceReference ?? null } };
  }
  if (!step) return base;
  if (step.type === 'reminder') return { ...base, step: 'reminder' };
  return {
    ...base,
    step: 'escalation',
    userIds: f.escalationUserIds ?? [],
    details: {
      to: LEVEL_NAMES[step.to] ?? step.to,
      level: `${step.at} % of the target${step.plus ? ` + ${step.plus}` : ''}`,
      dueAt: f.slaDueAt ? formatDateTime(f.slaDueAt, f.zone) : 'earlier',
    },
  };
}
