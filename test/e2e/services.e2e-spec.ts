import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, parseOutboxMessage } from '@app/domain';
import { completeAnswers, createServiceContexts, DEMO, ServiceContexts } from '@app/testing';
import { CaseService } from '../../apps/api/src/cases/case.service';
import { TimerService } from '../../apps/worker/src/timers/timer.service';

/**
 * Service-level ("medium") tests: CaseService's effects and the worker's TimerService
 * called directly on a real database, without HTTP or a running worker, so each effect
 * and each timer outcome is checked where it is written.
 */
describe('services on the real database, without HTTP', () => {
  let ctx: ServiceContexts;
  let owner: DataSource;
  let cases: CaseService;
  let timerService: TimerService;
  const user = (email: string) => ctx.user(email);
  const events = (caseId: string) =>
    owner.query('SELECT action, from_state AS "from", to_state AS "to", payload FROM case_event WHERE case_id = $1 ORDER BY seq', [caseId]);
  const outbox = (caseId: string) => owner.query('SELECT topic, payload FROM outbox WHERE case_id = $1 ORDER BY id', [caseId]);
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a refusal');
      },
      (e: DomainError) => ({ code: e.code, message: e.message }),
    );

  async function submitted() {
    const researcher = await user(DEMO.researcher);
    const c = await cases.createDraft(researcher, 'Service-level case', completeAnswers());
    await cases.act(researcher, c.id, 'submit', {});
    return c.id;
  }

  beforeAll(async () => {
    ctx = await createServiceContexts();
    ({ owner, cases, timers: timerService } = ctx);
  });

  afterAll(async () => ctx?.close());

  it('submit snapshots the department, screens and scores, bumps the version and writes one case-event outbox row', async () => {
    const id = await submitted();
    const [row] = await owner.query(
      'SELECT state, version, department_id AS "departmentId", submitted_at AS "submittedAt", search_text AS "searchText" FROM collaboration_case WHERE id = $1',
      [id],
    );
    expect(row).toMatchObject({ state: 'submitted', version: 2 });
    expect(row.departmentId).toBe((await user(DEMO.researcher)).departmentId);
    expect(row.submittedAt).not.toBeNull();
    expect(row.searchText).toContain('service-level case');
    const evs = await events(id);
    expect(evs.map((e: { action: string }) => e.action)).toEqual(['create', 'submit']);
    expect(evs[1].payload).toMatchObject({ questionnaireVersion: expect.any(Number), rulesVersion: expect.any(String), screeningHits: 0 });
    const out = await outbox(id);
    expect(out).toHaveLength(1);
    expect(parseOutboxMessage(out[0].topic, out[0].payload).payload).toMatchObject({ action: 'submit', fromState: 'draft', toState: 'submitted' });
  });

  it('assign refuses someone who is not an officer, naming the field; nothing is written', async () => {
    const id = await submitted();
    const officer = await user(DEMO.officer);
    const researcher2 = await user(DEMO.researcher2);
    expect(await refusal(cases.act(officer, id, 'assign', { assigneeId: researcher2.id }))).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      message: `assigneeId: ${researcher2.id} is not an active RSDO officer.`,
    });
    expect((await events(id)).map((e: { action: string }) => e.action)).toEqual(['create', 'submit']);
  });

  it('a stale expectedVersion is refused before anything is decided', async () => {
    const id = await submitted();
    const officer = await user(DEMO.officer);
    expect((await refusal(cases.act(officer, id, 'assign', { assigneeId: officer.id, expectedVersion: 1 }))).code).toBe(ErrorCode.STALE_VERSION);
    await cases.act(officer, id, 'assign', { assigneeId: officer.id, expectedVersion: 2 });
    expect((await events(id)).map((e: { action: string }) => e.action)).toEqual(['create', 'submit', 'assign']);
  });

  it('request_information remembers where to return and opens the reply reminders; respond clears it', async () => {
    const id = await submitted();
    const officer = await user(DEMO.officer);
    const replyBy = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const { case: asked } = await cases.act(officer, id, 'request_information', { question: 'Who funds the visits?', replyBy });
    expect(asked).toMatchObject({
      state: 'awaiting_information',
      returnState: 'submitted',
      informationRequest: { question: 'Who funds the visits?', replyBy, askedById: officer.id },
    });
    const pending = await owner.query(`SELECT kind, stage FROM case_timer WHERE case_id = $1 AND status = 'pending' ORDER BY due_at`, [id]);
    expect(pending.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['information_due']));
    expect(pending.every((t: { stage: string }) => t.stage === 'awaiting_information')).toBe(true);

    const { case: answered } = await cases.act(await user(DEMO.researcher), id, 'respond', { message: 'The university does.' });
    expect(answered).toMatchObject({ state: 'submitted', returnState: null, informationRequest: null });
    expect(await owner.query(`SELECT 1 FROM case_timer WHERE case_id = $1 AND status = 'pending' AND stage = 'awaiting_information'`, [id])).toHaveLength(0);
  });

  it('TimerService fires a due timer once, writing a checked timer-fired outbox row; a stage timer of a stage left is skipped', async () => {
    const id = await submitted();
    const [t] = await owner.query(
      `INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at, status, payload)
       VALUES ($1, 'case', NULL, now(), 'condition_due', now() - interval '1 second', 'pending', '{"conditionIndex":0,"condition":"TCP"}') RETURNING id`,
      [id],
    );
    expect(await timerService.fire(String(t.id))).toBe('fired');
    expect(await timerService.fire(String(t.id))).toBe('not-pending');
    const fired = (await outbox(id)).filter((o: { topic: string }) => o.topic === 'timer-fired');
    expect(fired).toHaveLength(1);
    expect(parseOutboxMessage('timer-fired', fired[0].payload).payload).toEqual({ timerId: String(t.id), kind: 'condition_due', caseId: id });

    const [s] = await owner.query(
      `INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at, status, payload)
       VALUES ($1, 'stage', 'triaged', now(), 'triage_reminder', now() - interval '1 second', 'pending', '{}') RETURNING id`,
      [id],
    );
    expect(await timerService.fire(String(s.id))).toBe('stage-left');
  });
});
