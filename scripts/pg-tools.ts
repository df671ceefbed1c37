/**
 * pg_dump / pg_restore for `npm run backup` and `npm run restore`: the client whose major
 * version matches the server's (/usr/lib/postgresql/<major>/bin, the Debian layout), else
 * the one on PATH when it is at least as new as the server; PG_BIN_DIR overrides both.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export class BackupError extends Error {}

export async function serverMajor(url: string): Promise<number> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (err) {
    throw new BackupError(`Cannot connect to the database (${(err as Error).message}); check DATABASE_URL.`);
  }
  try {
    const { rows } = await c.query(`SELECT current_setting('server_version_num')::int / 10000 AS major`);
    return Number(rows[0].major);
  } finally {
    await c.end();
  }
}

function majorOf(bin: string): number | null {
  try {
    const out = execFileSync(bin, ['--version']).toString(); // "pg_dump (PostgreSQL) 15.20 ..."
    const m = /\)\s+(\d+)/.exec(out);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function pgTool(name: 'pg_dump' | 'pg_restore', major: number, binDir?: string): string {
  const candidates = [...(binDir ? [join(binDir, name)] : []), join('/usr/lib/postgresql', String(major), 'bin', name), name];
  for (const bin of candidates) {
    if (bin.includes('/') && !existsSync(bin)) continue;
    const v = majorOf(bin);
    if (v !== null && v >= major) return bin;
  }
  throw new BackupError(
    `No ${name} of PostgreSQL ${major} or newer found (the server is PostgreSQL ${major}); install the matching client ` +
      `(Debian: apt-get install postgresql-client-${major}) or set PG_BIN_DIR to its bin directory.`,
  );
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}
