import { INestApplicationContext } from '@nestjs/common';
import { CaseDriver, CapturedMail, createTestApp, DEMO, eventually, SmtpSink, startWorker, TestApp } from '@app/testing';

jest.setTimeout(120_000);

/**
 * Service levels end to end, with elapsed-time policies (PT2S …) so timers fire in
 * seconds: reminders then escalations in order, none after the case moved on, the clock
 * paused by a request for information, and a policy change moving open cases' timers.
 */
describe('SLA: reminders and escalations', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;

  const admin = async () => `Bearer ${await t.token(DEMO.admin)}`;
  const setPolicy = async (stage: string, policy: Record<string, unknown>) => {
    const res = await t
      .http()
      .put(`/api/admin/sla/policies/${stage}`)
      .set('Authorization', await admin())
      .send(policy);
    if (res.status !== 200) throw new Error(`policy ${stage}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { casesMoved: number };
  };
  const forCase = (ref: string): CapturedMail[] => sink.messages.filter((m) => m.subject.startsWith(`[${ref}]`)).sort((a, b) => a.receivedAt - b.receivedAt);
  const timers = (caseId: string) => t.owner.query(`SELECT id, kind, stage, status, due_at, payload FROM case_timer WHERE case_id = $1 ORDER BY id`, [caseId]);
  const slaOf = async (caseId: string) => (await d.get(DEMO.officer, `/api/cases/${caseId}`)).body.sla;
  const listSla = async (sla: string) => (await d.get(DEMO.officer, `/api/cases?sla=${sla}&limit=100`)).body.items.map((c: { id: string }) => c.id);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    d = new CaseDriver(t);
    // Open around the clock, so the escalations of this file are never held for business hours.
    const res = await t
      .http()
      .put('/api/admin/sla/settings')
      .set('Authorization', await admin())
      .send({ days: [1, 2, 3, 4, 5, 6, 7], opens: '00:00', closes: '24:00' });
    expect(res.status).toBe(200);
    worker = await startWorker(t.config);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink?.close();
  });

  it('reminds the assignee, then escalates to the RSDO lead, then to the head of office, in order; the case shows breached', async () => {
    await setPolicy('submitted', {
      target: 'PT4S',
      atRiskAt: 50,
      ladder: [
        { type: 'reminder', at: 50, to: 'assignee' },
        { type: 'escalation', at: 100, to: 'rsdo_lead' },
        { type: 'escalation', at: 100, plus: 'PT2S', to: 'head_of_office' },
      ],
    });
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    const sla = await slaOf(c.id);
    expect(sla).toMatchObject({ stage: 'submitted', clock: 'elapsed', targetMs: 4000, state: 'on_track', paused: false });
    expect(await listSla('on_track')).toContain(c.id);

    const reminder = `[${c.reference}] Reminder: triage reminder`;
    const escalation = `[${c.reference}] Escalation: submitted is past its service level`;
    await sink.waitFor(() => forCase(c.reference).filter((m) => m.subject === escalation).length >= 2, 30_000, 'the reminder and both escalations');
    const mails = forCase(c.reference).filter((m) => m.subject === reminder || m.subject === escalation);
    expect(mails.map((m) => `${m.to.join(',')} ${m.subject}`)).toEqual([
      `${DEMO.officer} ${reminder}`,
      `${DEMO.lead} ${escalation}`,
      `${DEMO.lead} ${escalation}`, // no head of office named: the RSDO lead stands in
    ]);
    expect(mails[1].text).toContain('RSDO lead');
    expect(mails[2].text).toContain('head of the research office');

    expect(await slaOf(c.id)).toMatchObject({ state: 'breached' });
    expect(await listSla('breached')).toContain(c.id);
    expect(await listSla('on_track')).not.toContain(c.id);
    const [row] = await t.owner.query(`SELECT sla_state FROM collaboration_case WHERE id = $1`, [c.id]);
    expect(row.sla_state).toBe('breached'); // recorded by the worker when the breach escalation fired
    const fired = (await timers(c.id)).filter((x: { status: string }) => x.status === 'fired');
    expect(fired).toHaveLength(3);
  });

  it('sends no reminder when the case is acted on before it is due', async () => {
    await setPolicy('submitted', {
      target: 'PT3S',
      ladder: [
        { type: 'reminder', at: 50, to: 'assignee' },
        { type: 'escalation', at: 100, to: 'rsdo_lead' },
      ],
    });
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    const rows = await timers(c.id);
    const submittedRows = rows.filter((r: { stage: string }) => r.stage === 'submitted');
    expect(submittedRows.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`)).toEqual([
      'triage_reminder:cancelled',
      'sla_escalation:cancelled',
    ]);
    await new Promise((r) => setTimeout(r, 5000));
    expect(forCase(c.reference).filter((m) => /Reminder|Escalation/.test(m.subject))).toEqual([]);
    expect(await slaOf(c.id)).toMatchObject({ stage: 'triaged', clock: 'business' });
  });

  it('pauses the clock while awaiting information and resumes it with the due date moved by the pause', async () => {
    await setPolicy('triaged', { target: 'PT30S', ladder: [{ type: 'reminder', at: 90, to: 'assignee' }] });
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    const before = await slaOf(c.id);
    const due0 = new Date(before.dueAt).getTime();

    await new Promise((r) => setTimeout(r, 1000));
    await d.ok(DEMO.officer, c.id, 'request_information', { question: 'Who funds the visits?', replyBy: '2099-01-31' });
    const paused = await slaOf(c.id);
    expect(paused).toMatchObject({ stage: 'triaged', paused: true, dueAt: null, state: 'on_track' });
    expect(paused.usedMs).toBeGreaterThanOrEqual(900);
    expect(await listSla('paused')).toContain(c.id);
    const ladder = (await timers(c.id)).filter((r: { kind: string }) => r.kind === 'stage_reminder');
    expect(ladder.map((r: { status: string }) => r.status)).toEqual(['cancelled']);
    // The researcher's reminders (5 and 2 working days before the reply is due) and the lapse are pending instead.
    const info = (await timers(c.id)).filter((r: { status: string }) => r.status === 'pending').map((r: { kind: string }) => r.kind);
    expect(info).toEqual(['information_reminder', 'information_reminder', 'information_due']);

    const pauseMs = 3000;
    await new Promise((r) => setTimeout(r, pauseMs));
    await d.ok(DEMO.researcher, c.id, 'respond', { message: 'The EPSRC grant.' });
    const resumed = await slaOf(c.id);
    expect(resumed).toMatchObject({ stage: 'triaged', paused: false, state: 'on_track' });
    expect(resumed.pausedMs).toBeGreaterThanOrEqual(pauseMs);
    const moved = new Date(resumed.dueAt).getTime() - due0;
    expect(moved).toBeGreaterThanOrEqual(resumed.pausedMs - 50);
    expect(moved).toBeLessThan(resumed.pausedMs + 1000);
    // A new row (a new id) carries the remaining reminder; the information timers are cancelled.
    const after = await timers(c.id);
    const pending = after.filter((r: { status: string }) => r.status === 'pending');
    expect(pending.map((r: { kind: string }) => r.kind)).toEqual(['stage_reminder']);
    expect(pending[0].id).not.toBe(ladder[0].id);
    expect(Math.abs(new Date(pending[0].due_at).getTime() - (new Date(resumed.dueAt).getTime() - 3000))).toBeLessThan(50);
  });

  it('moves the due dates of open cases when the policy changes: new rows, the old ones cancelled, only the new ones fire', async () => {
    await setPolicy('submitted', { target: 'PT10M', ladder: [{ type: 'reminder', at: 50, to: 'assignee' }] });
    const c = await d.submitted(DEMO.researcher2);
    const [old] = await timers(c.id);
    expect(old.status).toBe('pending');
    const oldDue = new Date(old.due_at).getTime();

    const res = await setPolicy('submitted', {
      target: 'PT4S',
      ladder: [
        { type: 'reminder', at: 50, to: 'assignee' },
        { type: 'reminder', at: 75, to: 'assignee', kind: 'second_reminder' },
      ],
    });
    expect(res.casesMoved).toBeGreaterThanOrEqual(1);
    const rows = await timers(c.id);
    expect(rows.find((r: { id: string }) => r.id === old.id).status).toBe('cancelled');
    const fresh = rows.filter((r: { id: string }) => r.id !== old.id);
    expect(fresh.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`)).toEqual(['triage_reminder:pending', 'second_reminder:pending']);
    expect(new Date(fresh[0].due_at).getTime()).toBeLessThan(oldDue);
    expect((await slaOf(c.id)).targetMs).toBe(4000);

    await eventually(async () => (await timers(c.id)).filter((r: { status: string }) => r.status === 'fired').length === 2, 20_000, 'the new timers to fire');
    const firedIds = (await t.owner.query(`SELECT payload->>'timerId' AS id FROM outbox WHERE topic = 'timer-fired' AND case_id = $1 ORDER BY id`, [c.id])).map(
      (r: { id: string }) => r.id,
    );
    expect(firedIds).toEqual(fresh.map((r: { id: string }) => String(r.id)));
    // Unassigned: every officer is reminded, twice (two steps), and no one hears from the old row.
    await sink.waitFor(() => forCase(c.reference).filter((m) => m.subject.includes('Reminder')).length === 4, 15_000, 'four reminders');
  });

  it('reminds the researcher before the reply is due and tells the officer when it lapses', async () => {
    const c = await d.submitted(DEMO.researcher2);
    await d.ok(DEMO.officer2, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer2) });
    await d.ok(DEMO.officer2, c.id, 'request_information', { question: 'Who funds the visits?', replyBy: '2099-01-30' });
    const rows = (await timers(c.id)).filter((r: { status: string }) => r.status === 'pending');
    expect(rows.map((r: { kind: string }) => r.kind)).toEqual(['information_reminder', 'information_reminder', 'information_due']);
    // Friday 30 January 2099, 17:00 GMT, and 5 and 2 working days before it (this file works around the clock: 24-hour days).
    expect(rows.map((r: { due_at: Date }) => new Date(r.due_at).toISOString())).toEqual([
      '2099-01-25T17:00:00.000Z',
      '2099-01-28T17:00:00.000Z',
      '2099-01-30T17:00:00.000Z',
    ]);
    // The dates are decades away; the database clock is what decides, so bring them to now.
    await t.owner.query(`UPDATE case_timer SET due_at = now() + (id % 10) * interval '300 milliseconds' WHERE case_id = $1 AND status = 'pending'`, [c.id]);
    await sink.waitFor(
      () => forCase(c.reference).filter((m) => /Reminder: your reply|No reply/.test(m.subject)).length === 3,
      20_000,
      'two reminders and the lapse',
    );
    const got = forCase(c.reference)
      .filter((m) => /Reminder: your reply|No reply/.test(m.subject))
      .map((m) => `${m.to.join(',')} ${m.subject}`)
      .sort();
    expect(got).toEqual([
      `${DEMO.officer2} [${c.reference}] No reply: the information request has lapsed`,
      `${DEMO.researcher2} [${c.reference}] Reminder: your reply is due Friday 30 January 2099`,
      `${DEMO.researcher2} [${c.reference}] Reminder: your reply is due Friday 30 January 2099`,
    ]);
  });

  it('lets only admins edit policies and refuses a bad one with the field named', async () => {
    const officer = await d.get(DEMO.officer, '/api/admin/sla/policies');
    expect(officer.status).toBe(403);
    const list = await t
      .http()
      .get('/api/admin/sla/policies')
      .set('Authorization', await admin());
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { stage: string }) => p.stage).sort()).toEqual([
      'export_control_review',
      'head_sign_off',
      'lead_review',
      'submitted',
      'triaged',
    ]);
    const bad = await t
      .http()
      .put('/api/admin/sla/policies/triaged')
      .set('Authorization', await admin())
      .send({ target: 'PT10S', ladder: [{ type: 'escalation', at: 100, plus: '3wd', to: 'rsdo_lead' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/ladder\[0\]\.plus/);
    const unknown = await t
      .http()
      .put('/api/admin/sla/policies/draft')
      .set('Authorization', await admin())
      .send({ target: 'PT10S', ladder: [] });
    expect(unknown.status).toBe(404);

    const add = await t
      .http()
      .post('/api/admin/sla/closure-days')
      .set('Authorization', await admin())
      .send({ day: '2026-12-29', description: 'Christmas closure' });
    expect(add.status).toBe(201);
    const again = await t
      .http()
      .post('/api/admin/sla/closure-days')
      .set('Authorization', await admin())
      .send({ day: '2026-12-29', description: 'Christmas closure' });
    expect(again.status).toBe(409);
    const days = await t
      .http()
      .get('/api/admin/sla/closure-days')
      .set('Authorization', await admin());
    expect(days.body.items).toEqual([{ day: '2026-12-29', description: 'Christmas closure' }]);
    expect(
      (
        await t
          .http()
          .delete('/api/admin/sla/closure-days/2026-12-29')
          .set('Authorization', await admin())
      ).status,
    ).toBe(204);
  });
});
