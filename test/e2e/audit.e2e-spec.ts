import { Client } from 'pg';
import { appDatabaseUrl } from '@app/config';
import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

describe('append-only, hash-chained audit trail', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const verify = async () => (await d.get(DEMO.admin, '/api/admin/audit/verify')).body;

  it('the application role cannot update, delete or truncate events', async () => {
    await d.triaged();
    const app = new Client({ connectionString: appDatabaseUrl(t.config) });
    await app.connect();
    try {
      await expect(app.query(`UPDATE case_event SET payload = '{}'`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`DELETE FROM case_event`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`TRUNCATE case_event`)).rejects.toThrow(/permission denied|must be owner/);
      await expect(app.query(`ALTER TABLE case_event DISABLE TRIGGER case_event_append_only`)).rejects.toThrow(/must be owner/);
    } finally {
      await app.end();
    }
  });

  it('even the owner is stopped by the trigger', async () => {
    await expect(t.owner.query(`UPDATE case_event SET payload = '{}'`)).rejects.toThrow(/append-only/);
    await expect(t.owner.query(`TRUNCATE case_event`)).rejects.toThrow(/append-only/);
  });

  it('verification passes on an honest trail and names the first broken link after tampering', async () => {
    const a = await d.triaged();
    const b = await d.triaged();
    expect(await verify()).toMatchObject({ ok: true, firstBroken: null });

    // An operator with owner rights disables the trigger and rewrites history.
    const qr = t.owner.createQueryRunner();
    await qr.connect();
    try {
      await qr.query('ALTER TABLE case_event DISABLE TRIGGER case_event_append_only');
      await qr.query(`UPDATE case_event SET payload = jsonb_set(payload, '{riskLevel}', '"high"') WHERE case_id = $1 AND seq = 3`, [b.id]);
      await qr.query('ALTER TABLE case_event ENABLE TRIGGER case_event_append_only');
    } finally {
      await qr.release();
    }
    const broken = await verify();
    expect(broken.ok).toBe(false);
    expect(broken.firstBroken).toMatchObject({ chain: 'case', caseId: b.id, seq: 3 });
    expect(broken.firstBroken.reason).toMatch(/hash/i);
    void a;
  });
});
