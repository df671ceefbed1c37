import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '@app/config';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Fixed so every test file signs tokens the same way; never used outside tests. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export function dbUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withAdminClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function templateName(): string {
  const name = process.env.TR_TEST_TEMPLATE;
  if (!name) throw new Error('TR_TEST_TEMPLATE is not set: run tests through jest (its globalSetup builds the template database).');
  return name;
}

/** A fresh database cloned from the migrated, seeded template: each test file gets its own. */
export async function createTestDatabase(): Promise<string> {
  const template = templateName();
  const name = `${template.replace('_tpl_', '_t_')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (err) {
        // "source database is being accessed by other users": another file is cloning right now.
        if ((err as { code?: string }).code === '55006' && attempt < 50) {
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
          continue;
        }
        throw err;
      }
    }
  });
  return name;
}

export async function dropTestDatabase(name: string): Promise<void> {
  await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** The name a test file's finished database is renamed to, for the run's janitor to drop. */
export const RELEASED_SUFFIX = '_done';

/** The prefix of every database cloned in this run (the janitor and globalTeardown drop them). */
export function runDatabasePrefix(template: string = templateName()): string {
  return `${template.replace('_tpl_', '_t_')}_`;
}

/**
 * A test file is done with its database. Under jest it is only renamed (no checkpoint,
 * milliseconds) and the run's janitor (global-setup.ts) drops it meanwhile: every DROP
 * DATABASE waits for a checkpoint, which took 1.5-6 s per file on a loaded machine, and
 * drops running together share one. Outside jest, or if a connection is still open (a
 * rename needs none), it is dropped here and now.
 */
export async function releaseTestDatabase(name: string): Promise<void> {
  if (process.env.JEST_WORKER_ID !== undefined && process.env.TR_TEST_TEMPLATE && name.startsWith(runDatabasePrefix())) {
    try {
      await withAdminClient((c) => c.query(`ALTER DATABASE "${name}" RENAME TO "${name}${RELEASED_SUFFIX}"`));
      return;
    } catch (err) {
      // 55006: "database is being accessed by other users"; drop it with FORCE below.
      if ((err as { code?: string }).code !== '55006') throw err;
    }
  }
  await dropTestDatabase(name);
}

/** Drops these databases a few at a time over separate connections (they share checkpoints). */
export async function dropDatabases(names: string[], concurrency = 6): Promise<void> {
  const queue = [...names];
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        await dropTestDatabase(name).catch((err) => errors.push(err));
      }
    }),
  );
  if (errors.length) throw errors[0];
}

/**
 * The queue backend of this jest project: jest.config.js runs the worker and timer files
 * twice, once per backend, setting the global TR_QUEUE_BACKEND (or the environment
 * variable of the same name for a whole run).
 */
export function testQueueBackend(): 'redis' | 'postgres' {
  const fromProject = (globalThis as { TR_QUEUE_BACKEND?: string }).TR_QUEUE_BACKEND;
  return (fromProject ?? process.env.TR_QUEUE_BACKEND) === 'postgres' ? 'postgres' : 'redis';
}

export function testConfig(dbName: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    QUEUE_BACKEND: testQueueBackend(),
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl(dbName),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `trtest-${dbName}`,
    JWT_SECRET: TEST_JWT_SECRET,
    PORT: '0',
    PUBLIC_URL: 'http://localhost:3000',
    ...env,
  });
}
