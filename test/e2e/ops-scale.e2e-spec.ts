import { buildServer } from '../../bench/ops/cluster';
import { runScale } from '../../bench/ops/scale';

jest.setTimeout(600_000);

/**
 * Scale-out without duplicates: two API processes and two workers on one private
 * PostgreSQL and Redis, with the queues on Redis and then on PostgreSQL, under a load of
 * case transitions with SLA timers (4 s reminder, 8 s escalation) firing meanwhile: every
 * email arrives once, every timer fires once, each case's submit and assign are recorded
 * once, the audit chains verify. (`npm run bench:scale` measures the throughput.)
 */
describe('two APIs and two workers on one database', () => {
  beforeAll(() => buildServer());

  it.each(['redis', 'postgres'] as const)('queues on %s: nothing duplicated, everything delivered', async (backend) => {
    const r = await runScale(backend, 2, 6_000, 4, () => undefined);
    expect(r.cases).toBeGreaterThan(0);
    expect(r.emails).toBeGreaterThanOrEqual(r.cases * 3);
    expect(r.timersFired).toBeGreaterThanOrEqual(r.cases * 2);
    expect(r).toMatchObject({ duplicateEmails: 0, duplicateTimers: 0, duplicateEvents: 0, auditOk: true });
  });
});
