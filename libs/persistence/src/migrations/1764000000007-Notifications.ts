import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - notification_preference: a person's mode per category (immediate, digest, off);
 *   no row means immediate. Critical emails ignore it (libs/mail/src/categories.ts).
 * - digest_run: one row per (user, day) claims the daily digest, so the 08:30 job run
 *   twice (two workers, a retry) writes one outbox row and sends one email.
 * - mail_alarm: operator alarms of the mail path (an SMTP authentication or
 *   configuration failure), open until a send succeeds; GET /api/admin/mail/status.
 */
export class Notifications1764000000007 implements MigrationInterface {
  name = 'Notifications1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_preference (
        user_id uuid NOT NULL REFERENCES app_user(id),
        category text NOT NULL CHECK (category IN ('case_updates','reminders','digest')),
        mode text NOT NULL CHECK (mode IN ('immediate','digest','off')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, category),
        CHECK (category <> 'digest' OR mode <> 'digest')
      )`);
    await q.query(`
      CREATE TABLE digest_run (
        user_id uuid NOT NULL REFERENCES app_user(id),
        day date NOT NULL,
        outbox_id bigint NOT NULL REFERENCES outbox(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, day)
      )`);
    await q.query(`
      CREATE TABLE mail_alarm (
        kind text PRIMARY KEY,
        message text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        occurrences int NOT NULL DEFAULT 1,
        cleared_at timestamptz NULL
      )`);
    // The digest lists what was held back for it: deliveries suppressed 'in digest', per recipient and time.
    await q.query(`CREATE INDEX delivery_recipient_held ON delivery (recipient_user_id, created_at) WHERE reason = 'in digest'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS delivery_recipient_held`);
    await q.query(`DROP TABLE IF EXISTS mail_alarm`);
    await q.query(`DROP TABLE IF EXISTS digest_run`);
    await q.query(`DROP TABLE IF EXISTS notification_preference`);
  }
}
