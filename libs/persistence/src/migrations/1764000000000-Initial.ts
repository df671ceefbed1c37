import { MigrationInterface, QueryRunner } from 'typeorm';

const STATES = `'draft','submitted','triaged','export_control_review','head_sign_off','lead_review','awaiting_information','approved','rejected','withdrawn'`;

export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE department (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        head_user_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NULL,
        roles text[] NOT NULL DEFAULT '{}',
        department_id uuid NULL REFERENCES department(id),
        active boolean NOT NULL DEFAULT true,
        email_flagged_at timestamptz NULL,
        email_flag_reason text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email))`);
    await q.query(`ALTER TABLE department ADD CONSTRAINT department_head_fk FOREIGN KEY (head_user_id) REFERENCES app_user(id)`);
    await q.query(`
      CREATE TABLE department_delegate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        department_id uuid NOT NULL REFERENCES department(id),
        delegate_user_id uuid NOT NULL REFERENCES app_user(id),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        created_by_id uuid NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL,
        CONSTRAINT department_delegate_range CHECK (ends_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX department_delegate_lookup ON department_delegate (department_id, starts_on, ends_on) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE refresh_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_token_user ON refresh_token (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`CREATE TABLE case_reference_counter (year int PRIMARY KEY, last_value int NOT NULL)`);
    await q.query(`
      CREATE TABLE collaboration_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        title text NOT NULL DEFAULT '',
        answers jsonb NOT NULL DEFAULT '{}',
        questionnaire_version int NOT NULL DEFAULT 1,
        owner_id uuid NOT NULL REFERENCES app_user(id),
        department_id uuid NULL REFERENCES department(id),
        parent_case_id uuid NULL REFERENCES collaboration_case(id),
        state text NOT NULL DEFAULT 'draft' CHECK (state IN (${STATES})),
        outcome text NULL,
        return_state text NULL CHECK (return_state IN (${STATES})),
        assignee_id uuid NULL REFERENCES app_user(id),
        triaged_by_id uuid NULL REFERENCES app_user(id),
        risk_level text NULL CHECK (risk_level IN ('low','medium','high')),
        proposed_risk_level text NULL CHECK (proposed_risk_level IN ('low','medium','high')),
        triage jsonb NULL,
        triage_stale boolean NOT NULL DEFAULT false,
        export_review_required boolean NOT NULL DEFAULT false,
        export_review_completed boolean NOT NULL DEFAULT false,
        export_reviewer_id uuid NULL REFERENCES app_user(id),
        export_assessment jsonb NULL,
        proposed_decision jsonb NULL,
        decision jsonb NULL,
        rejection jsonb NULL,
        information_request jsonb NULL,
        version int NOT NULL DEFAULT 1,
        search_text text NOT NULL DEFAULT '',
        stage_entered_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz NULL,
        closed_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One index per offered sort (keyset pagination orders by (sort key, id)).
    await q.query(`CREATE INDEX case_created_idx ON collaboration_case (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX case_updated_idx ON collaboration_case (updated_at DESC, id DESC)`);
    await q.query(`CREATE INDEX case_state_age_idx ON collaboration_case (state, submitted_at ASC, id ASC)`);
    await q.query(`CREATE INDEX case_state_created_idx ON collaboration_case (state, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX case_owner_idx ON collaboration_case (owner_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX case_assignee_idx ON collaboration_case (assignee_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX case_department_idx ON collaboration_case (department_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX case_search_trgm ON collaboration_case USING gin (search_text gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE case_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        seq int NOT NULL,
        actor_id uuid NULL REFERENCES app_user(id),
        action text NOT NULL,
        from_state text NULL,
        to_state text NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        prev_hash text NULL,
        hash text NOT NULL,
        CONSTRAINT case_event_seq_key UNIQUE (case_id, seq)
      )`);
    await q.query(`
      CREATE TABLE system_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seq int NOT NULL UNIQUE,
        actor_id uuid NULL REFERENCES app_user(id),
        action text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        prev_hash text NULL,
        hash text NOT NULL
      )`);
    // The audit trail is append-only. The application's role owns neither table, so it
    // cannot disable these triggers; only the owner (migrations, an operator) could.
    await q.query(`
      CREATE FUNCTION forbid_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['case_event', 'system_event']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION forbid_audit_change()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION forbid_audit_change()`);
    }

    await q.query(`
      CREATE TABLE case_timer (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        scope text NOT NULL CHECK (scope IN ('stage','case')),
        stage text NULL,
        stage_entered_at timestamptz NULL,
        kind text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','fired','cancelled')),
        payload jsonb NOT NULL DEFAULT '{}',
        fired_at timestamptz NULL,
        lateness_ms int NULL,
        cancelled_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_timer_case_pending ON case_timer (case_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX case_timer_due_pending ON case_timer (due_at) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic text NOT NULL,
        case_id uuid NULL REFERENCES collaboration_case(id),
        event_id bigint NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done')),
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE case_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        author_id uuid NOT NULL REFERENCES app_user(id),
        visibility text NOT NULL CHECK (visibility IN ('internal','researcher')),
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_note_case ON case_note (case_id, created_at)`);
    await q.query(`
      CREATE TABLE case_flag (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        kind text NOT NULL DEFAULT 'manual',
        blocking boolean NOT NULL,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','cleared','confirmed')),
        raised_by_id uuid NULL REFERENCES app_user(id),
        raised_at timestamptz NOT NULL DEFAULT now(),
        resolved_by_id uuid NULL REFERENCES app_user(id),
        resolved_at timestamptz NULL,
        resolution text NULL,
        resolution_reason text NULL
      )`);
    await q.query(`CREATE INDEX case_flag_open ON case_flag (case_id) WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'case_flag',
      'case_note',
      'outbox',
      'case_timer',
      'system_event',
      'case_event',
      'collaboration_case',
      'case_reference_counter',
      'invitation',
      'refresh_token',
      'department_delegate',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`ALTER TABLE department DROP CONSTRAINT IF EXISTS department_head_fk`);
    await q.query(`DROP TABLE IF EXISTS app_user`);
    await q.query(`DROP TABLE IF EXISTS department`);
    await q.query(`DROP FUNCTION IF EXISTS forbid_audit_change()`);
  }
}
