// globalSetup is not given jest's moduleNameMapper, so resolve @app/* through tsconfig paths.
import 'tsconfig-paths/register';
import { DbJanitor } from './db-janitor';
import { dropDatabases, runDatabasePrefix, withAdminClient } from './test-db';

/** Stops the janitor and drops what is left of this run: its template and every clone. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { trDbJanitor?: DbJanitor }).trDbJanitor?.stop();
  const template = process.env.TR_TEST_TEMPLATE;
  if (!template) return;
  const clones = await withAdminClient(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [runDatabasePrefix(template)]);
    return rows.map((r) => r.datname);
  });
  await dropDatabases(clones);
  await dropDatabases([template]);
}
