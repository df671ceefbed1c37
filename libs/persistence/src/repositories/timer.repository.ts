import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { TimerSpec } from '@app/domain';
import { CaseTimerEntity } from '../entities/event.entity';
import { returnedRows } from '../sql';

@Injectable()
export class TimerRepository {
  /** Cancels a case's pending timers that match a fixed condition; returns their ids. */
  private async cancelPending(em: EntityManager, caseId: string, condition: string, extra: unknown[] = []): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(await em.query(
      `UPDATE case_timer SET status = 'cancelled', cancelled_at = now()
        WHERE case_id = $1 AND status = 'pending' ${condition} RETURNING id`,
      [caseId, ...extra],
    ));
    return rows.map((r) => String(r.id));
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
          caseId, scope: s.scope, stage: s.scope === 'stage' ? stage : null, stageEnteredAt, kind: s.kind,
          dueAt: s.dueAt, status: 'pending', payload: s.payload ?? {}, createdAt: new Date(),
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
