import Redis from 'ioredis';
import { DataSource } from 'typeorm';

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

/**
 * Failed sign-in counters shared by every API process, each counter living for a fixed
 * window from its first failure. Keys are logical (`email:<address>`, `ip:<address>`);
 * the store namespaces them. Redis on the redis queue backend, PostgreSQL on the other.
 */
export interface LoginThrottleStore {
  /** The counts of the keys, 0 for a key without failures in its window. */
  counts(keys: string[]): Promise<number[]>;
  /** The longest time (ms) until one of the keys' windows ends; 0 when none is open. */
  remainingMs(keys: string[]): Promise<number>;
  /** Adds one failure to each key, opening its window when it has none. */
  recordFailure(keys: string[], windowMs: number): Promise<void>;
  reset(key: string): Promise<void>;
}

export class RedisLoginThrottle implements LoginThrottleStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private k(key: string): string {
    return `${this.prefix}:login-fail:${key}`;
  }

  async counts(keys: string[]): Promise<number[]> {
    const values = await this.redis.mget(...keys.map((k) => this.k(k)));
    return values.map((v) => Number(v ?? 0));
  }

  async remainingMs(keys: string[]): Promise<number> {
    const ttls = await Promise.all(keys.map((k) => this.redis.pttl(this.k(k))));
    return Math.max(0, ...ttls);
  }

  async recordFailure(keys: string[], windowMs: number): Promise<void> {
    const m = this.redis.multi();
    for (const k of keys) m.incr(this.k(k)).pexpire(this.k(k), windowMs, 'NX');
    await m.exec();
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }
}

/**
 * The same counters in the UNLOGGED table `login_attempt` (migration 1764000000005): a
 * row per key with its count and the end of its window. An expired row counts as absent
 * and restarts at 1 on the next failure; expired rows are deleted now and then.
 */
export class PostgresLoginThrottle implements LoginThrottleStore {
  private failures = 0;

  constructor(private readonly ds: DataSource) {}

  async counts(keys: string[]): Promise<number[]> {
    const rows: { key: string; count: number }[] = await this.ds.query(
      `SELECT key, count FROM login_attempt WHERE key = ANY($1::text[]) AND expires_at > now()`, [keys],
    );
    const byKey = new Map(rows.map((r) => [r.key, Number(r.count)]));
    return keys.map((k) => byKey.get(k) ?? 0);
  }

  async remainingMs(keys: string[]): Promise<number> {
    const [row] = await this.ds.query<({ ms: number | null } | undefined)[]>(
      `SELECT coalesce(max(extract(epoch FROM expires_at - now()) * 1000), 0)::float8 AS ms FROM login_attempt WHERE key = ANY($1::text[]) AND expires_at > now()`, [keys],
    );
    return Math.max(0, Math.round(Number(row?.ms ?? 0)));
  }

  async recordFailure(keys: string[], windowMs: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO login_attempt AS a (key, count, expires_at)
       SELECT k, 1, now() + make_interval(secs => $2::float8 / 1000) FROM unnest($1::text[]) AS k
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN a.expires_at <= now() THEN 1 ELSE a.count + 1 END,
         expires_at = CASE WHEN a.expires_at <= now() THEN excluded.expires_at ELSE a.expires_at END`,
      [[...keys].sort(), windowMs],
    );
    // Housekeeping without a timer: every 100th failure in this process sweeps expired rows.
    if (++this.failures % 100 === 0) await this.ds.query(`DELETE FROM login_attempt WHERE expires_at <= now()`);
  }

  async reset(key: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_attempt WHERE key = $1`, [key]);
  }
}
