import { ALL_FAULTS, drillTable, runDrill, RoundResult } from '../../bench/ops/drill';
import { buildServer } from '../../bench/ops/cluster';

jest.setTimeout(600_000);

/**
 * The fault drill of `npm run drill`, smaller: a private PostgreSQL cluster and
 * redis-server on free ports, the real API and worker processes (from dist/, under the
 * launcher's supervisor), a load of case transitions, and one round of each fault —
 * worker kill -9, API kill -9, FLUSHALL, Redis stopped, PostgreSQL restart, PostgreSQL
 * stopped mid-send, SMTP 451, SMTP connection reset. Outages last 5 s here (20 s / 15 s
 * in `npm run drill`), the worker's lease and sweep are short (5 s / 2 s) so that a round
 * recovers in seconds; the reconciler keeps its production period.
 */
describe('fault drill (small)', () => {
  let rounds: RoundResult[] = [];

  beforeAll(async () => {
    buildServer();
    const out = await runDrill({
      apis: 1,
      workers: 1,
      queueBackend: 'redis',
      faults: ALL_FAULTS,
      clients: 3,
      loadMs: 3_000,
      faultAtMs: 1_000,
      redisDownMs: 5_000,
      pgDownMs: 5_000,
      recoverWithinMs: 60_000,
      workerOptions: {
        leaseMs: 5_000,
        sweepEveryMs: 2_000,
        sweepAfterMs: 3_000,
        retryBaseMs: 200,
        lockDurationMs: 5_000,
        stalledIntervalMs: 2_000,
        pollEveryMs: 500,
      },
      log: () => undefined,
    });
    rounds = out.rounds;
    console.log(`${drillTable(rounds)}\n${out.cluster.supervisorLog.join('\n')}`);
  });

  it('ran every fault under load', () => {
    expect(rounds.map((r) => r.fault)).toEqual(ALL_FAULTS);
    for (const r of rounds) expect(r.transitions).toBeGreaterThan(0);
    for (const r of rounds) expect(r.expected).toBeGreaterThan(0);
  });

  it.each(ALL_FAULTS)('%s: nothing lost or stuck, duplicates only for rows mid-send at a kill, no 500, recovered, audit intact', (fault) => {
    const r = rounds.find((x) => x.fault === fault)!;
    expect(r).toMatchObject({ lost: 0, stuck: 0, http500: 0, auditOk: true, recovered: true });
    expect(r.sent).toBe(r.expected);
    expect(r.dup).toBeLessThanOrEqual(r.sendingAtKill);
    // Only a kill or a connection reset can leave the sender not knowing its message was taken.
    if (!['worker kill -9', 'API kill -9', 'SMTP reset'].includes(fault)) expect(r.dup).toBe(0);
  });

  it('answered the database outages with 503, not 500', () => {
    const pg = rounds.filter((r) => r.fault.startsWith('PostgreSQL'));
    expect(pg.reduce((n, r) => n + r.http500, 0)).toBe(0);
    expect(rounds.find((r) => r.fault === 'PostgreSQL stopped mid-send')!.http503).toBeGreaterThan(0);
  });
});
