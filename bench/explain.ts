/**
 * Reproduces the exact SQL CaseRepository.list sends, by handing it an EntityManager
 * stand-in that records the query instead of running it, then EXPLAINs that SQL.
 */
import { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { CaseListFilter, CaseRepository, CaseSort, Keyset, Viewer } from '@app/persistence';

export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

export async function captureListSql(viewer: Viewer, filter: CaseListFilter, sort: CaseSort, limit: number, after: Keyset | null): Promise<CapturedQuery> {
  let captured: CapturedQuery | null = null;
  const em = {
    query: async (sql: string, params: unknown[] = []) => {
      captured = { sql, params };
      return [];
    },
  } as unknown as EntityManager;
  await new CaseRepository().list(em, viewer, filter, sort, limit, after);
  if (!captured) throw new Error('CaseRepository.list sent no query');
  return captured;
}

export interface ExplainSummary {
  name: string;
  scans: string[];
  executionMs: number | null;
  planningMs: number | null;
  topBuffers: string | null;
  rows: number | null;
  plan: string;
}

export async function explain(pool: Pool, name: string, q: CapturedQuery): Promise<ExplainSummary> {
  // Run once to warm, keep the second plan (the API has already warmed the cache).
  await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params);
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params);
  const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  const scans = [
    ...new Set(
      [
        ...plan.matchAll(/(Seq Scan on \S+|Parallel Seq Scan on \S+|(?:Index Only Scan|Index Scan)(?: Backward)? using \S+ on \S+|Bitmap Index Scan on \S+)/g),
      ].map((m) => m[1]),
    ),
  ];
  const exec = /Execution Time: ([\d.]+) ms/.exec(plan);
  const planning = /Planning Time: ([\d.]+) ms/.exec(plan);
  const buffers = /Buffers: ([^\n]+)/.exec(plan);
  const topRows = /actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(plan);
  return {
    name,
    scans,
    executionMs: exec ? Number(exec[1]) : null,
    planningMs: planning ? Number(planning[1]) : null,
    topBuffers: buffers ? buffers[1].trim() : null,
    rows: topRows ? Number(topRows[1]) : null,
    plan,
  };
}

/** Fills $n placeholders for a readable, copy-pasteable statement in the report. */
export function inlineParams(q: CapturedQuery): string {
  return q.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const v = q.params[Number(n) - 1];
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v)) return `ARRAY[${v.map((x) => `'${String(x).replace(/'/g, "''")}'`).join(',')}]`;
    return `'${String(v).replace(/'/g, "''")}'`;
  });
}
