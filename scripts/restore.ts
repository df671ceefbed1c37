/**
 * `npm run restore -- <file> [--into <database>]`: restores a `npm run backup` file into a
 * NEW database on the same server (default `<database>_restored_<UTC time>`; an existing
 * one is refused, never overwritten), then brings it to this code's schema (migrations,
 * the app role's grants, on the PostgreSQL queue backend BullMQ's schema) and verifies
 * every audit chain on the restored copy. Exit 0 only when the copy verifies. Switching
 * the application over (DATABASE_URL, or renaming databases) is a deliberate step after
 * it; see docs/operations.md for the order of operations.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { ConfigError, loadConfig } from '@app/config';
import { AuditRepository, createDataSource, migrate } from '@app/persistence';
import { prepareQueueSchema } from '@app/queue';
import { BackupError, databaseName, pgTool, serverMajor, withDatabase } from './pg-tools';

function args(argv: string[]): { file: string; into: string | null } {
  let file: string | null = null;
  let into: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--into') into = argv[++i] ?? null;
    else if (!file) file = argv[i];
    else throw new BackupError(`Unexpected argument "${argv[i]}": usage npm run restore -- <file> [--into <database>].`);
  }
  if (!file) throw new BackupError('Which backup? usage: npm run restore -- <file> [--into <database>].');
  if (into !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(into))
    throw new BackupError(`--into "${into}": a database name of lower-case letters, digits and _ (at most 63), starting with a letter or _.`);
  return { file: resolve(file), into };
}

async function main(): Promise<void> {
  const { file, into } = args(process.argv.slice(2));
  if (!existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  const config = loadConfig();
  const sourceUrl = config.database.url;
  const target = into ?? `${databaseName(sourceUrl)}_restored_${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
  const targetUrl = withDatabase(sourceUrl, target);
  const major = await serverMajor(sourceUrl);
  const pgRestore = pgTool('pg_restore', major, process.env.PG_BIN_DIR);

  const admin = new Client({ connectionString: withDatabase(sourceUrl, 'postgres') });
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [target]);
    if (rows.length)
      throw new BackupError(`Database ${target} already exists; restore refuses to overwrite it. Pass --into with a new name, or drop it first.`);
    await admin.query(`CREATE DATABASE "${target}"`);
  } finally {
    await admin.end();
  }
  console.log(`1/4 Created database ${target}.`);

  const t0 = Date.now();
  try {
    // Owners and grants are re-established by the migration step for this server's roles.
    execFileSync(pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${targetUrl}`, file], {
      stdio: ['ignore', 'inherit', 'pipe'],
    });
  } catch (err) {
    throw new BackupError(
      `pg_restore into ${target} failed: ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? (err as Error).message} (the partly restored database ${target} is left for inspection; drop it before retrying with the same name).`,
    );
  }
  console.log(`2/4 Restored ${file} into ${target} in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);

  const restored = loadConfig({ ...process.env, DATABASE_URL: targetUrl });
  const applied = await migrate(restored, (l) => console.log(`    ${l}`));
  if (restored.queueBackend === 'postgres') await prepareQueueSchema(restored);
  console.log(
    `3/4 Schema brought to this version (${applied.length} migration(s) applied), app role granted${restored.queueBackend === 'postgres' ? ', queue schema prepared' : ''}.`,
  );

  const ds = createDataSource(restored, 'owner', 1);
  await ds.initialize();
  try {
    const result = await new AuditRepository(restored).verify(ds.manager);
    if (!result.ok) {
      const b = result.firstBroken!;
      console.error(
        `4/4 Audit trail of the restored copy BROKEN at ${b.chain === 'case' ? `case ${b.caseId}, event ${b.seq}` : `system chain, event ${b.seq}`}: ${b.reason}. Do not switch to ${target}.`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(
      `4/4 Audit trail of the restored copy intact: ${result.eventsChecked} events in ${result.casesChecked} case chains and the system chain verified.`,
    );
  } finally {
    await ds.destroy();
  }
  console.log(
    `Restored copy ready: ${target}. To switch, stop the API and workers, set DATABASE_URL to ${targetUrl.replace(/:[^:@/]*@/, ':***@')} (or rename the databases), start them.`,
  );
}

main().catch((err) => {
  console.error(err instanceof BackupError || err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
