/**
 * EXPLAIN (ANALYZE) of every named list query against an existing bench database, without
 * seeding or load: `npm run bench:lists -- --db=tr_bench`. The SQL is the one
 * CaseRepository.list sends (bench/explain.ts captures it); the viewers are built as
 * CaseService.viewer() builds them. Prints execution time and the scans of each plan.
 */
import { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { UserRepository, Viewer } from '@app/persistence';
import { captureListSql, explain } from './explain';

async function main(): Promise<void> {
  const db = process.argv.find((x) => x.startsWith('--db='))?.split('=')[1] ?? 'tr_bench';
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = `/${db}`;
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await pool.query(sql, params)).rows[0] as T;
  const userId = async (email: string) => (await one<{ id: string }>('SELECT id FROM app_user WHERE email = $1', [email])).id;
  const today = new Date().toISOString().slice(0, 10);
  const asManager = { query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows } as unknown as EntityManager;
  const users = new UserRepository();
  const nonStaff = async (email: string): Promise<Viewer> => {
    const id = await userId(email);
    return { id, staff: false, today, signing: await users.viewerSigning(asManager, id, today) };
  };
  const staff: Viewer = { id: await userId('officer@example.ac.uk'), staff: true, today };
  const physics = (await one<{ id: string }>(`SELECT id FROM department WHERE name = 'Physics'`)).id;
  const { reference } = await one<{ reference: string }>(`SELECT reference FROM collaboration_case ORDER BY created_at LIMIT 1 OFFSET 5000`);
  const { count } = await one<{ count: string }>(`SELECT count(*) FROM collaboration_case`);
  console.log(`${db}: ${count} cases`);
  const named: [string, Viewer, Parameters<typeof captureListSql>[1], Parameters<typeof captureListSql>[2]][] = [
    ['first page', staff, { states: [] }, 'created'],
    ['text search q=quantum', staff, { states: [], text: 'quantum' }, 'created'],
    ['department=Physics', staff, { states: [], departmentId: physics }, 'created'],
    [`reference search ${reference}`, staff, { states: [], text: reference.toLowerCase() }, 'created'],
    ['state=triaged&sort=age', staff, { states: ['triaged'] }, 'age'],
    ['researcher first page', await nonStaff('researcher@example.ac.uk'), { states: [] }, 'created'],
    ['researcher2 first page', await nonStaff('researcher2@example.ac.uk'), { states: [] }, 'created'],
    ['head of Physics first page', await nonStaff('head.physics@example.ac.uk'), { states: [] }, 'created'],
    ['head of Physics, sort=updated', await nonStaff('head.physics@example.ac.uk'), { states: [] }, 'updated'],
    ['head of Physics, sort=due', await nonStaff('head.physics@example.ac.uk'), { states: [] }, 'due'],
  ];
  for (const [name, viewer, filter, sort] of named) {
    const e = await explain(pool, name, await captureListSql(viewer, filter, sort, 25, null));
    console.log(`${name.padEnd(36)} ${String(e.executionMs).padStart(9)} ms  rows ${e.rows}  ${e.scans.join(' + ')}`);
    if (process.argv.includes('--plans')) console.log(e.plan);
  }
  await pool.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
