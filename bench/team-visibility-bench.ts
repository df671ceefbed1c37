/**
 * The research-team clause of visibilitySql against the owner-only list query (raw baseline), same run, on 100,000 cases.
 * Run: TR_TEST_TEMPLATE=<a migrated template database> npx ts-node --transpile-only -r tsconfig-paths/register bench/team-visibility-bench.ts
 */
import { Client } from 'pg';
import { captureListSql } from './explain';
import { createTestDatabase, dbUrl, dropTestDatabase } from '@app/testing';

async function main() {
  const name = await createTestDatabase();
  const db = new Client({ connectionString: dbUrl(name) });
  await db.connect();
  try {
    const [{ id: me }] = (await db.query(`SELECT id FROM app_user WHERE email = 'researcher@example.ac.uk'`)).rows;
    const [{ id: other }] = (await db.query(`SELECT id FROM app_user WHERE email = 'researcher2@example.ac.uk'`)).rows;
    await db.query(
      `INSERT INTO collaboration_case (reference, title, owner_id, state, submitted_at, answers, questionnaire_version, triage_stale, export_review_required, export_review_completed, signed_by, version, search_text, stage_entered_at, created_at, updated_at)
      SELECT 'B-' || g, 'Bench ' || g, CASE WHEN g % 1000 = 0 THEN $1::uuid ELSE $2::uuid END, 'submitted', now(), '{}', 1, false, false, false, '{}', 1, 'bench', now(), now() - (g || ' seconds')::interval, now()
        FROM generate_series(1, 100000) g`,
      [me, other],
    );
    await db.query(
      `INSERT INTO case_person (case_id, name, role, user_id, added_by_id) SELECT id, 'Co', 'co_investigator', $1, $2 FROM collaboration_case WHERE owner_id = $2 ORDER BY created_at LIMIT 50`,
      [me, other],
    );
    await db.query('ANALYZE');
    const q = await captureListSql({ id: me, staff: false, today: '2026-11-30' }, {}, 'created', 25, null);
    const base = { sql: q.sql.replace(/ OR c\.id = ANY\(ARRAY\(SELECT cp\.case_id[^)]*\)\)\)/, ''), params: q.params };
    if (base.sql === q.sql) throw new Error('baseline did not strip the team clause');
    const time = async (sql: string, params: unknown[]) => {
      for (let i = 0; i < 5; i++) await db.query(sql, params);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 50; i++) await db.query(sql, params);
      return Number(process.hrtime.bigint() - t0) / 1e6 / 50;
    };
    const withTeam = await time(q.sql, q.params);
    const without = await time(base.sql, base.params);
    const rows = (await db.query(q.sql, q.params)).rows.length;
    const plan = (await db.query(`EXPLAIN ${q.sql}`, q.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
    console.log(plan);
    console.log(
      `100,000 cases; researcher owns 100 and is co-investigator on 50: first page ${rows} rows; with team clause ${withTeam.toFixed(2)} ms, owner-only baseline ${without.toFixed(2)} ms, ratio ${(withTeam / without).toFixed(2)}`,
    );
  } finally {
    await db.end();
    await dropTestDatabase(name);
  }
}
void main();
