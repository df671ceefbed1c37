import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Exactly what the hash covers. `createdAt` is ISO 8601 with milliseconds and `Z`,
 * because that is all a JS Date keeps: the stored timestamp must be truncated to the
 * same precision, or re-verification from the database would fail.
 */
export interface ChainEventInput {
  caseId: string | null;
  seq: number;
  actorId: string | null;
  action: string;
  fromState: string | null;
  toState: string | null;
  payload: unknown;
  createdAt: string;
  prevHash: string | null;
}

/**
 * The first event of a chain (seq 1) has `prevHash: null`, and null is what is hashed.
 * GENESIS_HASH is only the printable form of "no previous event" (e.g. in the
 * verifier's output); it is never stored or hashed.
 */
export const GENESIS_HASH = '';

export function canonicalJson(value: unknown): string {
  const json = canonicalize(value);
  if (json === undefined) throw new TypeError('Value cannot be represented as JSON.');
  return json;
}

export function toChainTimestamp(date: Date): string {
  return date.toISOString();
}

export function eventHash(e: ChainEventInput): string {
  // Pick the fields explicitly: callers often pass a stored row that carries its own
  // hash and other columns, which must not leak into the input.
  const input: ChainEventInput = {
    caseId: e.caseId,
    seq: e.seq,
    actorId: e.actorId,
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    payload: e.payload === undefined ? null : e.payload,
    createdAt: e.createdAt,
    prevHash: e.prevHash,
  };
  return createHash('sha256').update(canonicalJson(input), 'utf8').digest('hex');
}

export type ChainVerification = { ok: true; count: number } | { ok: false; seq: number; reason: string };

/** Events must be one chain sorted by seq; reports the first broken link. */
export function verifyChain(events: (ChainEventInput & { hash: string })[]): ChainVerification {
  let prev: (ChainEventInput & { hash: string }) | null = null;
  for (const e of events) {
    const expectedSeq = prev === null ? 1 : prev.seq + 1;
    if (e.seq !== expectedSeq) {
      return { ok: false, seq: e.seq, reason: `Expected seq ${expectedSeq} but found ${e.seq}: an event is missing or out of order.` };
    }
    if (prev !== null && e.caseId !== prev.caseId) {
      return { ok: false, seq: e.seq, reason: 'The event belongs to a different chain (caseId differs).' };
    }
    const expectedPrev = prev === null ? null : prev.hash;
    if (e.prevHash !== expectedPrev) {
      return {
        ok: false,
        seq: e.seq,
        reason: `prevHash ${e.prevHash ?? 'null'} does not match the previous event's hash ${expectedPrev ?? 'null'}.`,
      };
    }
    const actual = eventHash(e);
    if (actual !== e.hash) {
      return { ok: false, seq: e.seq, reason: `Stored hash ${e.hash} does not match the recomputed ${actual}: the event was altered.` };
    }
    prev = e;
  }
  return { ok: true, count: events.length };
}
