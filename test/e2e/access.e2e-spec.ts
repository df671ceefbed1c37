import { randomUUID } from 'node:crypto';
import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

/**
 * Issue 12, "Access: one policy": the known defects, each through HTTP, lists and single
 * reads alike (libs/domain/src/access.ts and the SQL rule in case.repository.ts).
 */
describe('access: one policy for every read', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    // An officer who is also a researcher in Physics (officer-who-owns).
    await t.owner.query(
      `UPDATE app_user SET roles = '{rsdo_officer,researcher}', department_id = (SELECT id FROM department WHERE code = 'PHYS') WHERE email = $1`,
      [DEMO.officer2],
    );
  }, 120_000);
  afterAll(() => t.close());

  const as = async (email: string) => `Bearer ${await t.token(email)}`;
  const get = async (email: string, path: string) =>
    t
      .http()
      .get(path)
      .set('Authorization', await as(email));
  const post = async (email: string, path: string, body: Record<string, unknown>) =>
    t
      .http()
      .post(path)
      .set('Authorization', await as(email))
      .send(body);
  const listIds = async (email: string) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(email, `/api/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return ids;
  };
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const upload = async (email: string, caseId: string, visibility?: string) => {
    const req = t
      .http()
      .post(`/api/cases/${caseId}/attachments`)
      .set('Authorization', await as(email))
      .field('kind', 'other');
    if (visibility) req.field('visibility', visibility);
    return req.attach('file', pdf, 'note.pdf');
  };

  it('(1) a draft withdrawn before it was submitted stays private: staff get 404 on it and its sub-resources, and it is not in their list', async () => {
    const c = await d.draft(DEMO.researcher);
    await d.ok(DEMO.researcher, c.id, 'withdraw', { reason: 'Not going ahead.' });
    for (const who of [DEMO.officer, DEMO.lead, DEMO.exportOfficer, DEMO.admin]) {
      for (const path of ['', '/events', '/notes', '/actions', '/attachments', '/notifications', '/answers', '/risk', '/changes']) {
        const res = await get(who, `/api/cases/${c.id}${path}`);
        expect({ who, path, status: res.status }).toEqual({ who, path, status: 404 });
      }
      expect(await listIds(who)).not.toContain(c.id);
    }
    // The owner still has it.
    expect((await get(DEMO.researcher, `/api/cases/${c.id}`)).status).toBe(200);
    expect(await listIds(DEMO.researcher)).toContain(c.id);
  });

  it("(2) the list returns the same fields as the single read: no riskLevel on a researcher's own rows", async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: false });
    const one = await get(DEMO.researcher, `/api/cases/${c.id}`);
    expect(one.body).not.toHaveProperty('riskLevel');
    const row = (await get(DEMO.researcher, '/api/cases?limit=100')).body.items.find((i: { id: string }) => i.id === c.id);
    expect(row).toBeDefined();
    expect(row).not.toHaveProperty('riskLevel');
    // Staff see it in both.
    expect((await get(DEMO.officer, `/api/cases/${c.id}`)).body.riskLevel).toBe('medium');
    const staffRow = (await get(DEMO.officer, '/api/cases?limit=100')).body.items.find((i: { id: string }) => i.id === c.id);
    expect(staffRow.riskLevel).toBe('medium');
  });

  it('(3) an officer who owns a case is the researcher on it: no internal notes, risk, triage, screening, delivery log; cannot write internal notes', async () => {
    const c = await d.submitted(DEMO.officer2);
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'medium', exportControlRelevant: false });
    expect(
      (await post(DEMO.officer, `/api/cases/${c.id}/notes`, { body: 'Partner appears on a watch list; keep an eye.', visibility: 'internal' })).status,
    ).toBe(201);

    const view = await get(DEMO.officer2, `/api/cases/${c.id}`);
    expect(view.status).toBe(200);
    for (const k of ['riskLevel', 'triage', 'flags', 'screeningHits', 'riskAssessment', 'timers']) expect(view.body).not.toHaveProperty(k);
    const notes = await get(DEMO.officer2, `/api/cases/${c.id}/notes`);
    expect(notes.body.items ?? notes.body).toEqual([]);
    expect((await get(DEMO.officer2, `/api/cases/${c.id}/risk`)).status).toBe(404);
    expect((await get(DEMO.officer2, `/api/cases/${c.id}/notifications`)).status).toBe(404);
    const events = (await get(DEMO.officer2, `/api/cases/${c.id}/events`)).body.items as { action: string; payload: Record<string, unknown> }[];
    expect(events.find((e) => e.action === 'add_note')).toBeUndefined();
    expect(events.find((e) => e.action === 'triage')?.payload).toEqual({});
    const wrote = await post(DEMO.officer2, `/api/cases/${c.id}/notes`, { body: 'Note to self', visibility: 'internal' });
    expect(wrote.status).toBe(403);
    // In the list too.
    const row = (await get(DEMO.officer2, '/api/cases?limit=100')).body.items.find((i: { id: string }) => i.id === c.id);
    expect(row).not.toHaveProperty('riskLevel');
    // A colleague keeps the staff view.
    expect((await get(DEMO.officer, `/api/cases/${c.id}`)).body.riskLevel).toBe('medium');
  });

  it("(4) the delegate of a head does not see the head's own case while it waits for the RSDO lead; the lead does", async () => {
    const dept = (await t.owner.query(`SELECT id FROM department WHERE code = 'PHYS'`))[0].id as string;
    const delegate = await t.userId(DEMO.headChemistry);
    const today = new Date().toISOString().slice(0, 10);
    expect((await post(DEMO.headPhysics, `/api/departments/${dept}/delegates`, { userId: delegate, startsOn: today, endsOn: today })).status).toBe(201);
    try {
      const c = await d.triaged(DEMO.headPhysics, { riskLevel: 'medium', exportControlRelevant: false });
      const asked = await d.ok(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' });
      expect(asked.case.state).toBe('head_sign_off');
      expect((await get(DEMO.headChemistry, `/api/cases/${c.id}`)).status).toBe(404);
      expect(await listIds(DEMO.headChemistry)).not.toContain(c.id);
      expect((await get(DEMO.lead, `/api/cases/${c.id}`)).status).toBe(200);
      // A researcher's case in Physics: the delegate is an acting signer and sees it.
      const r = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: false });
      await d.ok(DEMO.officer, r.id, 'request_sign_off', { decisionText: 'Proceed.' });
      expect((await get(DEMO.headChemistry, `/api/cases/${r.id}`)).status).toBe(200);
      expect(await listIds(DEMO.headChemistry)).toContain(r.id);
    } finally {
      await t.owner.query(`DELETE FROM department_delegate WHERE delegate_user_id = $1`, [delegate]);
    }
  });

  it("(5) every case sub-resource answers another person's draft exactly as a missing case (no existence oracle)", async () => {
    const c = await d.draft(DEMO.researcher);
    const missing = randomUUID();
    for (const path of ['', '/events', '/notes', '/actions', '/attachments', '/notifications', '/answers', '/risk', '/changes']) {
      for (const who of [DEMO.officer, DEMO.researcher2]) {
        const real = await get(who, `/api/cases/${c.id}${path}`);
        const none = await get(who, `/api/cases/${missing}${path}`);
        expect({ path, who, status: real.status, code: real.body.code }).toEqual({ path, who, status: none.status, code: none.body.code });
      }
    }
    expect((await get(DEMO.officer, `/api/cases/${c.id}/notifications`)).status).toBe(404);
  });

  it('attachments: owner uploads default to researcher, staff uploads to internal; the researcher never sees internal ones', async () => {
    const c = await d.submitted(DEMO.researcher);
    const mine = await upload(DEMO.researcher, c.id);
    expect(mine.status).toBe(201);
    expect(mine.body.visibility).toBe('researcher');
    const staff = await upload(DEMO.officer, c.id);
    expect(staff.status).toBe(201);
    expect(staff.body.visibility).toBe('internal');
    const shared = await upload(DEMO.officer, c.id, 'researcher');
    expect(shared.body.visibility).toBe('researcher');
    const refused = await upload(DEMO.researcher, c.id, 'internal');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^visibility/);

    const seen = (await get(DEMO.researcher, `/api/cases/${c.id}/attachments`)).body.items.map((a: { id: string }) => a.id);
    expect(seen.sort()).toEqual([mine.body.id, shared.body.id].sort());
    expect((await get(DEMO.researcher, `/api/attachments/${staff.body.id}`)).status).toBe(404);
    expect((await get(DEMO.researcher, `/api/attachments/${staff.body.id}/content`)).status).toBe(404);
    const all = (await get(DEMO.officer, `/api/cases/${c.id}/attachments`)).body.items.map((a: { id: string }) => a.id);
    expect(all).toHaveLength(3);
  });
});
