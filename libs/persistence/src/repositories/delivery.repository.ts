import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returnedRows } from '../sql';
import { DeliveryEntity, DeliveryStatus } from '../entities/delivery.entity';

export interface NewDelivery {
  outboxId: string;
  caseId: string | null;
  recipientUserId: string;
  recipientEmail: string | null;
  template: string;
  context: Record<string, unknown>;
  /** 'suppressed' rows are recorded with their reason and never enqueued. */
  status: 'pending' | 'suppressed';
  reason: string | null;
}

export type ClaimResult =
  | { outcome: 'claimed'; delivery: DeliveryEntity }
  | { outcome: 'finished'; status: DeliveryStatus }
  | { outcome: 'leased'; leaseUntil: Date }
  | { outcome: 'missing' };

/** A delivery row's columns as DeliveryEntity names them, from the alias `d`. */
const D_COLUMNS = `d.id, d.outbox_id AS "outboxId", d.case_id AS "caseId", d.recipient_user_id AS "recipientUserId",
  d.recipient_email AS "recipientEmail", d.template, d.context, d.status, d.reason, d.attempts, d.lease_until AS "leaseUntil",
  d.lease_token AS "leaseToken", d.message_id AS "messageId", d.smtp_response AS "smtpResponse", d.last_error AS "lastError",
  d.sent_at AS "sentAt", d.created_at AS "createdAt", d.updated_at AS "updatedAt"`;

/**
 * Delivery rows: every status change is a conditional update, so a handler that runs
 * twice (or a stale attempt whose lease ran out) changes nothing.
 */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly ds: DataSource) {}

  findById(id: string): Promise<DeliveryEntity | null> {
    return this.ds.getRepository(DeliveryEntity).findOne({ where: { id } });
  }

  /**
   * Takes the sending lease: a pending row, or a `sending` row whose lease ran out
   * (its attempt died mid-send). The database clock decides what "ran out" means.
   */
  async claim(id: string, leaseMs: number, token: string): Promise<ClaimResult> {
    return (await this.claimMany([{ id, token }], leaseMs))[0];
  }

  /**
   * `claim` for many attempts in one statement (a second one only for the rows that were
   * not taken, to say why). Results are in the order asked. An id asked twice in one
   * call is claimed by its first attempt; the others find it leased.
   */
  async claimMany(reqs: { id: string; token: string }[], leaseMs: number): Promise<ClaimResult[]> {
    if (!reqs.length) return [];
    const first = new Map<string, string>();
    for (const r of reqs) if (!first.has(r.id)) first.set(r.id, r.token);
    const claimed = returnedRows<DeliveryEntity>(
      await this.ds.query(
        `UPDATE delivery d SET status = 'sending', lease_until = now() + $3 * interval '1 millisecond', lease_token = r.token,
              attempts = d.attempts + 1, updated_at = now()
         FROM unnest($1::bigint[], $2::text[]) AS r(id, token)
        WHERE d.id = r.id AND (d.status = 'pending' OR (d.status = 'sending' AND d.lease_until < now()))
        RETURNING ${D_COLUMNS}`,
        [[...first.keys()], [...first.values()], leaseMs],
      ),
    );
    const won = new Map(claimed.map((c) => [String(c.id), { ...c, id: String(c.id) }]));
    const others = [...first.keys()].filter((id) => !won.has(id));
    const now = others.length
      ? new Map(
          (
            await this.ds.query<{ id: string; status: DeliveryStatus; leaseUntil: Date | null }[]>(
              `SELECT id, status, lease_until AS "leaseUntil" FROM delivery WHERE id = ANY($1::bigint[])`,
              [others],
            )
          ).map((r) => [String(r.id), r]),
        )
      : new Map<string, { status: DeliveryStatus; leaseUntil: Date | null }>();
    return reqs.map((r): ClaimResult => {
      const delivery = won.get(r.id);
      if (delivery) {
        return first.get(r.id) === r.token ? { outcome: 'claimed', delivery } : { outcome: 'leased', leaseUntil: delivery.leaseUntil! };
      }
      const row = now.get(r.id);
      if (!row) return { outcome: 'missing' };
      // Still pending: another process's claim held the row while this one looked; it is theirs now.
      if (row.status === 'sending' || row.status === 'pending') return { outcome: 'leased', leaseUntil: row.leaseUntil ?? new Date() };
      return { outcome: 'finished', status: row.status };
    });
  }

  /** Only the attempt holding the lease may finish the row. */
  async markSent(id: string, token: string, messageId: string, smtpResponse: string): Promise<boolean> {
    return (await this.markSentMany([{ id, token, messageId, smtpResponse }]))[0];
  }

  /** `markSent` for many attempts in one statement; each answer says whether that attempt still held its lease. */
  async markSentMany(reqs: { id: string; token: string; messageId: string; smtpResponse: string }[]): Promise<boolean[]> {
    if (!reqs.length) return [];
    const rows = returnedRows<{ id: string; token: string }>(
      await this.ds.query(
        `UPDATE delivery d SET status = 'sent', sent_at = now(), message_id = r.message_id, smtp_response = r.smtp_response, lease_until = NULL, updated_at = now()
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS r(id, token, message_id, smtp_response)
        WHERE d.id = r.id AND d.lease_token = r.token AND d.status = 'sending'
        RETURNING d.id, d.lease_token AS token`,
        [reqs.map((r) => r.id), reqs.map((r) => r.token), reqs.map((r) => r.messageId), reqs.map((r) => r.smtpResponse)],
      ),
    );
    const done = new Set(rows.map((r) => `${r.id} ${r.token}`));
    return reqs.map((r) => done.has(`${r.id} ${r.token}`));
  }

  /** The sending attempt still holds the row: its lease starts again from now (an attempt that waited for a connection). */
  async renewLease(id: string, token: string, leaseMs: number): Promise<boolean> {
    return (
      returnedRows(
        await this.ds.query(
          `UPDATE delivery SET lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending' RETURNING id`,
          [id, token, leaseMs],
        ),
      ).length > 0
    );
  }

  /** A transient failure: back to pending so the next attempt (BullMQ backoff) can claim it. */
  async release(id: string, token: string, error: string, smtpResponse: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE delivery SET status = 'pending', lease_until = NULL, last_error = $3, smtp_response = COALESCE($4, smtp_response), updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending'`,
      [id, token, error, smtpResponse],
    );
  }

  async markFailed(id: string, token: string, reason: string, smtpResponse: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE delivery SET status = 'failed', reason = $3, last_error = $3, smtp_response = COALESCE($4, smtp_response), lease_until = NULL, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending'`,
      [id, token, reason, smtpResponse],
    );
  }

  /** A recipient the server refused (550/551/553 at RCPT): later emails to it are suppressed until an admin clears the flag. */
  async flagRecipientAddress(userId: string, reason: string): Promise<void> {
    await this.ds.query(`UPDATE app_user SET email_flagged_at = now(), email_flag_reason = $2 WHERE id = $1`, [userId, reason]);
  }

  /** Rows that should be moving but have not changed for a while: candidates for the sweeper. */
  async staleUnfinished(olderThanMs: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM delivery
        WHERE status IN ('pending','sending') AND updated_at < now() - $1 * interval '1 millisecond'
          AND (status = 'pending' OR lease_until < now())
        ORDER BY id LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((r) => String(r.id));
  }

  /** An operator alarm (e.g. SMTP 535): opened once, counted on every repeat, until a send succeeds. */
  async raiseAlarm(kind: string, message: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO mail_alarm (kind, message) VALUES ($1, $2)
       ON CONFLICT (kind) DO UPDATE SET message = EXCLUDED.message, last_seen_at = now(),
         occurrences = CASE WHEN mail_alarm.cleared_at IS NULL THEN mail_alarm.occurrences + 1 ELSE 1 END,
         first_seen_at = CASE WHEN mail_alarm.cleared_at IS NULL THEN mail_alarm.first_seen_at ELSE now() END,
         cleared_at = NULL`,
      [kind, message],
    );
  }

  /** A send went through: whatever was wrong with the mail server is fixed. */
  async clearAlarms(): Promise<number> {
    return returnedRows(await this.ds.query(`UPDATE mail_alarm SET cleared_at = now() WHERE cleared_at IS NULL RETURNING kind`)).length;
  }

  async alarms(): Promise<MailAlarm[]> {
    return this.ds.query(
      `SELECT kind, message, first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", occurrences, cleared_at AS "clearedAt"
         FROM mail_alarm ORDER BY last_seen_at DESC`,
    );
  }

  async statusCounts(): Promise<Record<string, number>> {
    const rows: { status: string; n: number }[] = await this.ds.query(`SELECT status, count(*)::int AS n FROM delivery GROUP BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** A case's deliveries for staff, with the recipient's address flag (a 550 earlier) shown beside each. */
  async forCase(caseId: string): Promise<CaseDeliveryView[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT d.id, d.template, d.status, d.reason, d.attempts, d.recipient_email AS "recipientEmail", d.last_error AS "lastError",
              d.smtp_response AS "smtpResponse", d.message_id AS "messageId", d.sent_at AS "sentAt", d.created_at AS "createdAt",
              u.id AS "userId", u.name AS "userName", u.active AS "userActive",
              u.email_flagged_at AS "flaggedAt", u.email_flag_reason AS "flagReason"
         FROM delivery d JOIN app_user u ON u.id = d.recipient_user_id
        WHERE d.case_id = $1 ORDER BY d.id`,
      [caseId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      template: r.template,
      status: r.status,
      reason: r.reason,
      attempts: r.attempts,
      recipient: {
        userId: r.userId,
        name: r.userName,
        email: r.recipientEmail,
        active: r.userActive,
        addressFlagged: r.flaggedAt !== null,
        flaggedAt: r.flaggedAt,
        flagReason: r.flagReason,
      },
      lastError: r.lastError,
      smtpResponse: r.smtpResponse,
      messageId: r.messageId,
      sentAt: r.sentAt,
      createdAt: r.createdAt,
    })) as CaseDeliveryView[];
  }
}

export interface MailAlarm {
  kind: string;
  message: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  occurrences: number;
  clearedAt: Date | null;
}

export interface CaseDeliveryView {
  id: string;
  template: string;
  status: DeliveryStatus;
  reason: string | null;
  attempts: number;
  recipient: {
    userId: string;
    name: string;
    email: string | null;
    active: boolean;
    addressFlagged: boolean;
    flaggedAt: Date | null;
    flagReason: string | null;
  };
  lastError: string | null;
  smtpResponse: string | null;
  messageId: string | null;
  sentAt: Date | null;
  createdAt: Date;
}
