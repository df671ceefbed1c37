import { createHash, createHmac } from 'node:crypto';
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

/**
 * The key an event is sealed with. The chain is an HMAC-SHA-256 under a key the
 * database never holds (AUDIT_KEY in the configuration), so the application's database
 * role, which may INSERT events, cannot fabricate one that verifies. The key id is
 * stored on the event and covered by the HMAC, so a rotation keeps old events
 * verifiable under their own key.
 */
export interface AuditKey {
  id: string;
  secret: string;
}

/** The key id of events sealed before keyed hashing began: a plain SHA-256, accepted only up to the recorded boundary. */
export const LEGACY_KEY_ID = 'sha256';

function chainInput(e: ChainEventInput): ChainEventInput {
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
  return input;
}

/** HMAC-SHA-256 under the key, over the canonical JSON of the event and the key id. */
export function eventHash(e: ChainEventInput, key: AuditKey): string {
  return createHmac('sha256', key.secret)
    .update(canonicalJson({ ...chainInput(e), keyId: key.id }), 'utf8')
    .digest('hex');
}

/** The unkeyed hash of events written before the audit key existed. */
export function legacyEventHash(e: ChainEventInput): string {
  return createHash('sha256')
    .update(canonicalJson(chainInput(e)), 'utf8')
    .digest('hex');
}

/** The keys verification may use, by id: the current one and those of earlier rotations. */
export type AuditKeyring = ReadonlyMap<string, string>;

export interface StoredChainEvent extends ChainEventInput {
  hash: string;
  keyId: string;
  /** True when the event was stored before keyed hashing began, so its plain SHA-256 is accepted. */
  beforeKeys?: boolean;
}

export type ChainVerification = { ok: true; count: number } | { ok: false; seq: number; reason: string };

/** Events must be one chain sorted by seq; reports the first broken link. */
export function verifyChain(events: StoredChainEvent[], keys: AuditKeyring): ChainVerification {
  let prev: StoredChainEvent | null = null;
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
    let actual: string;
    if (e.keyId === LEGACY_KEY_ID) {
      if (!e.beforeKeys) {
        return {
          ok: false,
          seq: e.seq,
          reason: 'The event carries an unkeyed SHA-256 hash but was stored after keyed hashing began: the application did not write it.',
        };
      }
      actual = legacyEventHash(e);
    } else {
      const secret = keys.get(e.keyId);
      if (secret === undefined)
        return {
          ok: false,
          seq: e.seq,
          reason: `The event is sealed with key "${e.keyId}", which this configuration does not hold (AUDIT_KEY, AUDIT_PREVIOUS_KEYS).`,
        };
      actual = eventHash(e, { id: e.keyId, secret });
    }
    if (actual !== e.hash) {
      return { ok: false, seq: e.seq, reason: `Stored hash ${e.hash} does not match the recomputed ${actual}: the event was altered.` };
    }
    prev = e;
  }
  return { ok: true, count: events.length };
}
