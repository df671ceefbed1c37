import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
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

const COLUMNS = `id, outbox_id AS "outboxId", case_id AS "caseId", recipient_user_id AS "recipientUserId",
  recipient_email AS "recipientEmail", template, context, status, reason, attempts, lease_until AS "leaseUntil",
  lease_token AS "leaseToken", message_id AS "messageId", smtp_response AS "smtpResponse", last_error AS "lastError",
  sent_at AS "sentAt", created_at AS "createdAt", updated_at AS "updatedAt"`;


/**
 * Delivery rows: every status change is a conditional update, so a handler that runs
 * twice (or a stale attempt whose lease ran out) changes nothing.
 */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly ds: DataSource) {}

  /** Idempotent: the (outbox, recipient, template) key makes a replayed relay a no-op. */
  async insertMany(em: EntityManager, rows: NewDelivery[]): Promise<void> {
    if (!rows.length) return;
    const params: unknown[] = [];
    const values = rows.map((r) => {
      params.push(r.outboxId, r.caseId, r.recipientUserId, r.recipientEmail, r.template, JSON.stringify(r.context), r.status, r.reason);
      const n = params.length;
      return `($${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::jsonb, $${n - 1}, $${n})`;
    });
    await em.query(
      `INSERT INTO delivery (outbox_id, case_id, recipient_user_id, recipient_email, template, context, status, reason)
       VALUES ${values.join(', ')} ON CONFLICT ON CONSTRAINT delivery_outbox_recipient_template_key DO NOTHING`,
      params,
    );
  }

  async pendingIdsForOutbox(em: EntityManager, outboxIds: string[]): Promise<string[]> {
    if (!outboxIds.length) return [];
    const rows: { id: string }[] = await em.query(`SELECT id FROM delivery WHERE outbox_id = ANY($1::bigint[]) AND status = 'pending' ORDER BY id`, [outboxIds]);
    return rows.map((r) => String(r.id));
  }

  findById(id: string): Promise<DeliveryEntity | null> {
    return this.ds.getRepository(DeliveryEntity).findOne({ where: { id } });
  }

  /**
   * Takes the sending lease: a pending row, or a `sending` row whose lease ran out
   * (its attempt died mid-send). The database clock decides what "ran out" means.
   */
  async claim(id: string, leaseMs: number, token: string): Promise<ClaimResult> {
    const claimed = returnedRows<DeliveryEntity>(await this.ds.query(
      `UPDATE delivery SET status = 'sending', lease_until = now() + $2 * interval '1 millisecond', lease_token = $3,
              attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND (status = 'pending' OR (status = 'sending' AND lease_until < now()))
        RETURNING ${COLUMNS}`,
      [id, leaseMs, token],
    ));
    if (claimed.length) return { outcome: 'claimed', delivery: { ...claimed[0], id: String(claimed[0].id) } };
    const [row]: { status: DeliveryStatus; leaseUntil: Date | null }[] = await this.ds.query(
      `SELECT status, lease_until AS "leaseUntil" FROM delivery WHERE id = $1`, [id],
    );
    if (!row) return { outcome: 'missing' };
    if (row.status === 'sending') return { outcome: 'leased', leaseUntil: row.leaseUntil! };
    return { outcome: 'finished', status: row.status };
  }

  /** Only the attempt holding the lease may finish the row. */
  async markSent(id: string, token: string, messageId: string, smtpResponse: string): Promise<boolean> {
    const rows = returnedRows(await this.ds.query(
      `UPDATE delivery SET status = 'sent', sent_at = now(), message_id = $3, smtp_response = $4, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending' RETURNING id`,
      [id, token, messageId, smtpResponse],
    ));
    return rows.length > 0;
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
}
