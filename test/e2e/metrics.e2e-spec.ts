import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

const TOKEN = 'scrape-token-0123456789abcdefghij';

/** GET /metrics through the real API: who may read it, and what it counts. */
describe('metrics', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN });
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const scrape = (auth?: string) => {
    const r = t.http().get('/metrics');
    return auth ? r.set('Authorization', `Bearer ${auth}`) : r;
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('answers the scrape token and admins only', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token')).status).toBe(401);
    expect((await scrape(await t.token(DEMO.officer))).status).toBe(403);
    const admin = await scrape(await t.token(DEMO.admin));
    expect(admin.status).toBe(200);
    const res = await scrape(TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
  });

  it('counts case actions by outcome, requests by route pattern, queue depths, pool and deliveries', async () => {
    const c = await d.submitted();
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    expect((await d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false })).status).toBe(409);
    await d.get(DEMO.officer, `/api/cases/${c.id}`);
    const text = (await scrape(TOKEN)).text;
    expect(value(text, 'case_commands_total{action="triage",outcome="ok"}')).toBe(1);
    expect(value(text, 'case_commands_total{action="triage",outcome="refused"}')).toBe(1);
    expect(value(text, 'case_commands_total{action="submit",outcome="ok"}')).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count{method="GET",route="/api/cases/:id",status="200"}')).toBe(1);
    expect(text).not.toContain(c.id); // route patterns, never ids
    expect(value(text, 'db_pool_connections{state="max"}')).toBe(t.config.database.poolSize);
    expect(text).toMatch(/^queue_jobs\{queue="deliveries",state="waiting"\} \d+$/m);
    expect(text).toContain('# TYPE deliveries gauge'); // rows appear once the worker relays mail
    expect(text).toContain('# TYPE timer_lateness_seconds gauge');
  });
});
