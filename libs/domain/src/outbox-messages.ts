import { CASE_STATES, CaseState } from './states';
import { ActionName } from './transitions';
import { isSealed, Sealed } from './sealed-secret';

/**
 * The one registry of outbox messages: the only link between the API (and the worker's
 * own producers: timers, digests) and the mail relay. Topics are persisted identifiers
 * (they live in outbox rows already written): add new ones, never rename. A producer
 * writes `OutboxMessage`s (OutboxRepository.add is typed by topic); the relay re-checks
 * every payload it reads with `parseOutboxMessage`, as the job registry does for jobs.
 */

/** Case events that are not transitions but still tell someone. */
export type CaseEventAction = ActionName | 're_review' | 'quarantine_document' | 'screening_hit';

export interface OutboxMessages {
  /** A change to a case (a transition, a handover, a re-review, a quarantined file, new screening hits). */
  'case-event': {
    action: CaseEventAction;
    fromState: CaseState;
    toState: CaseState;
    reference: string;
    actorId: string | null;
    outcome?: string;
    assigneeId?: string | null;
    newHits?: number;
    attachmentId?: string;
    uploadedById?: string;
  };
  /** A message between the researcher and the research office (a note with visibility "researcher"). */
  'case-message': { noteId: string; authorId: string; reference: string };
  /** An invitation; `token` is sealed (sealed-secret.ts), opened only when the email is rendered. */
  'user-invited': { userId: string; invitationId: string; token: Sealed };
  /** A password-reset link for one account; `token` sealed like an invitation's. */
  'password-reset': { userId: string; resetId: string; token: Sealed };
  /** One person's daily digest, assembled by the worker. */
  'daily-digest': { userIds: string[]; day: string; digest: Record<string, unknown> };
  /** The month's summary for the RSDO leads, assembled by the worker from the dashboard's reports. */
  'monthly-report': { month: string; report: Record<string, unknown> };
  /** A list import's blast radius for one officer: the cases (any state) its added or changed entries touch. */
  'screening-blast-radius': {
    userIds: string[];
    listVersionId: string;
    sourceName: string;
    items: { caseId: string; reference: string; caseState: string; subject: string; entryName: string; change: string; whatChanged: string; score: number }[];
  };
  /** A timer fired; an escalation names the users of its ladder level, resolved when it fired. */
  'timer-fired': {
    timerId: string;
    kind: string;
    caseId: string;
    step?: 'reminder' | 'escalation';
    userIds?: string[];
    details?: Record<string, unknown>;
  };
}

export type OutboxTopic = keyof OutboxMessages;

export const OUTBOX_TOPICS = [
  'case-event',
  'case-message',
  'user-invited',
  'password-reset',
  'daily-digest',
  'monthly-report',
  'timer-fired',
  'screening-blast-radius',
] as const satisfies readonly OutboxTopic[];
// Every topic of the registry is listed (a topic added to OutboxMessages only fails to compile here).
const _allTopics: Exclude<OutboxTopic, (typeof OUTBOX_TOPICS)[number]> extends never ? true : never = true;
void _allTopics;

/** A message as a producer writes it: the topic decides the payload's type. */
export type OutboxMessage = { [T in OutboxTopic]: { topic: T; payload: OutboxMessages[T] } }[OutboxTopic];

export function isOutboxTopic(topic: string): topic is OutboxTopic {
  return (OUTBOX_TOPICS as readonly string[]).includes(topic);
}

export class InvalidOutboxMessageError extends Error {
  constructor(topic: string, problem: string) {
    super(`Outbox message ${topic} is invalid: ${problem}`);
  }
}

type Check = (p: Record<string, unknown>) => string | null;
const str =
  (k: string): Check =>
  (p) =>
    typeof p[k] === 'string' ? null : `${k} must be a string`;
const optStr =
  (k: string): Check =>
  (p) =>
    p[k] === undefined || p[k] === null || typeof p[k] === 'string' ? null : `${k} must be a string or absent`;
const strOrNull =
  (k: string): Check =>
  (p) =>
    p[k] === null || typeof p[k] === 'string' ? null : `${k} must be a string or null`;
const state =
  (k: string): Check =>
  (p) =>
    (CASE_STATES as readonly unknown[]).includes(p[k]) ? null : `${k} must be a case state`;
const strings =
  (k: string, optional = false): Check =>
  (p) =>
    (optional && p[k] === undefined) || (Array.isArray(p[k]) && (p[k] as unknown[]).every((x) => typeof x === 'string'))
      ? null
      : `${k} must be a list of strings`;
const object =
  (k: string, optional = false): Check =>
  (p) =>
    (optional && p[k] === undefined) || (typeof p[k] === 'object' && p[k] !== null && !Array.isArray(p[k])) ? null : `${k} must be an object`;
const sealed =
  (k: string): Check =>
  (p) =>
    isSealed(p[k]) ? null : `${k} must be a sealed secret`;
const list =
  (k: string): Check =>
  (p) =>
    Array.isArray(p[k]) && (p[k] as unknown[]).every((x) => typeof x === 'object' && x !== null) ? null : `${k} must be a list of objects`;
const optNumber =
  (k: string): Check =>
  (p) =>
    p[k] === undefined || typeof p[k] === 'number' ? null : `${k} must be a number or absent`;

const CHECKS: { [T in OutboxTopic]: Check[] } = {
  'case-event': [
    str('action'),
    state('fromState'),
    state('toState'),
    str('reference'),
    strOrNull('actorId'),
    optStr('outcome'),
    optStr('assigneeId'),
    optNumber('newHits'),
  ],
  'case-message': [str('noteId'), str('authorId'), str('reference')],
  'user-invited': [str('userId'), str('invitationId'), sealed('token')],
  'password-reset': [str('userId'), str('resetId'), sealed('token')],
  'daily-digest': [strings('userIds'), str('day'), object('digest')],
  'monthly-report': [str('month'), object('report')],
  'screening-blast-radius': [strings('userIds'), str('listVersionId'), str('sourceName'), list('items')],
  'timer-fired': [str('timerId'), str('kind'), str('caseId'), optStr('step'), strings('userIds', true), object('details', true)],
};

/** Checks a row read back from the outbox table before anything acts on it. */
export function parseOutboxMessage(topic: string, payload: unknown): OutboxMessage {
  if (!isOutboxTopic(topic)) throw new InvalidOutboxMessageError(topic, `no such topic (known: ${OUTBOX_TOPICS.join(', ')})`);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new InvalidOutboxMessageError(topic, 'the payload must be a JSON object');
  const problems = CHECKS[topic].map((check) => check(payload as Record<string, unknown>)).filter((p): p is string => p !== null);
  if (problems.length) throw new InvalidOutboxMessageError(topic, problems.join('; '));
  return { topic, payload } as OutboxMessage;
}
