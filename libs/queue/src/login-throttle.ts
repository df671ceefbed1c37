import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

/**
 * How sign-in attempts are limited (docs/security.md "Sign-in throttling").
 *
 * Per account: the first `freeAttempts` failures cost nothing; after that each further
 * attempt must wait a delay that doubles with every failure (baseDelayMs, 2x, 4x ...,
 * at most maxDelayMs). The account is never locked: the right password still works
 * once the delay has passed, so guessing someone's email cannot lock them out, while a
 * guesser gets about one try per maxDelayMs. Failures are forgotten `windowMs` after
 * the last one, or at once on a successful sign-in.
 *
 * Per address: at most `addressMaxAttempts` attempts per `windowMs` (wider, because a
 * university's NAT puts many people behind one address); a successful sign-in gives its
 * attempt back.
 *
 * Every attempt is counted atomically BEFORE the password is checked, so parallel
 * guesses cannot all slip past a read-then-write check.
 */
export interface ThrottlePolicy {
  freeAttempts: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  addressMaxAttempts: number;
}

export type Reservation = { allowed: true } | { allowed: false; retryAfterMs: number; limitedBy: 'account' | 'address' };

export interface LoginThrottleStore {
  /** Counts this attempt against the account and the address, atomically, or refuses it. */
  reserve(account: string, address: string, policy: ThrottlePolicy): Promise<Reservation>;
  /** The password was right: the account's failures are forgotten and the address's attempt is given back. */
  succeeded(account: string, address: string): Promise<void>;
}

/** The delay before the next attempt after `failures` failures (0 while within the free attempts). */
export function delayAfter(failures: number, p: ThrottlePolicy): number {
  if (failures < p.freeAttempts) return 0;
  return Math.min(p.baseDelayMs * 2 ** Math.min(failures - p.freeAttempts, 30), p.maxDelayMs);
}

/** One Lua script: Redis runs it atomically, so 60 parallel attempts see each other's counts. */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local free, win, base, maxd, ipmax = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local ipc = tonumber(redis.call('GET', KEYS[2]) or '0')
if ipc >= ipmax then return {0, redis.call('PTTL', KEYS[2]), 'address'} end
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local nxt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if n >= free and now < nxt then return {0, nxt - now, 'account'} end
n = n + 1
redis.call('HSET', KEYS[1], 'n', n)
if n >= free then
  local d = base * (2 ^ math.min(n - free, 30))
  if d > maxd then d = maxd end
  redis.call('HSET', KEYS[1], 'next', string.format('%d', now + d))
end
redis.call('PEXPIRE', KEYS[1], win)
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], win, 'NX')
return {1, 0, ''}
`;

const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
`;

export class RedisLoginThrottle implements LoginThrottleStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private k(key: string): string {
    return `${this.prefix}:login:${key}`;
  }

  async reserve(account: string, address: string, p: ThrottlePolicy): Promise<Reservation> {
    const [ok, retry, by] = (await this.redis.eval(
      RESERVE,
      2,
      this.k(account),
      this.k(address),
      p.freeAttempts,
      p.windowMs,
      p.baseDelayMs,
      p.maxDelayMs,
      p.addressMaxAttempts,
    )) as [number, number, string];
    return ok === 1 ? { allowed: true } : { allowed: false, retryAfterMs: Math.max(Number(retry), 1000), limitedBy: by === 'address' ? 'address' : 'account' };
  }

  async succeeded(account: string, address: string): Promise<void> {
    // One script rather than MULTI: a single command that fails as a whole while Redis is away.
    await this.redis.eval(SUCCEEDED, 2, this.k(account), this.k(address));
  }
}

/**
 * The same policy in the UNLOGGED table `login_attempt` (migrations 1764000000005 and
 * 1765000000052): a row per key with its count, the end of its window, and (accounts)
 * the earliest next attempt. Used on the postgres queue backend, and as the fallback
 * while Redis does not answer. A transaction locks both keys' rows (advisory locks in
 * key order), so the read-decide-write is atomic across API processes.
 */
export class PostgresLoginThrottle implements LoginThrottleStore {
  private attempts = 0;

  constructor(private readonly ds: DataSource) {}

  async reserve(account: string, address: string, p: ThrottlePolicy): Promise<Reservation> {
    const result = await this.ds.transaction(async (em): Promise<Reservation> => {
      for (const k of [account, address].sort()) await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7270))`, [k]);
      const rows: { key: string; count: number; next_ms: string | null; ttl_ms: string; now_ms: string }[] = await em.query(
        `SELECT key, count,
                (extract(epoch FROM next_at) * 1000)::bigint AS next_ms,
                (extract(epoch FROM expires_at - now()) * 1000)::bigint AS ttl_ms,
                (extract(epoch FROM now()) * 1000)::bigint AS now_ms
           FROM login_attempt WHERE key = ANY($1::text[]) AND expires_at > now()`,
        [[account, address]],
      );
      const acc = rows.find((r) => r.key === account);
      const ip = rows.find((r) => r.key === address);
      if (ip && ip.count >= p.addressMaxAttempts) return { allowed: false, retryAfterMs: Math.max(Number(ip.ttl_ms), 1000), limitedBy: 'address' };
      const n = acc?.count ?? 0;
      if (acc && n >= p.freeAttempts && acc.next_ms && Number(acc.next_ms) > Number(acc.now_ms)) {
        return { allowed: false, retryAfterMs: Math.max(Number(acc.next_ms) - Number(acc.now_ms), 1000), limitedBy: 'account' };
      }
      const delay = delayAfter(n + 1, p);
      await em.query(
        `INSERT INTO login_attempt AS a (key, count, expires_at, next_at)
         VALUES ($1, $2, now() + make_interval(secs => $3::float8 / 1000), CASE WHEN $4::float8 > 0 THEN now() + make_interval(secs => $4::float8 / 1000) END)
         ON CONFLICT (key) DO UPDATE SET count = excluded.count, expires_at = excluded.expires_at, next_at = excluded.next_at`,
        [account, n + 1, p.windowMs, delay],
      );
      await em.query(
        `INSERT INTO login_attempt AS a (key, count, expires_at)
         VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN a.expires_at <= now() THEN 1 ELSE a.count + 1 END,
           expires_at = CASE WHEN a.expires_at <= now() THEN excluded.expires_at ELSE a.expires_at END`,
        [address, p.windowMs],
      );
      return { allowed: true };
    });
    // Housekeeping without a timer: every 100th attempt in this process sweeps expired rows.
    if (++this.attempts % 100 === 0) await this.ds.query(`DELETE FROM login_attempt WHERE expires_at <= now()`);
    return result;
  }

  async succeeded(account: string, address: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_attempt WHERE key = $1`, [account]);
    await this.ds.query(`UPDATE login_attempt SET count = count - 1 WHERE key = $1 AND count > 1`, [address]);
  }
}

/**
 * Redis first; while Redis does not answer (within `timeoutMs`), the PostgreSQL store.
 * Sign-in keeps working during a Redis outage and keeps its limits: failing open would
 * hand a guesser unlimited attempts for as long as they can keep Redis unreachable.
 * Counters are split between the stores during the outage, so a guesser gets at most
 * one extra allowance; each switch is logged once.
 */
export class FallbackLoginThrottle implements LoginThrottleStore {
  private readonly logger = new Logger('LoginThrottle');
  private degraded = false;

  constructor(
    private readonly primary: LoginThrottleStore,
    private readonly fallback: LoginThrottleStore,
    private readonly timeoutMs = 1000,
  ) {}

  /**
   * Rejects `timeoutMs` from now, but only after the process has read what arrived meanwhile:
   * after a stall of the event loop (a loaded machine, a long GC) the timer and Redis's answer
   * are both due, and timers run before sockets are read. Deciding in the timer would take an
   * answer that came in time (a refusal, say) for silence, and the PostgreSQL store, with its
   * own count, would allow the attempt: 8 password checks against a limit of 5 in
   * test/e2e/login-throttle.e2e-spec.ts. setImmediate runs after the poll phase has read them.
   */
  private deadline(): Promise<never> {
    return new Promise<never>((_, reject) =>
      setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${this.timeoutMs} ms`))), this.timeoutMs).unref(),
    );
  }

  private async run<T>(call: (s: LoginThrottleStore) => Promise<T>): Promise<T> {
    try {
      const result = await Promise.race([call(this.primary), this.deadline()]);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('Redis answers again: sign-in throttling is back on Redis.');
      }
      return result;
    } catch (err) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(`Redis did not answer (${err instanceof Error ? err.message : String(err)}): sign-in throttling counts in PostgreSQL until it does.`);
      }
      return call(this.fallback);
    }
  }

  reserve(account: string, address: string, p: ThrottlePolicy): Promise<Reservation> {
    return this.run((s) => s.reserve(account, address, p));
  }

  succeeded(account: string, address: string): Promise<void> {
    return this.run((s) => s.succeeded(account, address));
  }
}
