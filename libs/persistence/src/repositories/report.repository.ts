import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** What every report is narrowed by. Dates are instants; `zone` buckets months. */
export interface ReportFilter {
  from: Date;
  to: Date;
  zone: string;
  departmentId?: string;
  country?: string;
  nsiArea?: string;
  riskTier?: string;
  outcome?: string;
  officerId?: string;
}

/** One local day of the business calendar and the business time before its opening. */
export interface ReportCalendarDay {
  day: string;
  opens: Date | null;
  closes: Date | null;
  /** Business milliseconds from the calendar's first day up to this day's opening. */
  before: number;
}

export interface StageBudget {
  stage: string;
  mode: 'elapsed' | 'business';
  budgetMs: number;
}

/** Collects positional parameters while the SQL is written. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** The case filters (not the date range), on alias `c`. */
function caseFilters(f: ReportFilter, p: Params): string {
  const w: string[] = [];
  if (f.departmentId) w.push(`c.department_id = ${p.add(f.departmentId)}::uuid`);
  if (f.country) w.push(`c.answers->'partners' @> jsonb_build_array(jsonb_build_object('country', ${p.add(f.country)}::text))`);
  if (f.nsiArea) w.push(`c.answers->'sensitiveAreas' @> jsonb_build_array(${p.add(f.nsiArea)}::text)`);
  if (f.riskTier) w.push(`c.risk_level = ${p.add(f.riskTier)}`);
  if (f.outcome) w.push(`c.outcome = ${p.add(f.outcome)}`);
  if (f.officerId) w.push(`c.assignee_id = ${p.add(f.officerId)}::uuid`);
  return w.length ? ` AND ${w.join(' AND ')}` : '';
}

/** Cases submitted in the range (the report's cohort), on alias `c`. */
function submittedIn(f: ReportFilter, p: Params): string {
  return `c.submitted_at >= ${p.add(f.from)} AND c.submitted_at < ${p.add(f.to)}${caseFilters(f, p)}`;
}

const month = (col: string, zone: string) => `to_char(date_trunc('month', ${col} AT TIME ZONE ${zone}), 'YYYY-MM')`;

/**
 * The reporting SQL. Every query is one aggregate over indexed ranges; business time is
 * measured in SQL against the calendar the caller computed (libs/domain BusinessCalendar),
 * passed in as rows, so the database and the SLA clocks count the same working hours.
 */
@Injectable()
export class ReportRepository {
  /** Whether this month's summary went out already; locks its row, if any, until commit. */
  async monthlyReportSent(em: EntityManager, month: string): Promise<boolean> {
    const rows: unknown[] = await em.query('SELECT 1 FROM monthly_report_run WHERE month = $1 FOR UPDATE', [month]);
    return rows.length > 0;
  }

  /** Records the month's summary; false when another worker recorded it first. */
  async recordMonthlyReport(em: EntityManager, month: string, outboxId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      'INSERT INTO monthly_report_run (month, outbox_id) VALUES ($1, $2) ON CONFLICT (month) DO NOTHING RETURNING month',
      [month, outboxId],
    );
    return rows.length > 0;
  }

  /** Outgoing e-mail by status, for the operations metrics. */
  async deliveryCounts(em: EntityManager): Promise<{ status: string; n: number }[]> {
    return em.query('SELECT status, count(*)::int AS n FROM delivery GROUP BY status');
  }

  /** How late timers fired in the last hour ran (ms), for the operations metrics; nulls when none fired. */
  async timerLatenessLastHour(em: EntityManager): Promise<{ p50: number | null; p95: number | null; max: number | null }> {
    const [r] = await em.query<(Record<'p50' | 'p95' | 'max', unknown> | undefined)[]>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lateness_ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY lateness_ms) AS p95, max(lateness_ms) AS max
         FROM case_timer WHERE status = 'fired' AND fired_at > now() - interval '1 hour' AND lateness_ms IS NOT NULL`,
    );
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return { p50: n(r?.p50), p95: n(r?.p95), max: n(r?.max) };
  }

  async volumes(em: EntityManager, f: ReportFilter): Promise<{ month: string; state: string; cases: number }[]> {
    const p = new Params();
    const zone = p.add(f.zone);
    return em.query(
      `SELECT ${month('c.submitted_at', zone)} AS month, c.state, count(*)::int AS cases
         FROM collaboration_case c WHERE ${submittedIn(f, p)}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      p.values,
    );
  }

  /**
   * Time each case of the cohort spent in each stage (its stays summed, so a pause for
   * information does not count), in business milliseconds, and whether it met the
   * stage's current target. Open stays count up to now for `open`, not for percentiles.
   */
  async stageTimes(em: EntityManager, f: ReportFilter, calendar: ReportCalendarDay[], budgets: StageBudget[]): Promise<{
    stage: string; cases: number; completed: number; open: number; p50Ms: number | null; p90Ms: number | null; maxMs: number | null;
    onTime: number; breached: number; openBreached: number;
  }[]> {
    const p = new Params();
    const zone = p.add(f.zone);
    // The calendar as arrays indexed by day (a closed day opens and closes at midnight: no NULLs, so
    // a subscript is O(1)); a join against a row set made the planner loop over it per stay.
    const first = p.add(calendar[0].day);
    const opens = p.add(calendar.map((d) => d.opens ?? new Date(`${d.day}T00:00:00Z`)));
    const closes = p.add(calendar.map((d) => d.closes ?? new Date(`${d.day}T00:00:00Z`)));
    const before = p.add(calendar.map((d) => d.before));
    const last = calendar[calendar.length - 1];
    const total = p.add(last.before + (last.opens && last.closes ? last.closes.getTime() - last.opens.getTime() : 0));
    const n = p.add(calendar.length);
    // Position of instant `t` (on calendar day index `i`) in business milliseconds since the calendar's start.
    const pos = (t: string, i: string) => `CASE WHEN ${i} < 1 THEN 0::float8 WHEN ${i} > ${n}::int THEN ${total}::float8
        ELSE (${before}::float8[])[${i}] + greatest(0, extract(epoch FROM least(${t}, (${closes}::timestamptz[])[${i}]) - (${opens}::timestamptz[])[${i}]) * 1000) END`;
    const dayIndex = (t: string) => `((${t} AT TIME ZONE ${zone})::date - ${first}::date + 1)`;
    const pol = `unnest(${p.add(budgets.map((b) => b.stage))}::text[], ${p.add(budgets.map((b) => b.mode))}::text[], ${p.add(budgets.map((b) => b.budgetMs))}::float8[]) AS b(stage, mode, budget)`;
    // Grouping ~70,000 stays a year and two percentiles sort more than the default 4 MB: keep it in memory.
    const rows = await em.transaction(async (tx) => (await tx.query(`SET LOCAL work_mem = '64MB'`), tx.query<(Record<'stage', string> & Record<'cases' | 'completed' | 'open' | 'onTime' | 'breached' | 'openBreached', number> & Record<'p50Ms' | 'p90Ms' | 'maxMs', unknown>)[]>(
      `WITH pol AS (SELECT * FROM ${pol}),
            iv AS (
              SELECT i.case_id, i.stage, i.entered_at AS a, coalesce(i.left_at, now()) AS b, i.left_at IS NULL AS open,
                     ${dayIndex('i.entered_at')} AS ia, ${dayIndex('coalesce(i.left_at, now())')} AS ib
                FROM case_stage_interval i JOIN collaboration_case c ON c.id = i.case_id
               WHERE i.stage = ANY(${p.add(budgets.map((b) => b.stage))}::text[]) AND ${submittedIn(f, p)}
            ),
            m AS (
              SELECT iv.case_id, iv.stage, bool_or(iv.open) AS open,
                     sum(extract(epoch FROM iv.b - iv.a) * 1000) AS ems,
                     sum(greatest(0, (${pos('iv.b', 'iv.ib')}) - (${pos('iv.a', 'iv.ia')}))) AS bms
                FROM iv
               GROUP BY 1, 2
            ),
            j AS (SELECT m.*, (CASE pol.mode WHEN 'business' THEN m.bms ELSE m.ems END) > pol.budget AS late FROM m JOIN pol USING (stage))
       SELECT stage, count(*)::int AS cases, (count(*) FILTER (WHERE NOT open))::int AS completed, (count(*) FILTER (WHERE open))::int AS open,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY bms) FILTER (WHERE NOT open) AS "p50Ms",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY bms) FILTER (WHERE NOT open) AS "p90Ms",
              max(bms) FILTER (WHERE NOT open) AS "maxMs",
              (count(*) FILTER (WHERE NOT open AND NOT late))::int AS "onTime",
              (count(*) FILTER (WHERE NOT open AND late))::int AS breached,
              (count(*) FILTER (WHERE open AND late))::int AS "openBreached"
         FROM j GROUP BY stage`,
      p.values,
    )));
    const num = (x: unknown) => (x === null || x === undefined ? null : Math.round(Number(x)));
    return rows.map((r) => ({ ...r, p50Ms: num(r.p50Ms), p90Ms: num(r.p90Ms), maxMs: num(r.maxMs) }));
  }

  /** SLA escalations fired in the range, per stage. */
  async escalations(em: EntityManager, f: ReportFilter): Promise<{ stage: string; escalations: number }[]> {
    const p = new Params();
    return em.query(
      `SELECT t.stage, count(*)::int AS escalations
         FROM case_timer t JOIN collaboration_case c ON c.id = t.case_id
        WHERE t.status = 'fired' AND (t.payload->'sla'->>'type') = 'escalation'
          AND t.fired_at >= ${p.add(f.from)} AND t.fired_at < ${p.add(f.to)}${caseFilters(f, p)}
        GROUP BY 1`,
      p.values,
    );
  }

  /** Open (submitted, not closed) cases now, by age since submission in days: `bands` are lower bounds, ascending from 0. */
  async backlog(em: EntityManager, f: ReportFilter, bands: number[]): Promise<{ band: number; state: string; cases: number }[]> {
    const p = new Params();
    return em.query(
      `SELECT width_bucket(extract(epoch FROM now() - c.submitted_at) / 86400, ${p.add(bands)}::float8[]) - 1 AS band, c.state, count(*)::int AS cases
         FROM collaboration_case c
        WHERE c.closed_at IS NULL AND c.submitted_at IS NOT NULL AND c.state <> 'draft'${caseFilters(f, p)}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      p.values,
    );
  }

  /** Cases closed in the range by risk tier and outcome, with their conditions and how many are met. */
  async outcomes(em: EntityManager, f: ReportFilter): Promise<{ riskTier: string | null; outcome: string | null; cases: number; conditions: number; conditionsMet: number }[]> {
    const p = new Params();
    return em.query(
      `SELECT c.risk_level AS "riskTier", c.outcome, count(*)::int AS cases,
              coalesce(sum(cn.n), 0)::int AS conditions, coalesce(sum(cn.met), 0)::int AS "conditionsMet"
         FROM collaboration_case c
         LEFT JOIN LATERAL (
           SELECT count(*) AS n, count(*) FILTER (WHERE x ? 'metAt') AS met
             FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.decision->'conditions') = 'array' THEN c.decision->'conditions' ELSE '[]'::jsonb END) x
         ) cn ON c.decision IS NOT NULL
        WHERE c.closed_at >= ${p.add(f.from)} AND c.closed_at < ${p.add(f.to)}${caseFilters(f, p)}
        GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2`,
      p.values,
    );
  }

  /** Partner countries of the cohort, by cases (a case with two partners in one country counts once). */
  async countries(em: EntityManager, f: ReportFilter, limit: number): Promise<{ country: string; cases: number }[]> {
    const p = new Params();
    return em.query(
      `SELECT x.country, count(DISTINCT c.id)::int AS cases
         FROM collaboration_case c
        CROSS JOIN LATERAL jsonb_to_recordset(CASE WHEN jsonb_typeof(c.answers->'partners') = 'array' THEN c.answers->'partners' ELSE '[]'::jsonb END) AS x(country text)
        WHERE x.country IS NOT NULL AND ${submittedIn(f, p)}
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`,
      p.values,
    );
  }

  async nsiAreas(em: EntityManager, f: ReportFilter, limit: number): Promise<{ area: string; cases: number }[]> {
    const p = new Params();
    return em.query(
      `SELECT x.area, count(DISTINCT c.id)::int AS cases
         FROM collaboration_case c
        CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(c.answers->'sensitiveAreas') = 'array' THEN c.answers->'sensitiveAreas' ELSE '[]'::jsonb END) AS x(area)
        WHERE ${submittedIn(f, p)}
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`,
      p.values,
    );
  }

  /** Screening hits raised in the range, by list, and what became of the flag each raised. */
  async screening(em: EntityManager, f: ReportFilter): Promise<{ list: string; raised: number; clearedFalsePositive: number; confirmed: number; open: number }[]> {
    const p = new Params();
    return em.query(
      `SELECT h.list_kind AS list, count(*)::int AS raised,
              (count(*) FILTER (WHERE fl.status = 'cleared'))::int AS "clearedFalsePositive",
              (count(*) FILTER (WHERE fl.status = 'confirmed'))::int AS confirmed,
              (count(*) FILTER (WHERE fl.status IS NULL OR fl.status = 'open'))::int AS open
         FROM screening_hit h JOIN collaboration_case c ON c.id = h.case_id
         LEFT JOIN case_flag fl ON fl.id = h.flag_id
        WHERE h.created_at >= ${p.add(f.from)} AND h.created_at < ${p.add(f.to)}${caseFilters(f, p)}
        GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }

  /** Pending re-reviews due before `until`, by month due; those already past are overdue. */
  async reReviews(em: EntityManager, f: ReportFilter, until: Date): Promise<{ month: string; due: number; overdue: number }[]> {
    const p = new Params();
    const zone = p.add(f.zone);
    return em.query(
      `SELECT ${month('t.due_at', zone)} AS month, count(*)::int AS due, (count(*) FILTER (WHERE t.due_at < now()))::int AS overdue
         FROM case_timer t JOIN collaboration_case c ON c.id = t.case_id
        WHERE t.status = 'pending' AND t.kind = 're_review' AND t.due_at < ${p.add(until)}${caseFilters(f, p)}
        GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }
}
