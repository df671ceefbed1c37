import { Client } from 'pg';
import { createTestApp, DEMO, TestApp } from '@app/testing';

jest.setTimeout(60_000);

/**
 * The database goes away under a running API (this test database refuses new
 * connections and the API's are terminated): requests answer 503 SERVICE_UNAVAILABLE
 * with Retry-After, never 500; when the database is back the same API process answers
 * 200 again, with no restart.
 */
describe('API during a database outage', () => {
  let t: TestApp;
  let token: string;
  const admin = async (sql: string) => {
    const url = new URL(t.config.database.url);
    url.pathname = '/postgres';
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const down = async () => {
    await admin(`ALTER DATABASE "${t.dbName}" WITH ALLOW_CONNECTIONS false`);
    await t.owner.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND usename = $1`, [
      t.config.database.appUser,
    ]);
  };
  const up = () => admin(`ALTER DATABASE "${t.dbName}" WITH ALLOW_CONNECTIONS true`);

  beforeAll(async () => {
    t = await createTestApp();
    token = `Bearer ${await t.token(DEMO.officer)}`;
  });
  afterAll(async () => {
    if (t) await up().catch(() => undefined);
    await t?.close();
  });

  it('answers 503 with Retry-After during the outage and 200 after it, in the same process', async () => {
    expect((await t.http().get('/api/cases').set('Authorization', token)).status).toBe(200);
    await down();
    try {
      const during = await Promise.all([
        t.http().get('/api/cases').set('Authorization', token),
        t.http().get('/api/cases?sla=breached').set('Authorization', token),
        t
          .http()
          .post('/api/cases')
          .set('Authorization', `Bearer ${await t.token(DEMO.researcher).catch(() => 'x')}`)
          .send({ title: 'During the outage' }),
      ]);
      for (const res of during) {
        expect(res.status).not.toBe(500);
        if (res.status === 401) continue; // a token could not be minted without the database: refused, not failed
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          message: expect.stringMatching(/^The database is unavailable at the moment, so the request was not completed; try again in 5 seconds\.$/),
        });
      }
      expect(during[0].status).toBe(503);
      const health = await t.http().get('/health');
      expect(health.status).toBe(503);
    } finally {
      await up();
    }
    const after = await t.http().get('/api/cases').set('Authorization', token);
    expect(after.status).toBe(200);
  });
});
