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
