import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { createDataSource } from './data-source';

/** Arbitrary but fixed: every process that migrates takes the same advisory lock. */
const MIGRATION_LOCK_KEY = 727_001;

export class DatabaseUnavailableError extends Error {}

function describeTarget(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

/** One sentence that names the service and how to start it. */
export function databaseUnreachableMessage(url: string, cause: unknown): string {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return (
    `PostgreSQL is not reachable at ${describeTarget(url)} (${reason}); start it ` +
    `(on this machine: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL.`
  );
}

/** Creates the database named in the URL when it is missing (demo convenience; production DBs exist). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new DatabaseUnavailableError(databaseUnreachableMessage(url, err));
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * The app role owns no table, may not change the audit tables, and is (re)granted
 * after every migration so new tables are covered.
 */
export async function grantAppRole(ds: DataSource, config: AppConfig): Promise<void> {
  const role = config.database.appUser.replace(/"/g, '""');
  const exists = await ds.query<unknown[]>('SELECT 1 FROM pg_roles WHERE rolname = $1', [config.database.appUser]);
  if (!exists.length) {
    try {
      await ds.query(`CREATE ROLE "${role}" LOGIN`);
    } catch (err) {
      // Concurrent first boots race on the cluster-wide catalogue: the other one won.
      if (!['42710', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
    }
  }
  if (config.database.appPassword) {
    await ds.query(`ALTER ROLE "${role}" PASSWORD '${config.database.appPassword.replace(/'/g, "''")}'`);
  }
  await ds.query(`GRANT USAGE ON SCHEMA public TO "${role}"`);
  await ds.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${role}"`);
  await ds.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${role}"`);
  await ds.query(`REVOKE UPDATE, DELETE, TRUNCATE ON case_event, system_event, audit_key_epoch FROM "${role}"`);
  await ds.query(`REVOKE ALL ON typeorm_migration FROM "${role}"`);
}

/** Runs pending migrations once, under an advisory lock, before API and worker start. */
export async function migrate(config: AppConfig, log: (line: string) => void = () => undefined): Promise<string[]> {
  await ensureDatabaseExists(config.database.url);
  const ds = createDataSource(config, 'owner', 2);
  try {
    await ds.initialize();
  } catch (err) {
    throw new DatabaseUnavailableError(databaseUnreachableMessage(config.database.url, err));
  }
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      for (const m of ran) log(`migration applied: ${m.name}`);
      await grantAppRole(ds, config);
      return ran.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}
