/**
 * The floor: the same triage transaction as CaseService.act, as hand-written SQL over a
 * bare pg.Pool (app role, API's pool size), with no HTTP, Nest or TypeORM in between.
 */
import { Pool, PoolClient } from 'pg';
import { loadConfig } from '@app/config';
import { DEFAULT_STAGE_TIMER_POLICY, eventHash, stageTimers } from '@app/domain';

/** The same audit key the API seals with, so the raw baseline does the same HMAC. */
const AUDIT_KEY = ((a) => ({ id: a.keyId, secret: a.key }))(loadConfig().audit);
import { Stats, summarize } from './stats';

async function triageOne(client: PoolClient, id: string, officerId: string): Promise<void> {
  await client.query('BEGIN');
  try {
    const {
      rows: [c],
    } = await client.query('SELECT * FROM collaboration_case WHERE id = $1 FOR UPDATE', [id]);
    if (!c) throw new Error(`case ${id} not found`);
    const {
      rows: [flags],
    } = await client.query(`SELECT count(*)::int AS n FROM case_flag WHERE case_id = $1 AND status = 'open' AND blocking`, [id]);
    const {
      rows: [owner],
    } = await client.query('SELECT * FROM app_user WHERE id = $1', [c.owner_id]);
    const departmentId = c.department_id ?? owner?.department_id ?? null;
    await client.query(
      `SELECT d.head_user_id, dd.delegate_user_id, dd.starts_on, dd.ends_on
         FROM department d
         LEFT JOIN department_delegate dd ON dd.department_id = d.id AND dd.revoked_at IS NULL
        WHERE d.id = $1`,
      [departmentId],
    );
    if (c.state !== 'submitted') throw new Error(`case ${id} is ${c.state}, not submitted`);
    if (flags.n > 0) throw new Error(`case ${id} has blocking flags`);
    const now = new Date();
    const triage = {
      riskLevel: 'low',
      route: null,
      exportControlRelevant: false,
      comment: null,
      byId: officerId,
      at: now.toISOString(),
      proposedRiskLevel: c.proposed_risk_level,
    };
    const partners = (c.answers.partners ?? []).map((p: { name: string; country: string }) => `${p.name} ${p.country}`).join(' ');
    const searchText = `${c.reference} ${c.title} ${partners}`.toLowerCase();
    await client.query(
      `UPDATE collaboration_case
          SET state = 'triaged', version = version + 1, updated_at = $2, stage_entered_at = $2, triage = $3,
              risk_level = 'low', triaged_by_id = $4, triage_stale = false, export_review_required = false,
              assignee_id = COALESCE(assignee_id, $4), search_text = $5
        WHERE id = $1`,
      [id, now, JSON.stringify(triage), officerId, searchText],
    );
    const {
      rows: [last],
    } = await client.query('SELECT seq, hash FROM case_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1', [id]);
    const seq = last ? Number(last.seq) + 1 : 1;
    const prevHash: string | null = last ? last.hash : null;
    const createdAt = new Date(Math.floor(Date.now()));
    const payload = { riskLevel: 'low', route: null, exportControlRelevant: false, comment: null };
    const hash = eventHash(
      {
        caseId: id,
        seq,
        actorId: officerId,
        action: 'triage',
        fromState: 'submitted',
        toState: 'triaged',
        payload,
        createdAt: createdAt.toISOString(),
        prevHash,
      },
      AUDIT_KEY,
    );
    const {
      rows: [ev],
    } = await client.query(
      `INSERT INTO case_event (case_id, seq, actor_id, action, from_state, to_state, payload, created_at, prev_hash, hash, key_id)
       VALUES ($1, $2, $3, 'triage', 'submitted', 'triaged', $4, $5, $6, $7, $8) RETURNING id`,
      [id, seq, officerId, JSON.stringify(payload), createdAt, prevHash, hash, AUDIT_KEY.id],
    );
    await client.query(
      `UPDATE case_timer SET status = 'cancelled', cancelled_at = now()
        WHERE case_id = $1 AND scope = 'stage' AND status = 'pending' RETURNING id`,
      [id],
    );
    for (const t of stageTimers('triaged', now, DEFAULT_STAGE_TIMER_POLICY)) {
      await client.query(
        `INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at, status, payload, created_at)
         VALUES ($1, 'stage', 'triaged', $2, $3, $4, 'pending', '{}', $5) RETURNING id`,
        [id, now, t.kind, t.dueAt, new Date()],
      );
    }
    await client.query(
      `INSERT INTO outbox (topic, case_id, event_id, payload, status, created_at)
       VALUES ('case-event', $1, $2, $3, 'pending', $4) RETURNING id`,
      [id, ev.id, JSON.stringify({ action: 'triage', fromState: 'submitted', toState: 'triaged', reference: c.reference, actorId: officerId }), new Date()],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export interface RawResult {
  transactions: number;
  failed: number;
  seconds: number;
  txPerSecond: number;
  latencyMs: Stats;
  firstError: string | null;
}

/** `beforeEnd` runs while the pool's backends still exist (their CPU is read from /proc). */
export async function runRawTriage(
  url: string,
  poolSize: number,
  ids: string[],
  officerId: string,
  concurrency: number,
  beforeEnd?: () => Promise<void>,
): Promise<RawResult> {
  const pool = new Pool({ connectionString: url, max: poolSize, application_name: 'trusted-research-bench-raw' });
  try {
    let next = 0;
    let failed = 0;
    let firstError: string | null = null;
    const lat: number[] = [];
    const t0 = performance.now();
    const worker = async () => {
      for (;;) {
        const id = ids[next++];
        if (!id) return;
        const t = performance.now();
        const client = await pool.connect();
        try {
          await triageOne(client, id, officerId);
          lat.push(performance.now() - t);
        } catch (err) {
          failed++;
          firstError ??= err instanceof Error ? err.message : String(err);
        } finally {
          client.release();
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    await beforeEnd?.();
    return { transactions: lat.length, failed, seconds, txPerSecond: lat.length / seconds, latencyMs: summarize(lat), firstError };
  } finally {
    await pool.end();
  }
}
