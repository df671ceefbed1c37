import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

describe('one transaction per command under contention', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const eventCount = async (id: string) => (await t.owner.query('SELECT count(*)::int AS n FROM case_event WHERE case_id = $1', [id]))[0].n;

  it('100 concurrent identical actions on one case: exactly one succeeds, the rest get 409', async () => {
    const c = await d.submitted();
    await t.token(DEMO.officer);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['INVALID_TRANSITION']));
    expect(await eventCount(c.id)).toBe(3); // create, submit, triage: one event, one version bump
    const [row] = await t.owner.query('SELECT version, state FROM collaboration_case WHERE id = $1', [c.id]);
    expect(row).toEqual({ version: 3, state: 'triaged' });
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM outbox WHERE case_id = $1 AND payload->>'action' = 'triage'`, [c.id]))[0].n).toBe(1);
  });

  it('100 concurrent same-state actions carrying the same expectedVersion: one wins, 99 STALE_VERSION', async () => {
    const c = await d.triaged();
    const [{ version }] = await t.owner.query('SELECT version FROM collaboration_case WHERE id = $1', [c.id]);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => d.act(DEMO.officer, c.id, 'flag', { reason: `note ${i}`, blocking: false, expectedVersion: version })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(99);
    expect(new Set(refused.map((r) => r.body.code))).toEqual(new Set(['STALE_VERSION']));
    expect((await t.owner.query('SELECT count(*)::int AS n FROM case_flag WHERE case_id = $1', [c.id]))[0].n).toBe(1);
  });
});
