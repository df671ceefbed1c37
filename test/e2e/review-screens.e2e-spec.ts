import { join } from 'node:path';
import { AuditRepository } from '@app/persistence';
import { importDemoLists } from '@app/screening';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';

const ROOT = join(__dirname, '../..');

/**
 * What the officer's review screens read from the API (issue 14): each list row's SLA
 * state and due date and the SLA views, who acted on the timeline and notes, ISO country
 * codes refused everywhere a country is accepted, and the demo's sample screening lists.
 */
describe('review screens: SLA in the list, actors, countries, demo lists', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const rows = async (email: string, query: string) => (await d.get(email, `/api/cases?${query}`)).body.items as Record<string, unknown>[];

  it('each staff row carries the stage SLA state and due date; the breaching-soon and breached views agree with it', async () => {
    const late = await d.submitted();
    const soon = await d.submitted();
    const fine = await d.submitted();
    // The clock's own columns, moved as time passing would move them (the worker's marks are not needed: the reading is time-based).
    await t.owner.query(`UPDATE collaboration_case SET sla_due_at = now() - interval '1 hour', sla_at_risk_from = now() - interval '2 days' WHERE id = $1`, [
      late.id,
    ]);
    await t.owner.query(`UPDATE collaboration_case SET sla_due_at = now() + interval '3 hours', sla_at_risk_from = now() - interval '1 hour' WHERE id = $1`, [
      soon.id,
    ]);
    const all = await rows(DEMO.officer, 'limit=100&sort=created');
    const byId = new Map(all.map((r) => [r.id, r]));
    expect(byId.get(late.id)).toMatchObject({ slaState: 'breached', slaPaused: false });
    expect(byId.get(soon.id)).toMatchObject({ slaState: 'at_risk' });
    expect(byId.get(fine.id)).toMatchObject({ slaState: 'on_track' });
    expect(new Date(byId.get(fine.id)!.slaDueAt as string).getTime()).toBeGreaterThan(Date.now());

    const breached = await rows(DEMO.officer, 'sla=breached&sort=due&limit=100');
    expect(breached.map((r) => r.id)).toContain(late.id);
    expect(breached.every((r) => r.slaState === 'breached')).toBe(true);
    const breaching = await rows(DEMO.officer, 'sla=at_risk&sort=due&limit=100');
    expect(breaching.map((r) => r.id)).toEqual(expect.arrayContaining([soon.id]));
    expect(breaching.map((r) => r.id)).not.toContain(late.id);
    // sort=due: soonest first
    const due = (await rows(DEMO.officer, 'sort=due&limit=100')).map((r) => new Date(r.slaDueAt as string).getTime());
    expect(due).toEqual([...due].sort((a, b) => a - b));
    // a researcher's own rows show neither the risk nor the SLA, as the single read
    const mine = (await rows(DEMO.researcher, 'mine=true&limit=100')).find((r) => r.id === late.id)!;
    expect(mine).toBeDefined();
    expect(Object.keys(mine)).not.toEqual(expect.arrayContaining(['slaState']));
    expect(mine.slaDueAt).toBeUndefined();
    expect((await d.get(DEMO.officer, '/api/cases?sort=soonest')).status).toBe(400);
  });

  it('the timeline and notes name the person and the role they acted in; nobody else learns anything', async () => {
    const c = await d.submitted();
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    const tok = await t.token(DEMO.officer);
    expect(
      (await t.http().post(`/api/cases/${c.id}/notes`).set('Authorization', `Bearer ${tok}`).send({ body: 'Checked the partner.', visibility: 'researcher' }))
        .body,
    ).toMatchObject({ authorName: 'Olivia Grant', authorRole: 'rsdo_officer' });
    const events = (await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items as Record<string, unknown>[];
    expect(events.find((e) => e.action === 'submit')).toMatchObject({ actorName: 'Rosalind Price', actorRole: 'researcher' });
    expect(events.find((e) => e.action === 'triage')).toMatchObject({ actorName: 'Olivia Grant', actorRole: 'rsdo_officer' });
    const seen = (await d.get(DEMO.researcher, `/api/cases/${c.id}/notes`)).body.items;
    expect(seen).toEqual([expect.objectContaining({ body: 'Checked the partner.', authorName: 'Olivia Grant', authorRole: 'rsdo_officer' })]);
    // someone who may not see the case gets the same 404 as for a missing one
    for (const path of ['events', 'notes']) expect((await d.get(DEMO.researcher2, `/api/cases/${c.id}/${path}`)).status).toBe(404);
  });

  it('refuses an unknown ISO 3166 country code wherever a country is accepted, naming the field', async () => {
    const draft = await d.draft();
    const tok = await t.token(DEMO.researcher);
    const patch = await t
      .http()
      .patch(`/api/cases/${draft.id}`)
      .set('Authorization', `Bearer ${tok}`)
      .send({ answers: completeAnswers({ partners: [{ name: 'Nowhere Institute', country: 'ZZ', type: 'university' }] }) });
    expect(patch.status).toBe(400);
    expect(JSON.stringify(patch.body)).toContain('partners[0].country');
    expect(patch.body.message).toContain('"ZZ" is not an ISO 3166-1 country code');
    const created = await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${tok}`)
      .send({ title: 'Funded', answers: { funders: [{ name: 'Fund', country: 'XX', type: 'charity' }] } });
    expect(created.status).toBe(400);
    expect(created.body.message).toBe(`Funder 1's country "XX" is not an ISO 3166-1 country code; use a two-letter code in capitals, such as GB.`);
    expect(JSON.stringify(created.body.details)).toContain('funders[0].country');
    const off = await t.token(DEMO.officer);
    const check = await t.http().post('/api/screening/check').set('Authorization', `Bearer ${off}`).send({ name: 'Acme', country: 'ZZ' });
    expect(check.status).toBe(400);
    expect(check.body.message).toContain('country: "ZZ" is not an ISO 3166-1 country code');
    expect((await t.http().post('/api/screening/check').set('Authorization', `Bearer ${off}`).send({ name: 'Acme', country: 'GB' })).status).toBe(200);
    const report = await t.http().get('/api/reports?country=QQ').set('Authorization', `Bearer ${off}`);
    expect(report.status).toBe(400);
    expect(report.body.message).toContain('country: "QQ" is not an ISO 3166-1 country code');
  });

  it('the demo sample lists import (once) and a demo case naming a listed partner shows hits', async () => {
    const first = await importDemoLists(t.owner, new AuditRepository(t.config), ROOT);
    expect(first.map((r) => r.kind)).toEqual(['uk_sanctions', 'us_csl', 'watch_list']);
    expect(first.every((r) => r.entries > 0)).toBe(true);
    expect((await importDemoLists(t.owner, new AuditRepository(t.config), ROOT)).every((r) => r.unchanged)).toBe(true);
    const c = await d.draft(
      DEMO.researcher,
      'Catalysis with HIT',
      completeAnswers({ partners: [{ name: 'Harbin Institute of Technology', country: 'CN', type: 'university' }] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    const view = (await d.get(DEMO.officer, `/api/cases/${c.id}`)).body;
    expect(view.screeningHits.length).toBeGreaterThan(0);
    expect(view.screeningHits[0]).toMatchObject({ entryName: expect.any(String), flagStatus: 'open' });
  });
});
