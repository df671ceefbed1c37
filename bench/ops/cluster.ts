/**
 * A private, disposable installation for fault drills and scale benchmarks: its own
 * PostgreSQL cluster (initdb + postgres from the Debian packages, on a free port), its own
 * redis-server, an in-process SMTP sink behind a TCP relay that can cut connections, and
 * real API and worker processes run by the launcher's supervisor (a killed one is
 * restarted, as in production). Nothing here touches the machine's shared services.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, Server, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '@app/config';
import { createDataSource, migrate, seedDemo } from '@app/persistence';
import { prepareQueueSchema } from '@app/queue';
import { SmtpSink } from '@app/testing';
import { Supervisor } from '../../scripts/supervisor';

/** The repository root, from bench/ops (ts-node, jest) or dist/bench/ops (compiled). */
export const ROOT = existsSync(resolve(__dirname, '../../package.json')) ? resolve(__dirname, '../..') : resolve(__dirname, '../../..');

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The server part of `npm run build` (no web bundle): tsc, path aliases, mail templates;
 * skipped when dist/ was built from the current sources (scripts/build-stamp.js), and
 * serialised by a lock directory so that test files building at once do not interleave.
 */
export function buildServer(): void {
  const lock = join(ROOT, 'dist', '.build-lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const until = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > until) throw new Error(`${lock} held for 10 minutes; remove it if no build runs`);
      execFileSync('sleep', ['0.5']);
    }
  }
  try {
    const stamp = (cmd: string) => execFileSync(process.execPath, [join(ROOT, 'scripts/build-stamp.js'), cmd, 'server'], { cwd: ROOT, stdio: 'pipe' });
    try {
      stamp('check');
      return;
    } catch {
      /* build */
    }
    compileServer();
    stamp('write');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function compileServer(): void {
  for (const tool of ['typescript/bin/tsc', 'tsc-alias/dist/bin/index.js']) {
    try {
      execFileSync(process.execPath, [require.resolve(tool), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch (err) {
      const e = err as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`building dist/ (${tool}) failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    }
  }
  cpSync(join(ROOT, 'libs/mail/src/templates'), join(ROOT, 'dist/libs/mail/src/templates'), { recursive: true });
}

function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin/postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) throw new Error('No PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian package postgresql).');
  return join(base, versions[0], 'bin');
}

function postgresIds(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** A PostgreSQL cluster of its own (trust auth on 127.0.0.1, fsync off: a drill, not a store). */
export class PrivatePostgres {
  private proc: ChildProcess | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly ids: { uid?: number; gid?: number },
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'tr-drill-pg-'));
    chmodSync(dir, 0o755);
    const ids = postgresIds();
    const data = join(dir, 'data');
    mkdirSync(data, { mode: 0o700 });
    if (ids.uid !== undefined) chownSync(data, ids.uid, ids.gid!);
    const bin = pgBinDir();
    execFileSync(join(bin, 'initdb'), [`--pgdata=${data}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C', '--no-instructions'], {
      ...ids,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    const pg = new PrivatePostgres(dir, await freePort(), bin, ids);
    await pg.start();
    return pg;
  }

  url(db = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async start(): Promise<void> {
    const log = openSync(join(this.dir, 'postgres.log'), 'a');
    if (this.ids.uid !== undefined) chownSync(join(this.dir, 'postgres.log'), this.ids.uid, this.ids.gid!);
    this.proc = spawn(
      join(this.bin, 'postgres'),
      [
        '-D',
        join(this.dir, 'data'),
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=300',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { ...this.ids, stdio: ['ignore', log, log], env: { ...process.env, LC_ALL: 'C' } },
    );
    closeSync(log);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const c = new Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
      try {
        await c.connect();
        await c.end();
        return;
      } catch {
        await c.end().catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`private PostgreSQL did not start; see ${join(this.dir, 'postgres.log')}`);
        await sleep(100);
      }
    }
  }

  /** Fast shutdown (SIGINT): sessions are cut, in-flight transactions roll back. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGINT');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A redis-server of its own, no persistence. */
export class PrivateRedis {
  private proc: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async create(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await this.answers())) {
      if (Date.now() > deadline) throw new Error('private redis-server did not start');
      await sleep(50);
    }
  }

  private answers(): Promise<boolean> {
    return new Promise((done) => {
      const s = connect(this.port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        done(true);
      });
      s.once('error', () => {
        s.destroy();
        done(false);
      });
    });
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async flushall(): Promise<void> {
    const c = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      await c.flushall();
    } finally {
      c.disconnect();
    }
  }
}

/** A TCP relay in front of the SMTP sink that can reset every connection and refuse new ones for a while. */
export class SmtpRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private refusingUntil = 0;
  port = 0;
  constructor(private readonly target: number) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      if (Date.now() < this.refusingUntil) {
        client.destroy();
        return;
      }
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Resets every open connection (RST) and drops new ones for `ms`. */
  reset(ms: number): number {
    const n = this.sockets.size;
    this.refusingUntil = Date.now() + ms;
    for (const s of this.sockets) s.resetAndDestroy();
    return n;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export interface ClusterOptions {
  apis: number;
  workers: number;
  queueBackend: 'redis' | 'postgres';
  /** Where processes write their logs. */
  logDir?: string;
  /**
   * Worker tunables for short runs (e.g. the jest drill). Empty: the production defaults
   * of apps/worker/src/worker-options.ts, exactly what `node dist/apps/worker/src/main.js` runs.
   */
  workerOptions?: Record<string, number>;
}

/** The whole private installation. */
export class Cluster {
  readonly supervisor: Supervisor;
  readonly apiPorts: number[] = [];
  readonly log: string[] = [];
  config!: AppConfig;
  private env!: Record<string, string>;

  private constructor(
    readonly pg: PrivatePostgres,
    readonly redis: PrivateRedis,
    readonly sink: SmtpSink,
    readonly smtp: SmtpRelay,
    readonly opts: ClusterOptions,
    readonly logDir: string,
  ) {
    this.supervisor = new Supervisor({
      backoffMs: 500,
      maxBackoffMs: 5_000,
      maxRestarts: 20,
      windowMs: 60_000,
      log: (l) => this.log.push(`${new Date().toISOString()} ${l}`),
      onGiveUp: (name, why) => this.log.push(`GAVE UP on ${name}: ${why}`),
    });
  }

  static async start(opts: ClusterOptions): Promise<Cluster> {
    const [pg, redis, sink] = [await PrivatePostgres.create(), await PrivateRedis.create(), await SmtpSink.start()];
    const smtp = new SmtpRelay(sink.port);
    await smtp.start();
    const logDir = opts.logDir ?? mkdtempSync(join(tmpdir(), 'tr-drill-logs-'));
    mkdirSync(logDir, { recursive: true });
    const c = new Cluster(pg, redis, sink, smtp, opts, logDir);
    await c.prepare();
    return c;
  }

  private async prepare(): Promise<void> {
    this.env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: this.pg.url('trusted_research'),
      DATABASE_APP_PASSWORD: 'drill-app-password',
      REDIS_URL: this.redis.url,
      QUEUE_BACKEND: this.opts.queueBackend,
      SMTP_URL: `smtp://127.0.0.1:${this.smtp.port}`,
      MAIL_FROM: 'Trusted Research <trusted-research@example.ac.uk>',
      PUBLIC_URL: 'http://localhost:3000',
      JWT_SECRET: 'drill-secret-drill-secret-drill-secret-0123456789',
      AUDIT_KEY: 'drill-audit-key-drill-audit-key-0123456789',
      ACCESS_TOKEN_TTL_SECONDS: '7200',
      LOGIN_MAX_ATTEMPTS: '1000',
    };
    this.config = loadConfig(this.env);
    await migrate(this.config);
    if (this.config.queueBackend === 'postgres') await prepareQueueSchema(this.config);
    const owner = createDataSource(this.config, 'owner', 1);
    await owner.initialize();
    await seedDemo(owner);
    await owner.destroy();
  }

  /**
   * Starts the API and worker processes from the build in dist/ (as production runs them;
   * `buildServer()` makes it) and waits for the APIs to answer.
   */
  async up(): Promise<void> {
    const dist = (p: string) => join(ROOT, 'dist', p);
    for (const f of ['apps/api/src/main.js', 'apps/worker/src/main.js', 'bench/ops/worker-child.js']) {
      if (!existsSync(dist(f))) throw new Error(`dist/${f} is missing: build first (npm run build:server).`);
    }
    for (let i = 0; i < this.opts.apis; i++) {
      const port = await freePort();
      this.apiPorts.push(port);
      const fd = openSync(join(this.logDir, `api-${i + 1}.log`), 'a');
      this.supervisor.start({ name: `api-${i + 1}`, script: dist('apps/api/src/main.js'), cwd: ROOT, env: { ...this.env, PORT: String(port) }, stdio: fd });
    }
    for (let i = 0; i < this.opts.workers; i++) {
      const fd = openSync(join(this.logDir, `worker-${i + 1}.log`), 'a');
      const opts = this.opts.workerOptions;
      const script = opts ? dist('bench/ops/worker-child.js') : dist('apps/worker/src/main.js');
      this.supervisor.start({ name: `worker-${i + 1}`, script, args: opts ? [JSON.stringify(opts)] : [], cwd: ROOT, env: this.env, stdio: fd });
    }
    await Promise.all(this.apiPorts.map((p) => this.waitHealthy(p, 120_000)));
  }

  async waitHealthy(port: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
      } catch {
        /* not up */
      }
      if (Date.now() > deadline) throw new Error(`API on ${port} not healthy within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /** SIGKILL the current process of a child; the supervisor starts it again. */
  kill(name: string): number {
    const p = this.supervisor.current(name);
    if (!p?.pid) throw new Error(`no process ${name}`);
    p.kill('SIGKILL');
    return p.pid;
  }

  /** An owner connection to the private database (opened per call: it must survive outages). */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: this.pg.url('trusted_research'), connectionTimeoutMillis: 3000 });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async down(): Promise<void> {
    await this.supervisor.stopAll();
    await this.smtp.close();
    await this.sink.close();
    await this.redis.stop();
    await this.pg.destroy();
    writeFileSync(join(this.logDir, 'supervisor.log'), this.log.join('\n') + '\n');
  }
}
