import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returnedRows } from '@app/persistence';

export interface LockedTimer {
  id: string;
  caseId: string;
  kind: string;
  scope: 'stage' | 'case';
  stage: string | null;
  status: 'pending' | 'fired' | 'cancelled';
  /** By the database clock. */
  due: boolean;
  latenessMs: number;
}

/** The worker's timer queries; "due" and "late" are always measured by the database clock. */
@Injectable()
export class TimerFireRepository {
  async lock(em: EntityManager, id: string): Promise<LockedTimer | null> {
    const [row] = await em.query(
      `SELECT id, case_id AS "caseId", kind, scope, stage, status, now() >= due_at AS due,
              LEAST(GREATEST(floor(extract(epoch FROM now() - due_at) * 1000), 0), 2147483647)::int AS "latenessMs"
         FROM case_timer WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ? { ...row, id: String(row.id) } : null;
  }

  async caseState(em: EntityManager, caseId: string): Promise<string | null> {
    const [row] = await em.query(`SELECT state FROM collaboration_case WHERE id = $1`, [caseId]);
    return row?.state ?? null;
  }

  async markFired(em: EntityManager, id: string, latenessMs: number): Promise<boolean> {
    const rows = returnedRows(await em.query(
      `UPDATE case_timer SET status = 'fired', fired_at = now(), lateness_ms = $2 WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, latenessMs],
    ));
    return rows.length > 0;
  }

  /** Pending timers due within the horizon, with the delay until due (0 when overdue) and how late they are. */
  async dueWithin(em: EntityManager, horizonMs: number, limit: number): Promise<{ id: string; delayMs: number; latenessMs: number }[]> {
    const rows: { id: string; delayMs: string; latenessMs: string }[] = await em.query(
      `SELECT id,
              GREATEST(ceil(extract(epoch FROM due_at - now()) * 1000), 0)::bigint AS "delayMs",
              GREATEST(floor(extract(epoch FROM now() - due_at) * 1000), 0)::bigint AS "latenessMs"
         FROM case_timer
        WHERE status = 'pending' AND due_at < now() + $1 * interval '1 millisecond'
        ORDER BY due_at LIMIT $2`,
      [horizonMs, limit],
    );
    return rows.map((r) => ({ id: String(r.id), delayMs: Number(r.delayMs), latenessMs: Number(r.latenessMs) }));
  }
}
