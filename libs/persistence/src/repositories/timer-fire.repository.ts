import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxMessages } from '@app/domain';
import { returnedRows } from '../sql';

export interface LockedTimer {
  id: string;
  caseId: string;
  kind: string;
  scope: 'stage' | 'case';
  stage: string | null;
  status: 'pending' | 'fired' | 'cancelled' | 'deferred';
  stageEnteredAt: Date | null;
  payload: Record<string, unknown>;
  /** By the database clock. */
  due: boolean;
  latenessMs: number;
  dbNow: Date;
}

/**
 * The worker's timer queries; "due" and "late" are always measured by the database clock.
 *
 * Lock order: the case row, then its timer rows, as every command takes them (CaseCommit
 * locks the case, then cancels and inserts timers). Firing a timer may write the case
 * (the SLA mark, a licence lapse); had it locked the timer first, a command on the same
 * case would wait for the timer while the worker waited for the case: a deadlock (40P01).
 */
@Injectable()
export class TimerFireRepository {
  async lock(em: EntityManager, id: string): Promise<LockedTimer | null> {
    // The case first (a timer's case never changes, so reading case_id unlocked is safe).
    await em.query(`SELECT c.id FROM collaboration_case c WHERE c.id = (SELECT case_id FROM case_timer WHERE id = $1) FOR UPDATE`, [id]);
    const [row] = await em.query<(LockedTimer | undefined)[]>(
      `SELECT id, case_id AS "caseId", kind, scope, stage, status, stage_entered_at AS "stageEnteredAt", payload,
              now() AS "dbNow", now() >= due_at AS due,
              LEAST(GREATEST(floor(extract(epoch FROM now() - due_at) * 1000), 0), 2147483647)::int AS "latenessMs"
         FROM case_timer WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ? { ...row, id: String(row.id) } : null;
  }

  /**
   * Claims up to `limit` pending timers already due by the database clock, skipping rows
   * another worker holds: a burst of due timers is drained in batches, not job by job.
   * The cases are locked first (the lock order above), skipping a case a command holds:
   * its timers are claimed by the next drain, after the command has cancelled or kept them.
   */
  async lockDue(em: EntityManager, limit: number): Promise<LockedTimer[]> {
    const due = `FROM case_timer t WHERE status = 'pending' AND due_at <= now()
          -- a stage timer whose stage is over is left alone, as fire() leaves it
          AND (scope = 'case' OR EXISTS (SELECT 1 FROM collaboration_case c WHERE c.id = t.case_id AND c.state = t.stage))`;
    const cases = await em.query<{ id: string }[]>(
      `SELECT c.id FROM collaboration_case c
        WHERE c.id IN (SELECT t.case_id ${due} ORDER BY due_at LIMIT $1)
        ORDER BY c.id FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (!cases.length) return [];
    const rows = await em.query<LockedTimer[]>(
      `SELECT id, case_id AS "caseId", kind, scope, stage, status, stage_entered_at AS "stageEnteredAt", payload,
              now() AS "dbNow", true AS due,
              LEAST(GREATEST(floor(extract(epoch FROM now() - due_at) * 1000), 0), 2147483647)::int AS "latenessMs"
         ${due} AND t.case_id = ANY($2::uuid[])
        ORDER BY due_at LIMIT $1 FOR UPDATE OF t SKIP LOCKED`,
      [limit, cases.map((c) => c.id)],
    );
    return rows.map((r) => ({ ...r, id: String(r.id) }));
  }

  async caseStates(em: EntityManager, caseIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; state: string }[] = await em.query(`SELECT id, state FROM collaboration_case WHERE id = ANY($1::uuid[])`, [caseIds]);
    return new Map(rows.map((r) => [r.id, r.state]));
  }

  async markFiredMany(em: EntityManager, timers: { id: string; latenessMs: number }[]): Promise<void> {
    if (!timers.length) return;
    await em.query(
      `UPDATE case_timer t SET status = 'fired', fired_at = now(), lateness_ms = x.lateness
         FROM unnest($1::bigint[], $2::int[]) AS x(id, lateness)
        WHERE t.id = x.id AND t.status = 'pending'`,
      [timers.map((t) => t.id), timers.map((t) => t.latenessMs)],
    );
  }

  /** The timer-fired outbox rows of one batch, in one statement. */
  async addOutbox(em: EntityManager, rows: { caseId: string; payload: OutboxMessages['timer-fired'] }[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO outbox (topic, case_id, payload, status, created_at)
       SELECT 'timer-fired', x.case_id, x.payload, 'pending', now() FROM jsonb_to_recordset($1::jsonb) AS x(case_id uuid, payload jsonb)`,
      [JSON.stringify(rows.map((r) => ({ case_id: r.caseId, payload: r.payload })))],
    );
  }

  async caseState(em: EntityManager, caseId: string): Promise<string | null> {
    const [row] = await em.query<({ state: string } | undefined)[]>(`SELECT state FROM collaboration_case WHERE id = $1`, [caseId]);
    return row?.state ?? null;
  }

  async caseParties(em: EntityManager, caseId: string): Promise<{ ownerId: string; assigneeId: string | null } | null> {
    const [row] = await em.query<({ ownerId: string; assigneeId: string | null } | undefined)[]>(
      `SELECT owner_id AS "ownerId", assignee_id AS "assigneeId" FROM collaboration_case WHERE id = $1`,
      [caseId],
    );
    return row ?? null;
  }

  /** The reply-by date (YYYY-MM-DD) of the case's open information request, if any. */
  async informationReplyBy(em: EntityManager, caseId: string): Promise<string | null> {
    const [row] = await em.query<({ replyBy: string | null } | undefined)[]>(
      `SELECT information_request->>'replyBy' AS "replyBy" FROM collaboration_case WHERE id = $1`,
      [caseId],
    );
    return row?.replyBy ?? null;
  }

  /** The due date of the SLA clock of the stage the case is in. */
  async slaDueAt(em: EntityManager, caseId: string): Promise<Date | null> {
    const [row] = await em.query<({ dueAt: Date | string | null } | undefined)[]>(`SELECT sla_due_at AS "dueAt" FROM collaboration_case WHERE id = $1`, [
      caseId,
    ]);
    return row?.dueAt ? new Date(row.dueAt) : null;
  }

  /**
   * An escalation due outside business hours: the row is closed as `deferred` and a new
   * row (a new id, a new due time) carries it to the next opening.
   */
  async defer(em: EntityManager, t: LockedTimer, dueAt: Date): Promise<{ id: string; delayMs: number }> {
    await em.query(`UPDATE case_timer SET status = 'deferred', fired_at = now(), lateness_ms = $2 WHERE id = $1 AND status = 'pending'`, [t.id, t.latenessMs]);
    const [row] = await em.query<{ id: string | number; delayMs: string | number }[]>(
      `INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at, status, payload)
       SELECT case_id, scope, stage, stage_entered_at, kind, $2, 'pending', payload || jsonb_build_object('deferredFrom', id::text)
         FROM case_timer WHERE id = $1
       RETURNING id, GREATEST(ceil(extract(epoch FROM due_at - now()) * 1000), 0)::bigint AS "delayMs"`,
      [t.id, dueAt],
    );
    return { id: String(row.id), delayMs: Number(row.delayMs) };
  }

  async markFired(em: EntityManager, id: string, latenessMs: number): Promise<boolean> {
    const rows = returnedRows(
      await em.query(`UPDATE case_timer SET status = 'fired', fired_at = now(), lateness_ms = $2 WHERE id = $1 AND status = 'pending' RETURNING id`, [
        id,
        latenessMs,
      ]),
    );
    return rows.length > 0;
  }

  /** Pending timers due within the horizon, with the delay until due (0 when overdue) and how late they are. */
  async dueWithin(
    em: EntityManager,
    horizonMs: number,
    limit: number,
    after: { dueAt: string; id: string } | null = null,
  ): Promise<{ id: string; delayMs: number; latenessMs: number; dueAt: string }[]> {
    // Keyset pages over (due_at, id), so every pending timer is reached however many are overdue.
    const rows: { id: string; delayMs: string; latenessMs: string; dueAt: string }[] = await em.query(
      `SELECT id, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "dueAt",
              GREATEST(ceil(extract(epoch FROM due_at - now()) * 1000), 0)::bigint AS "delayMs",
              GREATEST(floor(extract(epoch FROM now() - due_at) * 1000), 0)::bigint AS "latenessMs"
         FROM case_timer
        WHERE status = 'pending' AND due_at < now() + $1 * interval '1 millisecond'
          AND ($3::timestamptz IS NULL OR (due_at, id) > ($3::timestamptz, $4::bigint))
        ORDER BY due_at, id LIMIT $2`,
      [horizonMs, limit, after?.dueAt ?? null, after?.id ?? null],
    );
    return rows.map((r) => ({ id: String(r.id), delayMs: Number(r.delayMs), latenessMs: Number(r.latenessMs), dueAt: r.dueAt }));
  }
}
