import { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen here (not imported from libs/domain) so a later change of defaults cannot rewrite history.
const LADDER = [
  { type: 'reminder', at: 50, to: 'assignee' },
  { type: 'reminder', at: 80, to: 'assignee' },
  { type: 'escalation', at: 100, to: 'rsdo_lead' },
  { type: 'escalation', at: 100, plus: '3wd', to: 'head_of_office' },
];
const POLICIES: [string, string][] = [
  ['submitted', '3wd'],
  ['triaged', '10wd'],
  ['export_control_review', '15wd'],
  ['head_sign_off', '5wd'],
  ['lead_review', '5wd'],
];

/**
 * Service levels.
 * - sla_policy: per stage, a target and a ladder of reminders and escalations (admins edit them).
 * - sla_setting: one row: working hours, who is head of the research office, the
 *   information-request reminders.
 * - closure_day: the university's own closed days (bank holidays come from date-holidays).
 * - collaboration_case gains the clock of the stage it is in; `sla_state` and
 *   `sla_due_at` are indexed so `?sla=breached` is an index scan.
 * - case_timer may be `deferred`: an escalation that came due outside business hours,
 *   replaced by a new row at the next opening (a row's due time never changes).
 */
export class Sla1764000000004 implements MigrationInterface {
  name = 'Sla1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_policy (
        stage text PRIMARY KEY,
        target text NOT NULL,
        at_risk_at int NOT NULL DEFAULT 80,
        ladder jsonb NOT NULL DEFAULT '[]',
        version int NOT NULL DEFAULT 1,
        updated_by_id uuid NULL REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const [stage, target] of POLICIES) {
      await q.query(`INSERT INTO sla_policy (stage, target, at_risk_at, ladder) VALUES ($1, $2, 80, $3)`, [stage, target, JSON.stringify(LADDER)]);
    }
    await q.query(`
      CREATE TABLE sla_setting (
        id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        working_days int[] NOT NULL DEFAULT '{1,2,3,4,5}',
        opens text NOT NULL DEFAULT '09:00',
        closes text NOT NULL DEFAULT '17:00',
        head_of_office_user_id uuid NULL REFERENCES app_user(id),
        information_reminders text[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO sla_setting (id, information_reminders) VALUES (1, $1)`, [['5wd', '2wd']]);
    await q.query(`
      CREATE TABLE closure_day (
        day date PRIMARY KEY,
        description text NOT NULL,
        created_by_id uuid NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      ALTER TABLE collaboration_case
        ADD COLUMN sla_stage text NULL,
        ADD COLUMN sla_mode text NULL CHECK (sla_mode IN ('elapsed','business')),
        ADD COLUMN sla_budget_ms bigint NULL,
        ADD COLUMN sla_at_risk_pct int NULL,
        ADD COLUMN sla_used_ms bigint NULL,
        ADD COLUMN sla_anchor_at timestamptz NULL,
        ADD COLUMN sla_paused_at timestamptz NULL,
        ADD COLUMN sla_paused_ms bigint NULL,
        ADD COLUMN sla_due_at timestamptz NULL,
        ADD COLUMN sla_at_risk_from timestamptz NULL,
        ADD COLUMN sla_state text NULL CHECK (sla_state IN ('on_track','at_risk','breached'))`);
    await q.query(`CREATE INDEX case_sla_due_idx ON collaboration_case (sla_due_at) WHERE sla_due_at IS NOT NULL`);
    await q.query(`CREATE INDEX case_sla_at_risk_idx ON collaboration_case (sla_at_risk_from) WHERE sla_at_risk_from IS NOT NULL`);
    await q.query(`CREATE INDEX case_sla_state_idx ON collaboration_case (sla_state) WHERE sla_state IS NOT NULL`);
    await q.query(`ALTER TABLE case_timer DROP CONSTRAINT IF EXISTS case_timer_status_check`);
    await q.query(`ALTER TABLE case_timer ADD CONSTRAINT case_timer_status_check CHECK (status IN ('pending','fired','cancelled','deferred'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_timer DROP CONSTRAINT IF EXISTS case_timer_status_check`);
    await q.query(`UPDATE case_timer SET status = 'fired' WHERE status = 'deferred'`);
    await q.query(`ALTER TABLE case_timer ADD CONSTRAINT case_timer_status_check CHECK (status IN ('pending','fired','cancelled'))`);
    for (const c of [
      'sla_stage',
      'sla_mode',
      'sla_budget_ms',
      'sla_at_risk_pct',
      'sla_used_ms',
      'sla_anchor_at',
      'sla_paused_at',
      'sla_paused_ms',
      'sla_due_at',
      'sla_at_risk_from',
      'sla_state',
    ]) {
      await q.query(`ALTER TABLE collaboration_case DROP COLUMN IF EXISTS ${c}`);
    }
    for (const t of ['closure_day', 'sla_setting', 'sla_policy']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
