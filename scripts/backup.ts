/**
 * `npm run backup [-- <file>]`: a consistent pg_dump (custom format, one snapshot) of the
 * app's database — every table, the audit chains and, on the PostgreSQL queue backend,
 * BullMQ's schema with its jobs. Default file: backups/<database>-<UTC time>.dump.
 * On the Redis backend the queues are not in it and need not be: the timer reconciler
 * and the delivery sweeper rebuild every job from the database after a restore.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, loadConfig } from '@app/config';
import { BackupError, databaseName, pgTool, serverMajor } from './pg-tools';

async function main(): Promise<void> {
  const config = loadConfig();
  const url = config.database.url;
  const db = databaseName(url);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = resolve(process.argv[2] ?? `backups/${db}-${stamp}.dump`);
  mkdirSync(dirname(file), { recursive: true });
  const pgDump = pgTool('pg_dump', await serverMajor(url), process.env.PG_BIN_DIR);
  const t0 = Date.now();
  try {
    execFileSync(pgDump, ['--format=custom', '--compress=6', `--file=${file}`, `--dbname=${url}`], { stdio: ['ignore', 'inherit', 'pipe'] });
  } catch (err) {
    throw new BackupError(`pg_dump failed: ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? (err as Error).message}`);
  }
  const size = statSync(file).size;
  console.log(
    `Backup of database ${db} written to ${file} (${(size / 1024 / 1024).toFixed(1)} MB, ${((Date.now() - t0) / 1000).toFixed(1)} s; queues ${config.queueBackend === 'postgres' ? `included (schema ${config.queuePostgres.schema})` : 'on Redis: not included, rebuilt from the database after a restore'}).`,
  );
}

main().catch((err) => {
  console.error(err instanceof BackupError || err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
