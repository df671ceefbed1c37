import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface DigestRecipient {
  id: string;
  officer: boolean;
}

export interface DigestCaseRow {
  id: string;
  reference: string;
  state: string;
  dueAt: Date | null;
}
export interface DigestDueRow {
  id: string;
  reference: string;
  kind: string;
  dueAt: Date;
}
export interface DigestTriageRow {
  id: string;
  reference: string;
  submittedAt: Date;
}
export interface DigestHeldRow {
  caseId: string | null;
  reference: string | null;
  template: string;
  createdAt: Date;
}

const OPEN = `c.closed_at IS NULL AND c.state NOT IN ('draft','approved','rejected','withdrawn')`;

/** The digest's reads, and its claim: one row per (user, day) in digest_run. */
@Injectable()
export class DigestRepository {
  /**
   * Every active officer (and lead) unless they turned the digest off, and anyone who
   * asked for some category in digest mode: what is held for them goes out here.
   */
  async recipients(em: EntityManager): Promise<DigestRecipient[]> {
    return em.query(
      `SELECT u.id, (u.roles && '{rsdo_officer,rsdo_lead}'::text[]) AS officer
         FROM app_user u
        WHERE u.active
          AND NOT EXISTS (SELECT 1 FROM notification_preference p WHERE p.user_id = u.id AND p.category = 'digest' AND p.mode = 'off')
          AND ((u.roles && '{rsdo_officer,rsdo_lead}'::text[])
               OR EXISTS (SELECT 1 FROM notification_preference p WHERE p.user_id = u.id AND p.mode = 'digest'))
        ORDER BY u.email`,
    );
  }

  /** An officer's open cases are those assigned to them; anyone else's, those they own. */
  async openCases(em: EntityManager, userId: string, officer: boolean): Promise<DigestCaseRow[]> {
    return em.query(
      `SELECT c.id, c.reference, c.state,
              (SELECT min(t.due_at) FROM case_timer t WHERE t.case_id = c.id AND t.status = 'pending') AS "dueAt"
         FROM collaboration_case c
        WHERE ${officer ? 'c.assignee_id' : 'c.owner_id'} = $1 AND ${OPEN}
        ORDER BY c.reference LIMIT 200`,
      [userId],
    );
  }

  /**
   * What falls due on those cases before the end of `until`: each case's stage deadline
   * (its SLA due date, which an overdue stage keeps) and its pending timers.
   */
  async due(em: EntityManager, userId: string, officer: boolean, until: Date): Promise<DigestDueRow[]> {
    const who = officer ? 'c.assignee_id' : 'c.owner_id';
    return em.query(
      `SELECT id, reference, kind, "dueAt" FROM (
         SELECT c.id, c.reference, 'stage_deadline' AS kind, c.sla_due_at AS "dueAt"
           FROM collaboration_case c
          WHERE ${who} = $1 AND ${OPEN} AND c.sla_due_at IS NOT NULL AND c.sla_due_at < $2
         UNION ALL
         SELECT c.id, c.reference, t.kind, t.due_at
           FROM case_timer t JOIN collaboration_case c ON c.id = t.case_id
          WHERE ${who} = $1 AND ${OPEN} AND t.status = 'pending' AND t.due_at < $2) due
        ORDER BY "dueAt", kind LIMIT 200`,
      [userId, until],
    );
  }

  async awaitingTriage(em: EntityManager): Promise<DigestTriageRow[]> {
    return em.query(
      `SELECT c.id, c.reference, c.submitted_at AS "submittedAt"
         FROM collaboration_case c WHERE c.state = 'submitted' ORDER BY c.submitted_at LIMIT 200`,
    );
  }

  /** Emails held for the digest (suppressed 'in digest') since the user's last digest, or the last day. */
  async held(em: EntityManager, userId: string): Promise<DigestHeldRow[]> {
    return em.query(
      `SELECT d.case_id AS "caseId", d.context->>'reference' AS reference, d.template, d.created_at AS "createdAt"
         FROM delivery d
        WHERE d.recipient_user_id = $1 AND d.reason = 'in digest'
          AND d.created_at > COALESCE((SELECT max(created_at) FROM digest_run WHERE user_id = $1), now() - interval '1 day')
        ORDER BY d.id LIMIT 200`,
      [userId],
    );
  }

  /** Claims (user, day); false when it was already claimed (the job ran twice). */
  async claim(em: EntityManager, userId: string, day: string, outboxId: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(`INSERT INTO digest_run (user_id, day, outbox_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id`, [
      userId,
      day,
      outboxId,
    ]);
    return rows.length > 0;
  }
}
