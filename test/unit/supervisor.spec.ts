import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from '../../scripts/supervisor';

/**
 * The launcher's supervision with real child processes: one that crashes is started again
 * (new pid, a log line saying so) while the other keeps its pid; one that keeps crashing
 * is given up on, and stopAll() ends the rest.
 */
jest.setTimeout(30_000);

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('Supervisor', () => {
  let dir: string;
  let crasher: string;
  let steady: string;
  let sup: Supervisor | null = null;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tr-supervisor-'));
    // Records its pid per start, then dies with exit code 3 after 150 ms.
    crasher = join(dir, 'crasher.js');
    writeFileSync(crasher, `require('fs').appendFileSync(process.argv[2], process.pid + '\\n'); setTimeout(() => process.exit(3), 150);`);
    // Runs until SIGTERM, then leaves a marker.
    steady = join(dir, 'steady.js');
    writeFileSync(
      steady,
      `require('fs').appendFileSync(process.argv[2], process.pid + '\\n'); setInterval(() => {}, 1000); process.on('SIGTERM', () => { require('fs').writeFileSync(process.argv[2] + '.stopped', ''); process.exit(0); });`,
    );
  });

  afterEach(async () => {
    await sup?.stopAll();
    sup = null;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pids = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);

  it('restarts a child that dies, with a log line, and leaves the others running', async () => {
    const log: string[] = [];
    const gaveUp: string[] = [];
    sup = new Supervisor({ backoffMs: 100, maxRestarts: 10, windowMs: 60_000, log: (l) => log.push(l), onGiveUp: (n) => gaveUp.push(n) });
    const crashes = join(dir, 'a.pids');
    const steadyPids = join(dir, 'b.pids');
    sup.start({ name: 'worker', script: crasher, args: [crashes], env: process.env, stdio: 'ignore' });
    sup.start({ name: 'API', script: steady, args: [steadyPids], env: process.env, stdio: 'ignore' });

    await until('three starts of the crashing child', () => pids(crashes).length >= 3);
    const started = pids(crashes);
    expect(new Set(started).size).toBe(started.length); // a new process each time
    expect(log.some((l) => /worker \(pid \d+\) exited \(exit code 3\); restarting in 100 ms/.test(l))).toBe(true);
    expect(log.some((l) => /worker \(pid \d+\) exited \(exit code 3\); restarting in 200 ms/.test(l))).toBe(true); // backoff doubles
    expect(log.some((l) => l.includes('worker started again'))).toBe(true);

    // The other child is the same process throughout, and still alive.
    expect(pids(steadyPids)).toHaveLength(1);
    const apiPid = pids(steadyPids)[0];
    expect(() => process.kill(apiPid, 0)).not.toThrow();
    expect(sup.current('API')!.pid).toBe(apiPid);
    expect(gaveUp).toEqual([]);
    expect(sup.givenUp).toBe(false);

    await sup.stopAll();
    expect(existsSync(`${steadyPids}.stopped`)).toBe(true);
  });

  it('restarts a child killed with SIGKILL', async () => {
    const log: string[] = [];
    sup = new Supervisor({ backoffMs: 50, log: (l) => log.push(l), onGiveUp: () => undefined });
    const file = join(dir, 'c.pids');
    sup.start({ name: 'API', script: steady, args: [file], env: process.env, stdio: 'ignore' });
    await until('the first start', () => pids(file).length === 1);
    process.kill(pids(file)[0], 'SIGKILL');
    await until('the restart', () => pids(file).length === 2);
    expect(log.some((l) => /API \(pid \d+\) exited \(signal SIGKILL\); restarting/.test(l))).toBe(true);
  });

  it('gives up on a child that keeps dying, once, and names it', async () => {
    const log: string[] = [];
    const gaveUp: string[] = [];
    sup = new Supervisor({ backoffMs: 20, maxRestarts: 2, windowMs: 60_000, log: (l) => log.push(l), onGiveUp: (n, why) => gaveUp.push(`${n}: ${why}`) });
    const file = join(dir, 'd.pids');
    sup.start({ name: 'worker', script: crasher, args: [file], env: process.env, stdio: 'ignore' });
    await until('giving up', () => gaveUp.length > 0);
    await new Promise((r) => setTimeout(r, 400));
    expect(pids(file)).toHaveLength(3); // the first start and two restarts, no more
    expect(gaveUp).toEqual([expect.stringMatching(/^worker: worker exited \(exit code 3\) after 2 restart\(s\) within 60 s$/)]);
    expect(sup.givenUp).toBe(true);
    expect(log[log.length - 1]).toMatch(/giving up/);
  });
});
