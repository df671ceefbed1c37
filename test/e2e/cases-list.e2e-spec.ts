import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';

describe('case lists and visibility', () => {
  let t: TestApp;
  let d: CaseDriver;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    // researcher (Physics): 3 submitted + 1 draft; researcher2 (Chemistry): 2 submitted; head of Physics: 1 submitted
    for (let i = 0; i < 3; i++) ids[`r1-${i}`] = (await d.submitted(DEMO.researcher)).id;
    ids['r1-draft'] = (await d.draft(DEMO.researcher, 'Draft on quantum sensing')).id;
    const chem = completeAnswers({ partners: [{ name: 'Tsinghua University', country: 'CN', type: 'university' }] });
    for (let i = 0; i < 2; i++) {
      const c = await d.draft(DEMO.researcher2, `Catalysis study ${i}`, chem);
      await d.ok(DEMO.researcher2, c.id, 'submit');
      ids[`r2-${i}`] = c.id;
    }
    ids['head'] = (await d.submitted(DEMO.headPhysics)).id;
  });
  afterAll(() => t.close());

  const list = async (email: string, query = '') => {
    const res = await d.get(email, `/api/cases${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: { id: string; state: string; reference: string }[]; nextCursor: string | null };
  };

  it('a researcher sees only their own cases, drafts included; staff see every submitted case', async () => {
    const mine = await list(DEMO.researcher);
    expect(mine.items.map((c) => c.id).sort()).toEqual([ids['r1-0'], ids['r1-1'], ids['r1-2'], ids['r1-draft']].sort());
    const staff = await list(DEMO.officer, '?limit=100');
    expect(staff.items.map((c) => c.id)).toEqual(expect.arrayContaining([ids['r2-0'], ids['head'], ids['r1-0']]));
  });

  it('keyset pages walk every case exactly once, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(DEMO.officer, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    const all = await list(DEMO.officer, '?limit=100');
    expect(seen).toEqual(all.items.map((c) => c.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('a cursor cannot be replayed against another filter', async () => {
    const page = await list(DEMO.officer, '?limit=1');
    const res = await d.get(DEMO.officer, `/api/cases?limit=1&state=submitted&cursor=${page.nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^cursor: /);
  });

  it('filters: state, department, text, assignee, mine; bad values are named', async () => {
    const [{ id: chem }] = await t.owner.query(`SELECT id FROM department WHERE code = 'CHEM'`);
    expect((await list(DEMO.officer, `?department=${chem}`)).items.map((c) => c.id).sort()).toEqual([ids['r2-0'], ids['r2-1']].sort());
    expect((await list(DEMO.officer, '?q=tsinghua')).items.map((c) => c.id).sort()).toEqual([ids['r2-0'], ids['r2-1']].sort());
    expect((await list(DEMO.officer, '?q=100%25')).items).toEqual([]);
    // A whole reference, in any case and with spaces around it, finds exactly its case; part of one searches the text.
    const [{ reference }] = await t.owner.query(`SELECT reference FROM collaboration_case WHERE id = $1`, [ids['r2-1']]);
    expect((await list(DEMO.officer, `?q=${encodeURIComponent(` ${reference.toLowerCase()} `)}`)).items.map((c) => c.id)).toEqual([ids['r2-1']]);
    expect((await list(DEMO.researcher, `?q=${reference}`)).items).toEqual([]); // still only what the viewer may see
    expect((await list(DEMO.officer, `?q=${reference.slice(0, 8)}&limit=100`)).items.map((c) => c.id)).toEqual(
      expect.arrayContaining([ids['r2-1'], ids['r1-0']]),
    );
    expect((await list(DEMO.officer, '?state=draft')).items).toEqual([]); // drafts are the researcher's own
    expect((await list(DEMO.researcher, '?state=draft')).items.map((c) => c.id)).toEqual([ids['r1-draft']]);
    await d.ok(DEMO.officer, ids['r1-0'], 'triage', { riskLevel: 'low', exportControlRelevant: false });
    expect((await list(DEMO.officer, '?assignee=me')).items.map((c) => c.id)).toEqual([ids['r1-0']]);
    expect((await list(DEMO.officer, '?state=triaged&sort=age')).items.map((c) => c.id)).toEqual([ids['r1-0']]);
    const bad = await d.get(DEMO.officer, '/api/cases?state=lost&limit=500');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.message).toMatch(/limit|state/);
  });

  it('the acting signer sees a case only while it waits for them, then as a past sign-off', async () => {
    const c = ids['r1-1'];
    expect((await d.get(DEMO.headPhysics, `/api/cases/${c}`)).status).toBe(404);
    await d.ok(DEMO.officer, c, 'triage', { riskLevel: 'medium', exportControlRelevant: false });
    expect((await d.get(DEMO.headPhysics, `/api/cases/${c}`)).status).toBe(404);
    await d.ok(DEMO.officer, c, 'request_sign_off', { decisionText: 'Proceed with a TCP.' });
    const waiting = await d.get(DEMO.headPhysics, `/api/cases/${c}`);
    expect(waiting.status).toBe(200);
    expect(waiting.body.riskLevel).toBe('medium'); // the signer sees the assessment they sign
    expect((await d.get(DEMO.headChemistry, `/api/cases/${c}`)).status).toBe(404);
    await d.ok(DEMO.headPhysics, c, 'endorse', {});
    expect((await d.get(DEMO.headPhysics, `/api/cases/${c}`)).status).toBe(200);
    // Their own case is visible to them as its owner, but the RSDO lead signs it.
    const own = ids['head'];
    await d.ok(DEMO.officer, own, 'triage', { riskLevel: 'medium', exportControlRelevant: false });
    await d.ok(DEMO.officer, own, 'request_sign_off', { decisionText: 'Proceed.' });
    expect((await d.act(DEMO.headPhysics, own, 'endorse', {})).body.code).toBe('NOT_ALLOWED_FOR_ROLE');
    expect((await d.act(DEMO.lead, own, 'endorse', {})).status).toBe(200);
  });

  it('a list walked one item a page, in every sort, holds exactly the cases each non-staff viewer may open, in order', async () => {
    // One more case waiting for the head of Physics, so every way of seeing a case is present:
    // own (drafts too), waiting for my sign-off, my department's past sign-offs, signed by me.
    const waiting = (await d.submitted(DEMO.researcher)).id;
    await d.ok(DEMO.officer, waiting, 'triage', { riskLevel: 'medium', exportControlRelevant: false });
    await d.ok(DEMO.officer, waiting, 'request_sign_off', { decisionText: 'Proceed with a TCP.' });
    // The sort keys at full precision, from the table (a researcher's list rows carry no SLA dates).
    const us = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS ${col}`;
    const all: Record<'id' | 'created_at' | 'updated_at' | 'submitted_at' | 'sla_due_at', string | null>[] = await t.owner.query(
      `SELECT id, ${['created_at', 'updated_at', 'submitted_at', 'sla_due_at'].map(us).join(', ')} FROM collaboration_case`,
    );
    const row = new Map(all.map((c) => [c.id as string, c]));
    const sorts = { created: ['created_at', -1], updated: ['updated_at', -1], age: ['submitted_at', 1], due: ['sla_due_at', 1] } as const;
    for (const who of [DEMO.researcher, DEMO.researcher2, DEMO.headPhysics, DEMO.headChemistry]) {
      const may: string[] = [];
      for (const { id } of all) if ((await d.get(who, `/api/cases/${id}`)).status === 200) may.push(id as string);
      for (const [sort, [column, dir]] of Object.entries(sorts)) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await d.get(who, `/api/cases?limit=1&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
          expect(res.status).toBe(200);
          seen.push(...(res.body.items as { id: string }[]).map((x) => x.id));
          cursor = res.body.nextCursor as string | null;
        } while (cursor && seen.length <= all.length);
        // age and due lists hold only the cases that have the date they sort by.
        const expected = may.filter((id) => row.get(id)?.[column] != null);
        const key = (id: string) => `${row.get(id)?.[column]}|${id}`;
        expected.sort((x, y) => dir * (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
        expect({ who, sort, seen }).toEqual({ who, sort, seen: expected });
      }
      // researcher2 sees own cases only; the head of Physics sees theirs, one waiting and one signed.
      if (who !== DEMO.headChemistry) expect(may.length).toBeGreaterThan(1);
    }
  });

  it('researchers never see internal notes, flags or triage reasoning', async () => {
    const c = ids['r1-2'];
    await d.ok(DEMO.officer, c, 'triage', { riskLevel: 'low', exportControlRelevant: false, comment: 'Partner looks fine.' });
    await d.ok(DEMO.officer, c, 'flag', { reason: 'Check funder', blocking: false });
    const officerTok = await t.token(DEMO.officer);
    expect(
      (
        await t
          .http()
          .post(`/api/cases/${c}/notes`)
          .set('Authorization', `Bearer ${officerTok}`)
          .send({ body: 'Internal: watch list check pending', visibility: 'internal' })
      ).status,
    ).toBe(201);
    expect(
      (
        await t
          .http()
          .post(`/api/cases/${c}/notes`)
          .set('Authorization', `Bearer ${officerTok}`)
          .send({ body: 'Please send the contract draft.', visibility: 'researcher' })
      ).status,
    ).toBe(201);
    const resTok = await t.token(DEMO.researcher);
    const internal = await t.http().post(`/api/cases/${c}/notes`).set('Authorization', `Bearer ${resTok}`).send({ body: 'sneaky', visibility: 'internal' });
    expect(internal.status).toBe(403);
    const notes = await d.get(DEMO.researcher, `/api/cases/${c}/notes`);
    expect(notes.body.items.map((n: { body: string }) => n.body)).toEqual(['Please send the contract draft.']);
    const staffNotes = await d.get(DEMO.officer, `/api/cases/${c}/notes`);
    expect(staffNotes.body.items).toHaveLength(2);
    const view = (await d.get(DEMO.researcher, `/api/cases/${c}`)).body;
    expect(view.flags).toBeUndefined();
    expect(view.triage).toBeUndefined();
    const events = (await d.get(DEMO.researcher, `/api/cases/${c}/events`)).body.items;
    expect(events.map((e: { action: string }) => e.action)).not.toContain('flag');
    expect(events.find((e: { action: string }) => e.action === 'triage').payload).toEqual({});
    expect(events.filter((e: { action: string }) => e.action === 'add_note')).toHaveLength(1);
  });

  it('GET /api/cases/:id/actions lists what this user may do now, with a JSON Schema per action', async () => {
    const c = await d.submitted(DEMO.researcher);
    const officer = (await d.get(DEMO.officer, `/api/cases/${c.id}/actions`)).body.items;
    const names = officer.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(['assign', 'triage', 'reject', 'request_information', 'flag']));
    expect(names).not.toContain('withdraw');
    const triage = officer.find((a: { name: string }) => a.name === 'triage');
    expect(triage.schema.required).toEqual(expect.arrayContaining(['riskLevel', 'exportControlRelevant']));
    const owner = (await d.get(DEMO.researcher, `/api/cases/${c.id}/actions`)).body.items.map((a: { name: string }) => a.name);
    expect(owner).toEqual(['withdraw']);
  });
});
