// globalSetup is not given jest's moduleNameMapper, so resolve @app/* through tsconfig paths.
import 'tsconfig-paths/register';
import { Client } from 'pg';
import Redis from 'ioredis';
import { migrate, seedDemo, createDataSource } from '@app/persistence';
import { DbJanitor } from './db-janitor';
import { PG_ADMIN_URL, runDatabasePrefix, TEST_REDIS_URL, testConfig, withAdminClient } from './test-db';

/**
 * Once per jest run: check the services, drop databases left by runs older than two
 * hours, and build this run's template (migrated and demo-seeded). Test files clone it;
 * the janitor started here drops the clones they release (globalTeardown stops it).
 */
export default async function globalSetup(): Promise<void> {
  const pg = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await pg.connect();
  } catch (err) {
    throw new Error(`Tests need PostgreSQL at ${PG_ADMIN_URL} (${(err as Error).message}); run .ci/run, which starts it.`);
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`Tests need Redis at ${TEST_REDIS_URL} (${(err as Error).message}); run .ci/run, which starts it.`);
  } finally {
    redis.disconnect();
  }

  const stamp = Date.now();
  const runId = `${stamp.toString(36)}${process.pid.toString(36)}`;
  const template = `tr_tpl_${runId}`;
  await withAdminClient(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^tr_(tpl|t)_'`);
    for (const { datname } of rows) {
      const born = parseInt(datname.split('_')[2].slice(0, 8), 36);
      if (Number.isFinite(born) && stamp - born > 2 * 3600_000) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await c.query(`CREATE DATABASE "${template}"`);
  });
  const config = testConfig(template);
  await migrate(config);
  const owner = createDataSource(config, 'owner', 1);
  await owner.initialize();
  await seedDemo(owner);
  await owner.destroy();
  process.env.TR_TEST_TEMPLATE = template;
  (globalThis as { trDbJanitor?: DbJanitor }).trDbJanitor = new DbJanitor(runDatabasePrefix(template)).start();
}
