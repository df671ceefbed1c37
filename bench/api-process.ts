/**
 * The built API (dist/apps/api/src/main.js) as its own process, as production runs it:
 * started on a free port, measured from /proc (RSS and CPU of the process tree, i.e. a
 * cluster primary and its workers), stopped at the end. Shared by bench.ts and api-bench.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { API_NODE_ARGS } from '../apps/api/src/node-args';
import { processUserSystemTicks, TICKS_PER_SECOND } from './cpu';
import { request } from './http';
import type { LoadJob, LoadOutcome } from './load-worker';

/** A process and its descendants, from /proc. */
function tree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, pp] of parent)
      if (out.has(pp) && !out.has(pid)) {
        out.add(pid);
        grew = true;
      }
  }
  return [...out];
}

/** RSS of a process and its descendants (a cluster primary and its workers). */
export function treeRss(root: number): number {
  let total = 0;
  for (const pid of tree(root)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** CPU seconds (user, system) a process and its descendants have used so far. */
export function treeCpuSeconds(root: number): { user: number; system: number } {
  let user = 0;
  let system = 0;
  for (const t of processUserSystemTicks(tree(root)).values()) {
    user += t.user;
    system += t.system;
  }
  return { user: user / TICKS_PER_SECOND, system: system / TICKS_PER_SECOND };
}

export interface ApiProcess {
  port: number;
  pid: number;
  rss: () => number;
  cpuSeconds: () => { user: number; system: number };
}

/**
 * Runs the built API with API_WORKERS=n on a free port until `fn` is done, started as
 * production starts it: with the API's node arguments (apps/api/src/node-args.ts). `nodeArgs`
 * go to node after those (a later V8 flag wins; `bare` leaves the API's own out) and before the script (e.g. --cpu-prof, --cpu-prof-dir=...: the profile is
 * written when the process exits); `script` may be another build's main.js (A/B runs).
 */
export async function withApiProcess<T>(
  env: Record<string, string>,
  n: number,
  fn: (api: ApiProcess) => Promise<T>,
  nodeArgs: string[] = [],
  script = path.resolve(__dirname, '..', 'apps', 'api', 'src', 'main.js'),
  bare = false,
): Promise<T> {
  if (!existsSync(script)) throw new Error(`${script} is missing: build the server first (npm run build:server)`);
  const port = await new Promise<number>((resolve) => {
    const srv = require('node:net').createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = srv.address().port;
      srv.close(() => resolve(p));
    });
  });
  const child = spawn(process.execPath, [...(bare ? [] : API_NODE_ARGS), ...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port), API_WORKERS: String(n) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      // Any answer means it listens (health may say 503 without a worker running).
      const ok = await request(port, 'GET', '/api/health').then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`API process (API_WORKERS=${n}) did not answer /api/health`);
      await new Promise((r) => setTimeout(r, 300));
    }
    // With N processes, every one must be up before the load starts.
    await new Promise((r) => setTimeout(r, n > 1 ? 3000 : 500));
    return await fn({ port, pid: child.pid!, rss: () => treeRss(child.pid!), cpuSeconds: () => treeCpuSeconds(child.pid!) });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => {
      if (child.exitCode !== null) r(null);
      else child.once('exit', r);
      setTimeout(r, 20_000).unref();
    });
  }
}

/** The environment the bench runs the API with (in process and as its own process): its own database and Redis prefix. */
export function benchApiEnv(pg: string, db: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: `${pg}/${db}`,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: db.replace(/_/g, ''),
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    LOGIN_MAX_ATTEMPTS: '1000', // the brief said 100000; loadConfig caps it at 1000
    ACCESS_TOKEN_TTL_SECONDS: '7200',
  };
}

/** autocannon in a worker thread (load-worker.ts), so the load generator has an event loop of its own. */
export function runLoad(job: LoadJob): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'load-worker.js'), { workerData: job });
    w.once('message', (m: { ok: boolean; out?: LoadOutcome; error?: string }) => {
      void w.terminate();
      if (m.ok) resolve(m.out!);
      else reject(new Error(`load worker: ${m.error}`));
    });
    w.once('error', reject);
  });
}

export interface ApiTriageRun {
  ok: number;
  non2xx: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** CPU (user + system) of the API's process tree per successful request, under the load. */
  cpuMsPerRequest: number;
  /** Of which in the kernel (socket reads and writes, mostly). */
  systemCpuMsPerRequest: number;
  rssIdleMb: number;
  rssPeakMb: number;
  /** Triage at one connection (no queueing), when `serial` ids were given. */
  serial: { ok: number; p50: number; p99: number } | null;
}

const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

/**
 * Triage against an API process: a warm-up, then `amount` requests at `connections`
 * (RSS idle before and peak during, CPU of the process tree per request), then, with
 * `serial` ids, the same at one connection.
 */
export async function measureApiTriage(
  api: ApiProcess,
  o: { warm: string[]; ids: string[]; amount: number; connections: number; serial?: string[]; body: Record<string, unknown> },
): Promise<ApiTriageRun> {
  const login = await request(api.port, 'POST', '/api/auth/login', undefined, { email: 'officer@example.ac.uk', password: 'demo1234' });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  const token = login.body.accessToken as string;
  const url = `http://127.0.0.1:${api.port}`;
  const job = { url, token, connections: o.connections, action: 'triage', body: o.body };
  await runLoad({ ...job, ids: o.warm, amount: o.warm.length });
  const idle = api.rss();
  let peak = idle;
  const timer = setInterval(() => {
    peak = Math.max(peak, api.rss());
  }, 100);
  const cpu0 = api.cpuSeconds();
  const res = (await runLoad({ ...job, ids: o.ids, amount: o.amount })).result;
  const cpu1 = api.cpuSeconds();
  clearInterval(timer);
  peak = Math.max(peak, api.rss());
  const perRequest = (s: number) => Math.round(((s * 1000) / Math.max(1, res['2xx'])) * 100) / 100;
  let serial: ApiTriageRun['serial'] = null;
  if (o.serial?.length) {
    const s = (await runLoad({ ...job, connections: 1, ids: o.serial, amount: o.serial.length })).result;
    serial = { ok: s['2xx'], p50: s.latency.p50, p99: s.latency.p99 };
  }
  return {
    ok: res['2xx'],
    non2xx: res.non2xx,
    requestsPerSecond: Math.round((res['2xx'] / res.duration) * 10) / 10,
    p50: res.latency.p50,
    p99: res.latency.p99,
    cpuMsPerRequest: perRequest(cpu1.user + cpu1.system - cpu0.user - cpu0.system),
    systemCpuMsPerRequest: perRequest(cpu1.system - cpu0.system),
    rssIdleMb: mb(idle),
    rssPeakMb: mb(peak),
    serial,
  };
}
