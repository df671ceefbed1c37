import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NewDelivery } from './delivery.repository';

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

  /**
   * The end of a relay batch in one statement: the deliveries inserted (a replay's
   * duplicates skipped by the (outbox, recipient, template) key), the outbox rows marked
   * done, and the ids of every pending delivery of those rows returned (new ones and any a
   * crashed earlier pass left behind), to be enqueued after commit.
   */
  async finishBatch(em: EntityManager, rows: NewDelivery[], doneIds: string[]): Promise<string[]> {
    if (!rows.length && !doneIds.length) return [];
    const result: { id: string }[] = await em.query(
      `WITH ins AS (
         INSERT INTO delivery (outbox_id, case_id, recipient_user_id, recipient_email, template, context, status, reason)
         SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[])
         ON CONFLICT ON CONSTRAINT delivery_outbox_recipient_template_key DO NOTHING
         RETURNING id, status
       ), done AS (
         UPDATE outbox SET status = 'done', processed_at = now() WHERE id = ANY($9::bigint[])
       )
       SELECT id FROM ins WHERE status = 'pending'
       UNION
       SELECT id FROM delivery WHERE outbox_id = ANY($9::bigint[]) AND status = 'pending'
       ORDER BY id`,
      [
        rows.map((r) => r.outboxId),
        rows.map((r) => r.caseId),
        rows.map((r) => r.recipientUserId),
        rows.map((r) => r.recipientEmail),
        rows.map((r) => r.template),
        rows.map((r) => JSON.stringify(r.context)),
        rows.map((r) => r.status),
        rows.map((r) => r.reason),
        doneIds,
      ],
    );
    return result.map((r) => String(r.id));
  }

  /** Many cases' summaries in one statement (a relay batch names its cases up front). */
  async caseSummaries(em: EntityManager, ids: string[]): Promise<Map<string, CaseSummary>> {
    if (!ids.length) return new Map();
    const rows = await em.query<CaseSummary[]>(
      `SELECT id, reference, owner_id AS "ownerId", assignee_id AS "assigneeId", department_id AS "departmentId", state, decision
         FROM collaboration_case WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Many events' payloads in one statement. */
  async eventPayloads(em: EntityManager, ids: string[]): Promise<Map<string, Record<string, unknown> | null>> {
    if (!ids.length) return new Map();
    const rows = await em.query<{ id: string; payload: Record<string, unknown> | null }[]>(`SELECT id, payload FROM case_event WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
    return new Map(rows.map((r) => [String(r.id), r.payload]));
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
    const [row] = await em.query<({ kind: string; stage: string | null; stageEnteredAt: Date | null } | undefined)[]>(
      `SELECT kind, stage, stage_entered_at AS "stageEnteredAt" FROM case_timer WHERE id = $1`,
      [timerId],
    );
    return row ?? null;
  }
}
