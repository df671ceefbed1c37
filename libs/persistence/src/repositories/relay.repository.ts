import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface OutboxRow {
  id: string;
  topic: string;
  caseId: string | null;
  eventId: string | null;
  payload: Record<string, unknown>;
}

export interface CaseSummary {
  id: string;
  reference: string;
  ownerId: string;
  assigneeId: string | null;
  departmentId: string | null;
  state: string;
  decision: { decisionText?: string; conditions?: { text: string; dueDate?: string }[] } | null;
}

export interface Recipient {
  id: string;
  name: string;
  email: string | null;
  active: boolean;
  emailFlaggedAt: Date | null;
  emailFlagReason: string | null;
}

/** The relay's reads and writes, always inside the relay's short transaction. */
@Injectable()
export class RelayRepository {
  /** Rows another relay holds are skipped, not waited for. */
  async claimPending(em: EntityManager, limit: number): Promise<OutboxRow[]> {
    const rows = await em.query<OutboxRow[]>(
      `SELECT id, topic, case_id AS "caseId", event_id AS "eventId", payload FROM outbox
        WHERE status = 'pending' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({ ...r, id: String(r.id), eventId: r.eventId === null ? null : String(r.eventId) }));
  }

  async markDone(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await em.query(`UPDATE outbox SET status = 'done', processed_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async caseSummary(em: EntityManager, id: string): Promise<CaseSummary | null> {
    const [row] = await em.query<(CaseSummary | undefined)[]>(
      `SELECT id, reference, owner_id AS "ownerId", assignee_id AS "assigneeId", department_id AS "departmentId", state, decision
         FROM collaboration_case WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async eventPayload(em: EntityManager, eventId: string): Promise<Record<string, unknown> | null> {
    const [row] = await em.query<({ payload: Record<string, unknown> | null } | undefined)[]>(`SELECT payload FROM case_event WHERE id = $1`, [eventId]);
    return row?.payload ?? null;
  }

  /** Who asked the open (or just answered) information request. */
  async lastInformationAsker(em: EntityManager, caseId: string): Promise<string | null> {
    const [row] = await em.query<({ actorId: string | null } | undefined)[]>(
      `SELECT actor_id AS "actorId" FROM case_event WHERE case_id = $1 AND action = 'request_information' ORDER BY seq DESC LIMIT 1`,
      [caseId],
    );
    return row?.actorId ?? null;
  }

  /** Everyone who acted on the case, in order of first action (system actions have no actor). */
  async distinctActors(em: EntityManager, caseId: string): Promise<string[]> {
    const rows: { actorId: string }[] = await em.query(
      `SELECT actor_id AS "actorId" FROM case_event WHERE case_id = $1 AND actor_id IS NOT NULL GROUP BY actor_id ORDER BY min(seq)`,
      [caseId],
    );
    return rows.map((r) => r.actorId);
  }

  /** Each user's per-category modes (notification_preference), for the users given. */
  async preferences(em: EntityManager, userIds: string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    if (!userIds.length) return out;
    const rows: { userId: string; category: string; mode: string }[] = await em.query(
      `SELECT user_id AS "userId", category, mode FROM notification_preference WHERE user_id = ANY($1::uuid[])`,
      [userIds],
    );
    for (const r of rows) out.set(r.userId, { ...(out.get(r.userId) ?? {}), [r.category]: r.mode });
    return out;
  }

  async users(em: EntityManager, ids: string[]): Promise<Map<string, Recipient>> {
    if (!ids.length) return new Map();
    const rows: Recipient[] = await em.query(
      `SELECT id, name, NULLIF(trim(email), '') AS email, active, email_flagged_at AS "emailFlaggedAt", email_flag_reason AS "emailFlagReason"
         FROM app_user WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  async timerSummary(em: EntityManager, timerId: string): Promise<{ kind: string; stage: string | null; stageEnteredAt: Date | null } | null> {
    const [row] = await em.query<({ kind: string; stage: string | null; stageEnteredAt: Date | null } | undefined)[]>(`SELECT kind, stage, stage_entered_at AS "stageEnteredAt" FROM case_timer WHERE id = $1`, [timerId]);
    return row ?? null;
  }
}
