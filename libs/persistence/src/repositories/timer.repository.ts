import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { TimerSpec } from '@app/domain';
import { CaseTimerEntity } from '../entities/event.entity';
import { returnedRows } from '../sql';

@Injectable()
export class TimerRepository {
  /** Cancels a case's pending timers that match a fixed condition; returns their ids. */
  private async cancelPending(em: EntityManager, caseId: string, condition: string, extra: unknown[] = []): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await em.query(
        `UPDATE case_timer SET status = 'cancelled', cancelled_at = now()
        WHERE case_id = $1 AND status = 'pending' ${condition} RETURNING id`,
        [caseId, ...extra],
      ),
    );
    return rows.map((r) => String(r.id));
  }

  /**
   * A command's timer and outbox writes in one statement (issue 17): cancel the case's
   * pending timers (`'stage'`: stage-scoped ones; `'all'`; null: none), insert the new
   * timers (a stage timer belongs to `stage`, entered at `stageEnteredAt`) and the outbox
   * rows. The cancel cannot touch the rows inserted beside it (one snapshot).
   */
  async writeCommand(
    em: EntityManager,
    w: {
      caseId: string;
      cancel: 'stage' | 'all' | null;
      stage: string;
      stageEnteredAt: Date;
      timers: TimerSpec[];
      eventId: string | null;
      outbox: { topic: string; payload: unknown }[];
      now: Date;
    },
  ): Promise<void> {
    if (!w.cancel && !w.timers.length && !w.outbox.length) return;
    await em.query(
      `WITH cancelled AS (
         UPDATE case_timer SET status = 'cancelled', cancelled_at = now()
          WHERE case_id = $1 AND status = 'pending' AND ($2::text = 'all' OR ($2::text = 'stage' AND scope = 'stage'))
          RETURNING id),
       timers AS (
         INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at, status, payload, created_at)
         SELECT $1, t.scope, CASE WHEN t.scope = 'stage' THEN $3 END, $4, t.kind, t.due_at, 'pending', coalesce(t.payload, '{}'), $8
           FROM jsonb_to_recordset($5::jsonb) AS t(scope text, kind text, due_at timestamptz, payload jsonb)
         RETURNING id),
       outbox AS (
         INSERT INTO outbox (topic, case_id, event_id, payload, status, created_at)
         SELECT o.topic, $1, $6::bigint, o.payload, 'pending', $8
           FROM jsonb_to_recordset($7::jsonb) AS o(topic text, payload jsonb)
         RETURNING id)
       SELECT (SELECT count(*) FROM cancelled)::int AS cancelled, (SELECT count(*) FROM timers)::int AS timers, (SELECT count(*) FROM outbox)::int AS outbox`,
      [
        w.caseId,
        w.cancel ?? 'none',
        w.stage,
        w.stageEnteredAt,
        JSON.stringify(w.timers.map((s) => ({ scope: s.scope, kind: s.kind, due_at: s.dueAt, payload: s.payload ?? {} }))),
        w.eventId,
        JSON.stringify(w.outbox),
        w.now,
      ],
    );
  }

  /** Leaving a stage cancels its stage-scoped timers, in the transition's transaction. */
  cancelStageTimers(em: EntityManager, caseId: string): Promise<string[]> {
    return this.cancelPending(em, caseId, `AND scope = 'stage'`);
  }

  /** A closed case keeps no timer of any scope. */
  cancelAllTimers(em: EntityManager, caseId: string): Promise<string[]> {
    return this.cancelPending(em, caseId, '');
  }

  /** A policy change cancels the SLA ladder's timers of a case (its other stage timers stay). */
  cancelLadderTimers(em: EntityManager, caseId: string): Promise<string[]> {
    return this.cancelPending(em, caseId, `AND scope = 'stage' AND payload ? 'sla'`);
  }

  async insert(em: EntityManager, caseId: string, stage: string, stageEnteredAt: Date, specs: TimerSpec[]): Promise<CaseTimerEntity[]> {
    if (!specs.length) return [];
    const repo = em.getRepository(CaseTimerEntity);
    return repo.save(
      specs.map((s) =>
        repo.create({
          caseId,
          scope: s.scope,
          stage: s.scope === 'stage' ? stage : null,
          stageEnteredAt,
          kind: s.kind,
          dueAt: s.dueAt,
          status: 'pending',
          payload: s.payload ?? {},
          createdAt: new Date(),
        }),
      ),
    );
  }

  pendingForCase(em: EntityManager, caseId: string): Promise<CaseTimerEntity[]> {
    return em.getRepository(CaseTimerEntity).find({ where: { caseId, status: 'pending' }, order: { dueAt: 'ASC' } });
  }

  // The case-scoped timers of a decision: the periodic re-review and the condition due dates.
  /** A re-review answered (or superseded) closes the pending review timer; the next one is a new row. */
  cancelPendingReviews(em: EntityManager, caseId: string): Promise<string[]> {
    return this.cancelPending(em, caseId, `AND kind = 're_review'`);
  }

  /** A condition recorded as met closes its due-date reminder. */
  cancelConditionTimer(em: EntityManager, caseId: string, conditionIndex: number): Promise<string[]> {
    return this.cancelPending(em, caseId, `AND kind = 'condition_due' AND payload->>'conditionIndex' = $2`, [String(conditionIndex)]);
  }
}
