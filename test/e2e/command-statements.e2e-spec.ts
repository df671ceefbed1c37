import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

/**
 * Statements a command sends (issue 17): a count is deterministic where a time is not.
 * The API's `pg` Client is patched for the one request, so every statement the API
 * sends is counted, BEGIN and COMMIT included (server-side trigger work is not a client statement).
 */
async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const proto = require('pg').Client.prototype as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  const statements: string[] = [];
  proto.query = function (this: unknown, ...a: unknown[]) {
    const q = a[0] as string | { text?: string };
    statements.push((typeof q === 'string' ? q : (q?.text ?? '?')).replace(/\s+/g, ' ').trim());
    return original.apply(this, a);
  };
  try {
    return { result: await fn(), statements };
  } finally {
    proto.query = original;
  }
}

describe('statements per command', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  it('a triage sends at most 10 statements, BEGIN and COMMIT included, and answers the case as the database holds it', async () => {
    const c = await d.submitted();
    await t.token(DEMO.officer);
    await d.act(DEMO.officer, (await d.submitted()).id, 'triage', { riskLevel: 'low', exportControlRelevant: false }); // warm caches
    const { result: res, statements } = await countStatements(() => d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false }));
    expect(res.status).toBe(200);
    // Before the transaction: the session check (who is asking: the user and their session, one statement). Then the command and its answer.
    const begin = statements.findIndex((q) => /^(BEGIN|START TRANSACTION)/i.test(q));
    expect(begin).toBe(1);
    expect(statements[0]).toMatch(/FROM app_user u .*refresh_token|refresh_token.*FROM app_user u/);
    const commit = statements.findIndex((q) => /^COMMIT/i.test(q));
    expect(begin).toBeGreaterThanOrEqual(0);
    const kinds = statements.slice(begin, commit + 1).map((q) => q.split(' ').slice(0, 3).join(' '));
    // BEGIN, lock the row, the research team (who may see it: access.ts teamIds), the facts
    // (one read, the case's people with them), the row with its SLA clock, the audit event,
    // the timers and outbox (one write), COMMIT: the SLA calendar and policy come from the cache.
    expect(kinds).toEqual([
      expect.stringMatching(/^(BEGIN|START TRANSACTION)/),
      expect.stringMatching(/^SELECT/),
      expect.stringMatching(/^SELECT/),
      expect.stringMatching(/^SELECT/),
      expect.stringMatching(/^UPDATE collaboration_case/),
      expect.stringMatching(/^INSERT INTO case_event/),
      expect.stringMatching(/^WITH cancelled AS/),
      'COMMIT',
    ]);
    expect(statements[begin + 1]).toMatch(/FOR UPDATE/);
    expect(statements[begin + 3]).toMatch(/FROM case_person/);
    // The answer is built from the row the transaction wrote and the research team it read: one read of flags, timers, screening and clock.
    expect(statements.length - commit - 1).toBe(1);
    expect(statements.length).toBeLessThanOrEqual(10);
    const [row] = await t.owner.query('SELECT version, state, sla_due_at FROM collaboration_case WHERE id = $1', [c.id]);
    expect(res.body.case.version).toBe(row.version);
    expect(res.body.case.state).toBe('triaged');
    const view = await d.get(DEMO.officer, `/api/cases/${c.id}`);
    // The SLA clock's time used is read at answer time: in working hours it moves between the two
    // answers (a CI run at 10:17 saw 6 then 29 ms). The same clock, read no earlier; all else equal.
    type Sla = { usedMs: number } | null;
    const clockless = (body: { sla: Sla }) => ({ ...body, sla: body.sla && { ...body.sla, usedMs: 0 } });
    expect(clockless(res.body.case)).toEqual(clockless(view.body));
    expect(view.body.sla.usedMs).toBeGreaterThanOrEqual(res.body.case.sla.usedMs);
  });

  it('a changed SLA policy, even written by hand, is used by the next command: the cache reloads when the version moves', async () => {
    const triage = async (c: { id: string }) => {
      await t.token(DEMO.officer);
      return countStatements(() => d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false }));
    };
    const [a, b, c2, c3] = [await d.submitted(), await d.submitted(), await d.submitted(), await d.submitted()];
    await triage(a);
    const [before] = await t.owner.query(`SELECT target FROM sla_policy WHERE stage = 'triaged'`);
    await t.owner.query(`UPDATE sla_policy SET target = '1wd' WHERE stage = 'triaged'`);
    try {
      const after = await triage(b);
      expect(after.result.status).toBe(200);
      expect(after.statements.some((q) => /FROM sla_policy/.test(q))).toBe(true);
      expect(after.result.body.case.sla).toEqual(expect.objectContaining({ stage: 'triaged' }));
      const [row] = await t.owner.query(`SELECT sla_budget_ms FROM collaboration_case WHERE id = $1`, [b.id]);
      const [old] = await t.owner.query(`SELECT sla_budget_ms FROM collaboration_case WHERE id = $1`, [a.id]);
      expect(Number(row.sla_budget_ms)).toBeLessThan(Number(old.sla_budget_ms));
      const again = await triage(c2);
      expect(again.statements.some((q) => /FROM sla_policy/.test(q))).toBe(false);
      const [row2] = await t.owner.query(`SELECT sla_budget_ms FROM collaboration_case WHERE id = $1`, [c2.id]);
      expect(row2.sla_budget_ms).toBe(row.sla_budget_ms);
    } finally {
      await t.owner.query(`UPDATE sla_policy SET target = $1 WHERE stage = 'triaged'`, [before.target]);
    }
    const restored = await triage(c3);
    expect(restored.statements.some((q) => /FROM sla_policy/.test(q))).toBe(true);
  });
});
