import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One delivery row per (outbox message, recipient, template): the outbox relay inserts
 * them, the mail processor moves them pending → sending → sent | failed | suppressed.
 * An outbox insert NOTIFYs `outbox` so the relay wakes at once (polling stays as the fallback).
 */
export class Delivery1764000000002 implements MigrationInterface {
  name = 'Delivery1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delivery (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        outbox_id bigint NOT NULL REFERENCES outbox(id),
        case_id uuid NULL REFERENCES collaboration_case(id),
        recipient_user_id uuid NOT NULL REFERENCES app_user(id),
        recipient_email text NULL,
        template text NOT NULL,
        context jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','suppressed')),
        reason text NULL,
        attempts int NOT NULL DEFAULT 0,
        lease_until timestamptz NULL,
        lease_token text NULL,
        message_id text NULL,
        smtp_response text NULL,
        last_error text NULL,
        sent_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT delivery_outbox_recipient_template_key UNIQUE (outbox_id, recipient_user_id, template)
      )`);
    await q.query(`CREATE INDEX delivery_unfinished ON delivery (updated_at) WHERE status IN ('pending','sending')`);
    await q.query(`CREATE INDEX delivery_case ON delivery (case_id, id)`);
    // Statement level: one wake-up per inserting statement; delivered at commit.
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION IF EXISTS outbox_notify()`);
    await q.query(`DROP TABLE IF EXISTS delivery`);
  }
}
