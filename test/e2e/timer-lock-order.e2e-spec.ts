import { DataSource } from 'typeorm';
import { completeAnswers, createServiceContexts, DEMO, eventually, ServiceContexts } from '@app/testing';
import { CaseService } from '../../apps/api/src/cases/case.service';
import { TimerService } from '../../apps/worker/src/timers/timer.service';

jest.setTimeout(120_000);

/**
 * A command locks the case row, then writes its timers (CaseCommit); the worker's timer
 * fire may write the case (the SLA mark). Both must take the locks in that one order, or a
 * command and a due timer on the same case deadlock (40P01). The "command" in the first
 * two tests is a transaction that takes the locks exactly as a triage does, held open so
 * the worker's fire lands in the middle of it every time.
 */
describe('timer fires and commands take the case lock first', () => {
  let ctx: ServiceContexts;
  let owner: DataSource;
  let cases: CaseService;
  let timers: TimerService;
  const user = (email: string) => ctx.user(email);

  /** A submitted case with a stage timer that is due now and marks the case at risk when it fires (it writes the case row). */
  async function submittedWithDueTimer(): Promise<{ caseId: string; timerId: string }> {
    const researcher = await user(DEMO.researcher);
    const c = await cases.createDraft(researcher, 'Lock order case', completeAnswers());
    await cases.act(researcher, c.id, 'submit', {});
    const [t] = await owner.query(
      `INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at, status, payload)
       VALUES ($1, 'stage', 'submitted', now(), 'triage_reminder', now() - interval '1 second', 'pending', '{"marks":"at_risk"}') RETURNING id`,
      [c.id],
    );
    return { caseId: c.id, timerId: String(t.id) };
  }

  /** Some backend of this database waits for a row lock. */
  const someoneWaits = async () =>
    (
      await owner.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      )
    )[0].n > 0;

  /** A command's locks, in its order: the case row, then (after `between`) the stage's timers, then COMMIT. */
  async function commandAround<T>(caseId: string, between: () => Promise<T>): Promise<T> {
    const qr = owner.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      await qr.query('SELECT id FROM collaboration_case WHERE id = $1 FOR UPDATE', [caseId]);
      const out = await between();
      await qr.query(`UPDATE case_timer SET status = 'cancelled', cancelled_at = now() WHERE case_id = $1 AND scope = 'stage' AND status = 'pending'`, [
        caseId,
      ]);
      await qr.commitTransaction();
      return out;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw err;
    } finally {
      await qr.release();
    }
  }

  beforeAll(async () => {
    // Four owner connections: a test holds a command's locks on one while it watches the others.
    ctx = await createServiceContexts(4);
    ({ owner, cases, timers } = ctx);
  });

  afterAll(async () => ctx?.close());

  it('fire() of a due timer waits for a command holding its case, then finds the timer cancelled: no deadlock', async () => {
    const { caseId, timerId } = await submittedWithDueTimer();
    let fire: Promise<string> | null = null;
    await commandAround(caseId, async () => {
      fire = timers.fire(timerId);
      // The worker is now blocked on a lock this "command" holds (the case row; before the fix it had the timer already).
      await eventually(async () => (await someoneWaits()) || null, 10_000, 'the timer fire to wait for the case lock');
    });
    expect(await fire!).toBe('not-pending');
    const [row] = await owner.query('SELECT status FROM case_timer WHERE id = $1', [timerId]);
    expect(row.status).toBe('cancelled');
  });

  it('drainDue() skips a case a command holds instead of locking its timers first; other cases’ due timers fire', async () => {
    const held = await submittedWithDueTimer();
    const free = await submittedWithDueTimer();
    let drained = false;
    let drain: Promise<number> | null = null;
    await commandAround(held.caseId, async () => {
      drain = timers.drainDue().finally(() => (drained = true));
      // Either the drain finished (it skipped the held case) or it waits on a lock: before the fix it held the timer and waited for the case.
      await eventually(async () => drained || (await someoneWaits()) || null, 10_000, 'the drain to finish or wait');
    });
    await drain!;
    const status = async (id: string) => (await owner.query('SELECT status FROM case_timer WHERE id = $1', [id]))[0].status;
    expect(await status(held.timerId)).toBe('cancelled');
    expect(await status(free.timerId)).toBe('fired');
  });

  it('triage commands and fires of their cases’ due timers, all at once: every one completes, none is a deadlock victim', async () => {
    const officer = await user(DEMO.officer);
    const made = [];
    for (let i = 0; i < 12; i++) made.push(await submittedWithDueTimer());
    const results = await Promise.allSettled(
      made.flatMap(({ caseId, timerId }) => [
        cases.act(officer, caseId, 'triage', { riskLevel: 'low', exportControlRelevant: false }),
        timers.fire(timerId),
        timers.drainDue(),
      ]),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason?.code ?? r.reason));
    expect(failed).toEqual([]);
    const [states] = await owner.query(`SELECT count(*) FILTER (WHERE state = 'triaged')::int AS n FROM collaboration_case WHERE id = ANY($1::uuid[])`, [
      made.map((m) => m.caseId),
    ]);
    expect(states.n).toBe(made.length);
  });
});
