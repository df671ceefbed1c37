import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { completeAnswers, DEMO, eventually } from '@app/testing';
import { buildServer } from '../../bench/ops/cluster';
import { DEMO_PASSWORD } from '@app/persistence';

/**
 * The bare-machine path, as a person runs it: `node dist/scripts/start.js` (what `npm
 * start` runs after building) with DATABASE_URL and REDIS_URL unset and
 * EMBEDDED_POSTGRES=force, the same code path auto-detection takes when nothing answers
 * at 127.0.0.1:5432 and 6379. It comes up on the embedded PostgreSQL 18 with BullMQ on
 * PostgreSQL; a submitted case's email reaches the demo mail catcher (MailDev); SIGTERM
 * stops everything, the database last; a second start finds the data again. A worker
 * killed with SIGKILL is started again by the launcher while the API keeps running (the
 * email test after it runs on the restarted worker).
 */
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

type Launcher = ChildProcess & { output: () => string };

function launch(env: Record<string, string>): Launcher {
  const child = spawn(process.execPath, ['dist/scripts/start.js'], {
    cwd: ROOT,
    // Deliberately not the test process's environment: no DATABASE_URL, REDIS_URL, NODE_ENV.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b) => {
    out += b;
  });
  child.stderr!.on('data', (b) => {
    out += b;
  });
  return Object.assign(child, { output: () => out });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done, reject) => {
    const t = setTimeout(() => reject(new Error(`the launcher did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(t);
      done(code);
    });
  });
}

async function untilRunning(child: Launcher, timeoutMs = 150_000): Promise<void> {
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${child.output()}`);
      // The banner's last line: its lines arrive in more than one chunk, so "running" alone
      // raced the Database and Queues lines the tests read next.
      return child.output().includes('Trusted Research is running.') && child.output().includes('Press Ctrl-C to stop.');
    },
    timeoutMs,
    'npm start to come up',
  );
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start on a bare machine: embedded PostgreSQL, queues on PostgreSQL', () => {
  let dir: string;
  let env: Record<string, string>;
  let api: string;
  let mailWeb: string;
  const launched: Launcher[] = [];

  beforeAll(async () => {
    // `npm start` builds first (package.json "build"); the server code and the email
    // templates are what matter here, not the web bundle.
    // (skipped when dist/ is current; serialised with other test files that build)
    buildServer();
    dir = mkdtempSync(join(tmpdir(), 'tr-embedded-'));
    chmodSync(dir, 0o755); // run as root, PostgreSQL runs as the postgres user and must reach its data directory
    const [pgPort, port, smtpPort, webPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    env = {
      EMBEDDED_POSTGRES: 'force',
      EMBEDDED_POSTGRES_DIR: join(dir, 'postgres'),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      PORT: String(port),
      DEMO_MAIL_SMTP_PORT: String(smtpPort),
      DEMO_MAIL_WEB_PORT: String(webPort),
    };
    api = `http://localhost:${port}`;
    mailWeb = `http://127.0.0.1:${webPort}`;
  });

  afterAll(async () => {
    for (const c of launched) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGTERM');
        await exited(c, 60_000).catch(() => c.kill('SIGKILL'));
      }
    }
    if (!dir) return;
    // Never leave a server behind, whatever failed.
    const pidFile = join(dir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (pid > 0 && pidAlive(pid)) process.kill(pid, 'SIGINT');
      for (let i = 0; i < 100 && pid > 0 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const login = async (email: string): Promise<string> => {
    const res = await fetch(`${api}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  };

  let caseId: string;

  it('comes up on the embedded PostgreSQL 18 and BullMQ on PostgreSQL, and says so loudly', async () => {
    const first = launch(env);
    launched.push(first);
    await untilRunning(first);
    expect(first.output()).toContain('DEMO DATABASE: starting the EMBEDDED PostgreSQL, not your own server.');
    expect(first.output()).toMatch(/Database: EMBEDDED PostgreSQL 18/);
    // Every migration ran on PostgreSQL 18 here (the other test files run them on the machine's server).
    expect(first.output()).toMatch(/Database migrated \(\d+ migration\(s\) applied\)/);
    expect(first.output()).toContain('migration applied: LoginAttempt1764000000005');
    // The demo seed imports the sample screening lists, so the demo shows hits.
    for (const kind of ['uk_sanctions', 'us_csl', 'watch_list']) expect(first.output()).toMatch(new RegExp(`screening list ${kind}: \\d+ sample entries`));

    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    const h = (await health.json()) as { database: Record<string, unknown>; queue: Record<string, unknown>; redis?: unknown };
    expect(h.database).toMatchObject({ status: 'up', kind: 'embedded', at: `127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/trusted_research` });
    expect(String(h.database.version)).toMatch(/^18\./);
    expect(h.queue).toMatchObject({ status: 'up', backend: 'postgres' });
    expect(h.redis).toBeUndefined();
  });

  it('restarts a worker killed with SIGKILL while the API keeps answering (the launcher supervises)', async () => {
    const first = launched[0];
    const workerPid = Number(/worker started \(pid (\d+)\)/.exec(first.output())?.[1]);
    const apiPid = Number(/API started \(pid (\d+)\)/.exec(first.output())?.[1]);
    expect(workerPid).toBeGreaterThan(0);
    process.kill(workerPid, 'SIGKILL');
    await eventually(async () => /worker started again \(pid \d+\)/.test(first.output()), 30_000, 'the worker to be started again');
    expect(first.output()).toMatch(new RegExp(`worker \\(pid ${workerPid}\\) exited \\(signal SIGKILL\\); restarting in`));
    expect(first.exitCode).toBeNull();
    expect(pidAlive(apiPid)).toBe(true); // the same API process
    expect((await fetch(`${api}/health`)).status).toBe(200);
  });

  it('takes a submitted case through to its email in the mail catcher', async () => {
    const token = await login(DEMO.researcher);
    const created = await call(token, 'POST', '/api/cases', { title: 'Superconducting films with Toronto', answers: completeAnswers() });
    expect(created.status).toBe(201);
    caseId = created.body.id as string;
    const ref = created.body.reference as string;
    const submitted = await call(token, 'POST', `/api/cases/${caseId}/actions/submit`, {});
    expect(submitted.status).toBe(200);

    type Mail = { subject: string; to: { address: string }[] };
    const mails = await eventually(
      async () => {
        const list = (await (await fetch(`${mailWeb}/email`)).json()) as Mail[];
        const mine = list.filter((m) => m.subject === `[${ref}] We have received your case`);
        return mine.length ? mine : null;
      },
      30_000,
      `the receipt email of ${ref} in MailDev`,
    );
    expect(mails!.map((m) => m.to[0].address)).toEqual([DEMO.researcher]);

    // The demo's sample lists answer a screening check.
    const check = await call(await login(DEMO.officer), 'POST', '/api/screening/check', { name: 'Harbin Institute of Technology', country: 'CN' });
    expect(check.status).toBe(200);
    expect((check.body.hits as unknown[]).length).toBeGreaterThan(0);

    // Login throttling works without Redis (the login_attempt table).
    const bad = await fetch(`${api}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.officer, password: 'wrong' }),
    });
    expect(bad.status).toBe(401);
  });

  it('stops cleanly on SIGTERM, the database last, and keeps the data for the next start', async () => {
    const first = launched[0];
    const pid = Number(readFileSync(join(env.EMBEDDED_POSTGRES_DIR, 'postmaster.pid'), 'utf8').split('\n')[0]);
    first.kill('SIGTERM');
    expect(await exited(first, 60_000)).toBe(0);
    expect(first.output()).toContain('Stopping the embedded PostgreSQL');
    expect(pidAlive(pid)).toBe(false);
    expect(existsSync(join(env.EMBEDDED_POSTGRES_DIR, 'postmaster.pid'))).toBe(false);

    const second = launch(env);
    launched.push(second);
    await untilRunning(second);
    expect(second.output()).not.toContain('first start only');
    expect(second.output()).not.toContain('Demo data seeded');
    const got = await call(await login(DEMO.researcher), 'GET', `/api/cases/${caseId}`);
    expect(got.status).toBe(200);
    expect(got.body.state).toBe('submitted');
    second.kill('SIGTERM');
    expect(await exited(second, 60_000)).toBe(0);
  });

  it('refuses the embedded database in production, and never falls back when DATABASE_URL is unreachable', async () => {
    const prod = launch({ ...env, NODE_ENV: 'production' });
    launched.push(prod);
    expect(await exited(prod, 30_000)).toBe(1);
    expect(prod.output()).toContain('EMBEDDED_POSTGRES=force is for demo mode only');

    const down = launch({ ...env, EMBEDDED_POSTGRES: 'auto', DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/trusted_research` });
    launched.push(down);
    expect(await exited(down, 30_000)).toBe(1);
    expect(down.output()).toMatch(/PostgreSQL is not reachable at 127\.0\.0\.1:\d+/);
    expect(down.output()).not.toContain('EMBEDDED');
  });
});
