import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { appDatabaseUrl } from '@app/config';
import { canonicalJson } from '@app/domain';
import { AuditRepository } from '@app/persistence';
import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

/**
 * The application's database role may INSERT audit events. Before the chain was keyed it
 * could fabricate one that verified (a plain SHA-256 over public fields); now verify names it.
 */
describe('audit chain keyed with AUDIT_KEY: forged appends', () => {
  let t: TestApp;
  let d: CaseDriver;
  let app: Client;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    app = new Client({ connectionString: appDatabaseUrl(t.config) });
    await app.connect();
  });
  afterAll(async () => {
    await app?.end();
    await t?.close();
  });

  const verify = async () => (await d.get(DEMO.admin, '/api/admin/audit/verify')).body;

  it('events carry the configured key id, and an honest trail verifies', async () => {
    const c = await d.triaged();
    const rows = await t.owner.query('SELECT key_id FROM case_event WHERE case_id = $1', [c.id]);
    expect(rows.length).toBeGreaterThan(1);
    expect(new Set(rows.map((r: { key_id: string }) => r.key_id))).toEqual(new Set([t.config.audit.keyId]));
    expect(await verify()).toMatchObject({ ok: true, firstBroken: null });
  });

  it('the app role INSERTs a fabricated approval with a correct plain SHA-256 link: verify names it', async () => {
    const c = await d.triaged();
    const [last] = (await app.query('SELECT seq, hash FROM case_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1', [c.id])).rows;
    const createdAt = new Date().toISOString();
    const forged = {
      caseId: c.id,
      seq: last.seq + 1,
      actorId: await t.userId(DEMO.lead),
      action: 'approve',
      fromState: 'triaged',
      toState: 'approved',
      payload: { comment: 'looks fine' },
      createdAt,
      prevHash: last.hash,
    };
    const hash = createHash('sha256').update(canonicalJson(forged), 'utf8').digest('hex');
    await app.query(
      `INSERT INTO case_event (case_id, seq, actor_id, action, from_state, to_state, payload, created_at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        forged.caseId,
        forged.seq,
        forged.actorId,
        forged.action,
        forged.fromState,
        forged.toState,
        JSON.stringify(forged.payload),
        createdAt,
        forged.prevHash,
        hash,
      ],
    );
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ chain: 'case', caseId: c.id, seq: forged.seq });
    expect(result.firstBroken.reason).toMatch(/unkeyed SHA-256/);
  });

  it('the app role cannot move the boundary before which plain hashes are accepted', async () => {
    await expect(app.query(`UPDATE audit_key_epoch SET last_unkeyed_id = 1e12`)).rejects.toThrow(/permission denied|append-only/);
    await expect(app.query(`DELETE FROM audit_key_epoch`)).rejects.toThrow(/permission denied|append-only/);
  });

  it('verification needs the key: the same trail under another key fails at the first event', async () => {
    const wrong = new AuditRepository({ audit: { keyId: t.config.audit.keyId, key: 'some-other-key-0123456789abcdefghij', previousKeys: new Map() } });
    const result = await wrong.verify(t.owner.manager);
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(1);
  });
});
