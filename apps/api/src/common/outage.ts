/**
 * Tells an outage of a backing service (PostgreSQL, Redis) from a bug, so the API answers
 * 503 SERVICE_UNAVAILABLE with Retry-After (the client may try again; nothing is wrong
 * with its request) instead of 500. Recognised by the error itself or anything in its
 * cause chain (TypeORM's driverError, Error.cause, AggregateError.errors):
 * - socket-level failures: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, EHOSTUNREACH,
 *   ENETUNREACH, EAI_AGAIN, ENOTFOUND;
 * - PostgreSQL SQLSTATEs of class 08 (connection exception), 57P01–57P03 (shut down, in
 *   recovery, starting up), 53300 (too many connections);
 * - node-postgres messages for a dropped or unobtainable connection;
 * - ioredis: closed connection, retries per request exhausted, offline queue disabled;
 * - TypeORM's "query runner already released" inside a transaction: TypeORM releases the
 *   runner when its connection dies mid-transaction (seen in the fault drill on a
 *   PostgreSQL restart), and later statements of that transaction then throw this.
 */

export type OutageOf = 'database' | 'redis' | 'backing service';

export interface Outage {
  of: OutageOf;
  /** What the underlying error said (for the log, not the client). */
  detail: string;
}

/** Seconds a client should wait before trying again. */
export const OUTAGE_RETRY_AFTER_S = 5;

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
const PG_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const PG_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Connection is not established/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /is not currently accepting connections/i,
];
const REDIS_MESSAGES = [
  /^Connection is closed\.?$/,
  /Reached the max retries per request limit/,
  /Stream isn't writeable and enableOfflineQueue options is false/,
];

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  syscall?: unknown;
  port?: unknown;
  cause?: unknown;
  driverError?: unknown;
  errors?: unknown;
}

function* chain(e: unknown, depth = 0): Generator<ErrorLike> {
  if (depth > 5 || typeof e !== 'object' || e === null) return;
  const x = e as ErrorLike;
  yield x;
  if (x.driverError) yield* chain(x.driverError, depth + 1);
  if (x.cause) yield* chain(x.cause, depth + 1);
  if (Array.isArray(x.errors)) for (const inner of x.errors) yield* chain(inner, depth + 1);
}

function kindOf(x: ErrorLike): OutageOf | null {
  const name = typeof x.name === 'string' ? x.name : '';
  const message = typeof x.message === 'string' ? x.message : '';
  const code = typeof x.code === 'string' ? x.code : '';
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((r) => r.test(message))) return 'redis';
  if (name === 'QueryRunnerAlreadyReleasedError' || name === 'QueryRunnerProviderAlreadyReleasedError') return 'database';
  if (/^08/.test(code) && code.length === 5) return 'database';
  if (PG_STATES.has(code)) return 'database';
  if (PG_MESSAGES.some((r) => r.test(message))) return 'database';
  if (SOCKET_CODES.has(code)) return 'backing service';
  return null;
}

/** The outage an error reports, or null when it is something else (a bug: 500). */
export function outageOf(error: unknown): Outage | null {
  let found: Outage | null = null;
  for (const x of chain(error)) {
    const of = kindOf(x);
    if (!of) continue;
    const detail = `${typeof x.code === 'string' ? `${x.code}: ` : ''}${typeof x.message === 'string' ? x.message : String(x)}`;
    if (of !== 'backing service') return { of, detail };
    found ??= { of, detail };
  }
  return found;
}

/** The client's sentence: what is down, that its request did not happen, when to retry. */
export function outageMessage(o: Outage): string {
  const what = o.of === 'database' ? 'The database' : o.of === 'redis' ? 'The queue service (Redis)' : 'A service the API depends on';
  return `${what} is unavailable at the moment, so the request was not completed; try again in ${OUTAGE_RETRY_AFTER_S} seconds.`;
}
