import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SLA_STAGES } from '@app/domain';

/** The stages whose stays the report summary keeps. */
const SUMMARY_STAGES = SLA_STAGES;

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

/**
 * The case row, joined only when a case filter needs it: every timer and hit belongs to a
 * case (foreign key), so without filters the join changes no count and only costs time.
 */
function joinCaseIfFiltered(f: ReportFilter, on = 'c.id = t.case_id'): string {
  const filtered = [f.departmentId, f.country, f.nsiArea, f.riskTier, f.outcome, f.officerId].some((v) => v !== undefined);
  return filtered ? ` JOIN collaboration_case c ON ${on}` : '';
}

/** Cases submitted in the range (the report's cohort), on alias `c`. */
function submittedIn(f: ReportFilter, p: Params): string {
  return `c.submitted_at >= ${p.add(f.from)} AND c.submitted_at < ${p.add(f.to)}${caseFilters(f, p)}`;
}

/** The calendar as SQL: positions of instants in business milliseconds since the calendar's first day. */
interface CalendarSql {
  /** Position of instant `t` (on calendar day index `i`) in business milliseconds since the calendar's start. */
  pos(t: string, i: string): string;
  /** 1-based index of the local day of `t` in the calendar (below 1: before it). */
  dayIndex(t: string): string;
  /** The first day's local midnight. */
  start: string;
  /**
   * Instants bounding where positions reach `x` (an SQL float8), read from the days alone (no
   * position computed per row): every instant before `below(x)` is at a position under `x`, every
   * instant from `from(x)` on at a position of at least `x`.
   */
  below(x: string): string;
  from(x: string): string;
}

function calendarSql(p: Params, zoneName: string, calendar: ReportCalendarDay[]): CalendarSql {
  const zone = p.add(zoneName);
  // The calendar as arrays indexed by day (a closed day opens and closes at midnight: no NULLs, so
  // a subscript is O(1)); a join against a row set made the planner loop over it per stay.
  const first = p.add(calendar[0].day);
  const opens = p.add(calendar.map((d) => d.opens ?? new Date(`${d.day}T00:00:00Z`)));
  const closes = p.add(calendar.map((d) => d.closes ?? new Date(`${d.day}T00:00:00Z`)));
  const before = p.add(calendar.map((d) => d.before));
  const last = calendar[calendar.length - 1];
  const total = p.add(last.before + (last.opens && last.closes ? last.closes.getTime() - last.opens.getTime() : 0));
  const n = p.add(calendar.length);
  // The local midnight starting day index `k` (an SQL int), and how many days open before position `x`.
  const dayStart = (k: string) => `((${first}::date + (${k} - 1))::timestamp AT TIME ZONE ${zone})`;
  const daysBefore = (x: string) => `(SELECT count(*)::int FROM unnest(${before}::float8[]) AS v WHERE v < ${x})`;
  return {
    // Day k-1 ends at position before[k] (a closed day adds nothing): with before[1..k] < x, days 1..k-1 are all under x.
    below: (x) => `(SELECT CASE WHEN k = 0 THEN '-infinity'::timestamptz ELSE ${dayStart('k')} END FROM ${daysBefore(x)} AS b(k))`,
    // Days past the first m opening before x open at x or later (and after the last day positions stay at its end).
    from: (x) => `(SELECT CASE WHEN m >= ${n}::int THEN 'infinity'::timestamptz ELSE ${dayStart('m + 1')} END FROM ${daysBefore(x)} AS b(m))`,
    pos: (t, i) => `CASE WHEN ${i} < 1 THEN 0::float8 WHEN ${i} > ${n}::int THEN ${total}::float8
        ELSE (${before}::float8[])[${i}] + greatest(0, extract(epoch FROM least(${t}, (${closes}::timestamptz[])[${i}]) - (${opens}::timestamptz[])[${i}]) * 1000) END`,
    dayIndex: (t) => `((${t} AT TIME ZONE ${zone})::date - ${first}::date + 1)`,
    start: `((${first}::date)::timestamp AT TIME ZONE ${zone})`,
  };
}

/**
 * What a summary-backed report needs: the summary is usable (built under the current
 * calendar) and these cases changed since its last refresh, so they are computed live.
 */
export interface SummaryView {
  dirty: string[];
}

/** The SLA stages whose stays the summary keeps. */
const SUMMARY_COLUMNS = `case_id, submitted_at, closed_at, state, department_id, risk_level, outcome, assignee_id, countries, nsi_areas,
  conditions, conditions_met, stages, stage_ems, stage_bms, stage_open_since, entered_before_submission`;

/**
 * Summary rows computed from the cases themselves (the refresh writes these; reports
 * compute them live for cases changed since): `ids` is an SQL uuid[] expression. Without a
 * calendar the stage columns are left empty (reports that do not read them).
 */
function caseRowsSql(p: Params, ids: string | null, stages: string, cal: CalendarSql | null): string {
  const stageCols = cal
    ? `coalesce(st.stages, '{}') AS stages, coalesce(st.ems, '{}') AS stage_ems, coalesce(st.bms, '{}') AS stage_bms,
       coalesce(st.open_since, '{}') AS stage_open_since, CASE WHEN st.first_entered < c.submitted_at THEN st.first_entered END AS entered_before_submission`
    : `'{}'::text[] AS stages, '{}'::float8[] AS stage_ems, '{}'::float8[] AS stage_bms, '{}'::timestamptz[] AS stage_open_since,
       NULL::timestamptz AS entered_before_submission`;
  const stageJoin = cal
    ? `LEFT JOIN LATERAL (
         SELECT array_agg(s.stage ORDER BY s.stage) AS stages, array_agg(s.ems ORDER BY s.stage) AS ems, array_agg(s.bms ORDER BY s.stage) AS bms,
                array_agg(s.open_since ORDER BY s.stage) AS open_since, min(s.first_entered) AS first_entered
           FROM (SELECT i.stage,
                        coalesce(sum(extract(epoch FROM i.left_at - i.entered_at) * 1000) FILTER (WHERE i.left_at IS NOT NULL), 0)::float8 AS ems,
                        coalesce(sum(greatest(0, (${cal.pos('i.left_at', cal.dayIndex('i.left_at'))}) - (${cal.pos('i.entered_at', cal.dayIndex('i.entered_at'))})))
                                 FILTER (WHERE i.left_at IS NOT NULL), 0)::float8 AS bms,
                        max(i.entered_at) FILTER (WHERE i.left_at IS NULL) AS open_since,
                        min(i.entered_at) AS first_entered
                   FROM case_stage_interval i WHERE i.case_id = c.id AND i.stage = ANY(${stages}::text[]) GROUP BY i.stage) s
       ) st ON true`
    : '';
  return `SELECT c.id AS case_id, c.submitted_at, c.closed_at, c.state, c.department_id, c.risk_level, c.outcome, c.assignee_id,
         ARRAY(SELECT DISTINCT x.country FROM jsonb_to_recordset(CASE WHEN jsonb_typeof(c.answers->'partners') = 'array' THEN c.answers->'partners' ELSE '[]'::jsonb END) AS x(country text)
                WHERE x.country IS NOT NULL ORDER BY 1) AS countries,
         ARRAY(SELECT DISTINCT x.area FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(c.answers->'sensitiveAreas') = 'array' THEN c.answers->'sensitiveAreas' ELSE '[]'::jsonb END) AS x(area)
                ORDER BY 1) AS nsi_areas,
         coalesce(cn.n, 0)::int AS conditions, coalesce(cn.met, 0)::int AS conditions_met,
         ${stageCols}
    FROM collaboration_case c
    LEFT JOIN LATERAL (
      SELECT count(*) AS n, count(*) FILTER (WHERE x ? 'metAt') AS met
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.decision->'conditions') = 'array' THEN c.decision->'conditions' ELSE '[]'::jsonb END) x
    ) cn ON c.decision IS NOT NULL
    ${stageJoin}
   WHERE ${ids === null ? '' : `c.id = ANY(${ids}) AND `}(c.submitted_at IS NOT NULL OR c.closed_at IS NOT NULL)`;
}

/** The summary rows as alias `c`: stored rows of unchanged cases, and live rows of the changed ones (without stage columns). */
function summarySource(p: Params, view: SummaryView): string {
  const dirty = p.add(view.dirty);
  return `(SELECT ${SUMMARY_COLUMNS} FROM report_case WHERE NOT (case_id = ANY(${dirty}::uuid[]))
           UNION ALL ${caseRowsSql(p, `${dirty}::uuid[]`, '', null)}) c`;
}

/** report_stage's columns, in its order. */
const STAGE_COLUMNS = `case_id, stage, submitted_at, entered_before_submission, ems, bms, open_since, department_id, risk_level, outcome, assignee_id, countries, nsi_areas`;

/** report_stage rows of the summary rows in `rows` (an SQL row source of SUMMARY_COLUMNS): one per submitted case and stage it stayed in. */
function stageRowsSql(rows: string): string {
  return `SELECT r.case_id, s.stage, r.submitted_at, r.entered_before_submission, s.ems, s.bms, s.open_since,
                 r.department_id, r.risk_level, r.outcome, r.assignee_id, r.countries, r.nsi_areas
            FROM (${rows}) r CROSS JOIN LATERAL unnest(r.stages, r.stage_ems, r.stage_bms, r.stage_open_since) AS s(stage, ems, bms, open_since)
           WHERE r.submitted_at IS NOT NULL`;
}

/**
 * The per-stage summary rows as alias `c` (report_stage's columns): stored rows of
 * unchanged cases, and live rows of the changed ones and of the cases with a stay before
 * the calendar's first day (computed with the direct query's calendar, so that their figures
 * are the direct query's: it counts no business time before its calendar's first day).
 */
function stageSource(p: Params, f: ReportFilter, view: SummaryView, cal: CalendarSql): string {
  const dirty = p.add(view.dirty);
  // The stored rows through the cohort's report_case rows: their filter indexes find the cases (a
  // few percent of the range under two filters), then each case's stage times from the index on
  // its key alone (the case's own columns are report_case's).
  const fromStage = new Set(['stage', 'entered_before_submission', 'ems', 'bms', 'open_since']);
  const stored = STAGE_COLUMNS.split(', ')
    .map((col) => `${fromStage.has(col) ? 's' : 'c'}.${col}`)
    .join(', ');
  return `(SELECT ${stored} FROM report_case c JOIN report_stage s ON s.case_id = c.case_id
            WHERE ${summaryCohort(f, p)} AND NOT (c.case_id = ANY(${dirty}::uuid[])) AND NOT coalesce(s.entered_before_submission < ${cal.start}, false)
           UNION ALL ${stageRowsSql(caseRowsSql(p, liveStageCases(p, f, dirty, cal), p.add([...SUMMARY_STAGES]), cal))}) c`;
}

/**
 * The cases whose stage rows a read computes live (an SQL uuid[]): those changed since the
 * refresh (`dirty`, an SQL uuid[] parameter), and those of the cohort with a stay before the
 * read calendar's first day (see stageSource).
 */
function liveStageCases(p: Params, f: ReportFilter, dirty: string, cal: CalendarSql): string {
  const early = `ARRAY(SELECT case_id FROM report_case WHERE entered_before_submission IS NOT NULL AND entered_before_submission < ${cal.start}
                         AND submitted_at >= ${p.add(f.from)} AND submitted_at < ${p.add(f.to)})`;
  return `(${dirty}::uuid[] || ${early})`;
}

/** The local day of submission of report_stage's row `s` (report_stage_day's `day`). */
const submissionDay = (zone: string) => `(s.submitted_at AT TIME ZONE ${zone})::date`;

/**
 * The fixed bucket bounds of report_stage_day's histograms, in business milliseconds: 0, then
 * 1 second growing by 5 % a step up to ~3 years of working time. Bucket b (0..length) holds the
 * values v with bound[b] < v <= bound[b + 1] (1-based; no bound below the first or above the
 * last). Changing them changes what the summary holds: bump SUMMARY_VERSION (report.service.ts).
 */
export const STAGE_TIME_BUCKETS: readonly number[] = [0, ...Array.from({ length: 378 }, (_, k) => Math.round(1000 * 1.05 ** k))];

/** The bucket of value `v` (SQL float8) under bounds `e` (an SQL float8[]): how many bounds are below it. */
const bucketOf = (v: string, e: string) => `(width_bucket(${v}, ${e}) - coalesce((${e})[width_bucket(${v}, ${e})] = ${v}, false)::int)`;

/**
 * Where bucket `b` (SQL int) lies in the sorted array `a` (SQL float8[]) under bounds `e`: its
 * values are a[lo + 1 .. hi].
 */
const bucketSpan = (a: string, b: string, e: string) => ({
  lo: `CASE WHEN ${b} = 0 THEN 0 ELSE width_bucket((${e})[${b}], ${a}) END`,
  hi: `CASE WHEN ${b} >= cardinality(${e}) THEN cardinality(${a}) ELSE width_bucket((${e})[${b} + 1], ${a}) END`,
});

/** Whether report_stage's row `s` is an open stay that is the case's first in the stage (no time in it before). */
const firstOpen = (s: string) => `(${s}.open_since IS NOT NULL AND ${s}.bms = 0 AND ${s}.ems = 0)`;

/**
 * report_stage_day's rows from report_stage: per slice, stage and local day of submission, the
 * closed stays' business and elapsed times sorted, the business times' histogram (sparse:
 * buckets ascending, counts), and when the open stays that are a case's first in the stage
 * began, sorted (a returning stay, with time already in the stage, is read as a row). All days, or only the (stage, day) pairs `keys` names
 * (an SQL row source of (stage, day)), each read by its range on the index. `e`: the bounds.
 */
function stageDayRowsSql(zone: string, keys: string | null, e: string): string {
  const day = submissionDay(zone);
  return `SELECT x.dim, x.val, x.stage, x.day, x.bms, x.ems, h.hb, h.hn, x.oo FROM (
            SELECT sl.dim, sl.val, s.stage, ${day} AS day,
                   coalesce(array_agg(s.bms ORDER BY s.bms) FILTER (WHERE s.open_since IS NULL), '{}') AS bms,
                   coalesce(array_agg(s.ems ORDER BY s.ems) FILTER (WHERE s.open_since IS NULL), '{}') AS ems,
                   coalesce(array_agg(s.open_since ORDER BY s.open_since) FILTER (WHERE ${firstOpen('s')}), '{}') AS oo
              FROM report_stage s${
                keys === null
                  ? ''
                  : ` JOIN ${keys} k ON s.stage = k.stage AND s.submitted_at >= (k.day::timestamp AT TIME ZONE ${zone})
                                    AND s.submitted_at < ((k.day + 1)::timestamp AT TIME ZONE ${zone})`
              }
             CROSS JOIN LATERAL ${slicesOf('s')} sl
             WHERE s.open_since IS NULL OR ${firstOpen('s')} GROUP BY 1, 2, 3, 4) x
          CROSS JOIN LATERAL (
            SELECT coalesce(array_agg(q.b ORDER BY q.b), '{}') AS hb, coalesce(array_agg(q.n ORDER BY q.b), '{}') AS hn
              FROM (SELECT ${bucketOf('v', e)} AS b, count(*)::int AS n FROM unnest(x.bms) AS v GROUP BY 1) q
          ) h`;
}

/**
 * The slices a summary row `r` (report_case's or report_stage's filter columns) is counted in: every
 * row in ('', ''), and again under each single filter it matches (a report narrowed by that one
 * filter reads that slice). Its countries and NSI areas are each listed once.
 */
const slicesOf = (r: string) => `(SELECT '' AS dim, '' AS val
   UNION ALL SELECT 'department', ${r}.department_id::text WHERE ${r}.department_id IS NOT NULL
   UNION ALL SELECT 'riskTier', ${r}.risk_level WHERE ${r}.risk_level IS NOT NULL
   UNION ALL SELECT 'outcome', ${r}.outcome WHERE ${r}.outcome IS NOT NULL
   UNION ALL SELECT 'officer', ${r}.assignee_id::text WHERE ${r}.assignee_id IS NOT NULL
   UNION ALL SELECT 'country', x FROM unnest(${r}.countries) AS x
   UNION ALL SELECT 'nsiArea', x FROM unnest(${r}.nsi_areas) AS x)`;

/**
 * The slice a filtered read may take its day rows from (an SQL condition on alias `d`'s dim and
 * val): none or one case filter set; null for several (those read rows).
 */
function sliceOf(f: ReportFilter, p: Params, d = 'd'): string | null {
  const set: [string, string, boolean][] = [];
  if (f.departmentId !== undefined) set.push(['department', f.departmentId, true]);
  if (f.country !== undefined) set.push(['country', f.country, false]);
  if (f.nsiArea !== undefined) set.push(['nsiArea', f.nsiArea, false]);
  if (f.riskTier !== undefined) set.push(['riskTier', f.riskTier, false]);
  if (f.outcome !== undefined) set.push(['outcome', f.outcome, false]);
  if (f.officerId !== undefined) set.push(['officer', f.officerId, true]);
  if (set.length > 1) return null;
  if (set.length === 0) return `${d}.dim = '' AND ${d}.val = ''`;
  const [dim, val, uuid] = set[0];
  // An id as the slices hold it (lower case), however it was written.
  return `${d}.dim = ${p.add(dim)} AND ${d}.val = ${p.add(val)}${uuid ? '::uuid::text' : ''}`;
}

/**
 * Per-day counts (report_day's shape) of the summary rows in `rows` (an SQL row source of
 * SUMMARY_COLUMNS) in each of their slices, local days in `zone`: cases by submission day and
 * state, partner country and NSI area; open cases (not closed, not a draft: the backlog) by
 * submission day and state; closed cases by closure day, risk tier and outcome with their
 * conditions.
 */
function dayCountsSql(rows: string, zone: string): string {
  return `WITH r0 AS MATERIALIZED (${rows}),
       r AS (SELECT r0.*, sl.dim, sl.val FROM r0 CROSS JOIN LATERAL ${slicesOf('r0')} sl),
       s AS (SELECT r.*, (r.submitted_at AT TIME ZONE ${zone})::date AS sday FROM r WHERE r.submitted_at IS NOT NULL)
  SELECT dim, val, kind, day, k1, k2, sum(n)::int AS n, sum(x1)::int AS x1, sum(x2)::int AS x2 FROM (
    SELECT dim, val, 'volume' AS kind, sday AS day, state AS k1, '' AS k2, 1 AS n, 0 AS x1, 0 AS x2 FROM s
    UNION ALL SELECT dim, val, 'country', sday, x.v, '', 1, 0, 0 FROM s CROSS JOIN LATERAL unnest(s.countries) AS x(v)
    UNION ALL SELECT dim, val, 'nsi', sday, x.v, '', 1, 0, 0 FROM s CROSS JOIN LATERAL unnest(s.nsi_areas) AS x(v)
    UNION ALL SELECT dim, val, 'open', sday, state, '', 1, 0, 0 FROM s WHERE s.closed_at IS NULL AND s.state <> 'draft'
    UNION ALL SELECT dim, val, 'outcome', (r.closed_at AT TIME ZONE ${zone})::date, coalesce(r.risk_level, ''), coalesce(r.outcome, ''), 1, r.conditions, r.conditions_met
      FROM r WHERE r.closed_at IS NOT NULL
  ) d GROUP BY 1, 2, 3, 4, 5, 6`;
}

/**
 * report_day as it stands for this read: the stored counts, less the stored rows of the
 * cases changed since the refresh, plus their rows computed live. Alias `d`.
 */
function dayView(p: Params, view: SummaryView, zone: string): string {
  const dirty = p.add(view.dirty);
  return `(SELECT dim, val, kind, day, k1, k2, n, x1, x2 FROM report_day
           UNION ALL SELECT dim, val, kind, day, k1, k2, -n, -x1, -x2 FROM (${dayCountsSql(`SELECT ${SUMMARY_COLUMNS} FROM report_case WHERE case_id = ANY(${dirty}::uuid[])`, zone)}) o
           UNION ALL SELECT dim, val, kind, day, k1, k2, n, x1, x2 FROM (${dayCountsSql(caseRowsSql(p, `${dirty}::uuid[]`, '', null), zone)}) l) d`;
}

/** Whether no case filter is set. */
const unfiltered = (f: ReportFilter) => [f.departmentId, f.country, f.nsiArea, f.riskTier, f.outcome, f.officerId].every((v) => v === undefined);

/** The range as local days on report_day's `d.day`. */
function dayRange(p: Params, f: ReportFilter, zone: string): string {
  return `d.day >= (${p.add(f.from)}::timestamptz AT TIME ZONE ${zone})::date AND d.day < (${p.add(f.to)}::timestamptz AT TIME ZONE ${zone})::date`;
}

/** The case filters on summary rows (alias `c`): the same meaning as caseFilters. */
function summaryFilters(f: ReportFilter, p: Params): string {
  const w: string[] = [];
  if (f.departmentId) w.push(`c.department_id = ${p.add(f.departmentId)}::uuid`);
  if (f.country) w.push(`c.countries @> ARRAY[${p.add(f.country)}::text]`);
  if (f.nsiArea) w.push(`c.nsi_areas @> ARRAY[${p.add(f.nsiArea)}::text]`);
  if (f.riskTier) w.push(`c.risk_level = ${p.add(f.riskTier)}`);
  if (f.outcome) w.push(`c.outcome = ${p.add(f.outcome)}`);
  if (f.officerId) w.push(`c.assignee_id = ${p.add(f.officerId)}::uuid`);
  return w.length ? ` AND ${w.join(' AND ')}` : '';
}

/** The cohort (submitted in the range) on summary rows. */
function summaryCohort(f: ReportFilter, p: Params): string {
  return `c.submitted_at >= ${p.add(f.from)} AND c.submitted_at < ${p.add(f.to)}${summaryFilters(f, p)}`;
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
    const rows: unknown[] = await em.query('INSERT INTO monthly_report_run (month, outbox_id) VALUES ($1, $2) ON CONFLICT (month) DO NOTHING RETURNING month', [
      month,
      outboxId,
    ]);
    return rows.length > 0;
  }

  /**
   * The summary as reports may use it: null when it was never built or was built under
   * another calendar (reports then query directly), or when more than `maxDirty` cases
   * changed since the last refresh (the worker is behind); else the changed cases.
   */
  async summaryView(em: EntityManager, calendarKey: string, maxDirty = 5000): Promise<SummaryView | null> {
    const [st] = await em.query<{ key: string; through: string }[]>('SELECT calendar_key AS key, through_event AS through FROM report_summary_state');
    if (!st || st.key !== calendarKey) return null;
    const rows = await em.query<{ id: string }[]>('SELECT DISTINCT case_id AS id FROM case_event WHERE id > $1 LIMIT $2', [st.through, maxDirty + 1]);
    return rows.length > maxDirty ? null : { dirty: rows.map((r) => r.id) };
  }

  /**
   * Brings report_case up to date: recomputes the cases with events after the last refresh
   * (all of them when the calendar changed or on the first run). It records as covered only
   * events older than ten seconds, so an event of a command transaction still open at the
   * refresh (one that took a lower id) is picked up next time; reports compute every case
   * with a newer event live. Returns null
   * when another refresh holds the lock.
   */
  async refreshSummary(
    em: EntityManager,
    calendarKey: string,
    calendarFrom: (first: Date) => ReportCalendarDay[],
    zone: string,
  ): Promise<{ full: boolean; cases: number } | null> {
    return em.transaction(async (tx) => {
      const [lock] = await tx.query<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtext('report_summary_refresh')) AS ok`);
      if (!lock.ok) return null;
      await tx.query(`SET LOCAL work_mem = '64MB'`);
      const [st] = await tx.query<{ key: string; through: string }[]>(
        'SELECT calendar_key AS key, through_event AS through FROM report_summary_state FOR UPDATE',
      );
      const full = !st || st.key !== calendarKey;
      const old = full ? '0' : st.through;
      const [t] = await tx.query<{ through: string }[]>(
        `SELECT coalesce(max(id), $1) AS through FROM case_event WHERE id > $1 AND created_at < now() - interval '10 seconds'`,
        [old],
      );
      const ids = full ? null : (await tx.query<{ id: string }[]>('SELECT DISTINCT case_id AS id FROM case_event WHERE id > $1', [old])).map((r) => r.id);
      let cases = 0;
      if (full || ids!.length > 0) {
        const [first] = await tx.query<{ at: Date | null }[]>(
          `SELECT min(entered_at) AS at FROM case_stage_interval WHERE stage = ANY($1::text[])${full ? '' : ' AND case_id = ANY($2::uuid[])'}`,
          full ? [[...SUMMARY_STAGES]] : [[...SUMMARY_STAGES], ids],
        );
        const p = new Params();
        const cal = calendarSql(p, zone, calendarFrom(first.at ?? new Date()));
        const idsSql = full ? null : `${p.add(ids)}::uuid[]`;
        // report_day follows report_case: the old rows' counts out, the new rows' in.
        const apply = (sign: 1 | -1) => {
          const q = new Params();
          const z = q.add(zone);
          const rows = `SELECT ${SUMMARY_COLUMNS} FROM report_case WHERE ${full ? 'true' : `case_id = ANY(${q.add(ids)}::uuid[])`}`;
          return tx.query(
            `INSERT INTO report_day (dim, val, kind, day, k1, k2, n, x1, x2) SELECT dim, val, kind, day, k1, k2, ${sign} * n, ${sign} * x1, ${sign} * x2 FROM (${dayCountsSql(rows, z)}) o
             ON CONFLICT (dim, val, kind, day, k1, k2) DO UPDATE SET n = report_day.n + EXCLUDED.n, x1 = report_day.x1 + EXCLUDED.x1, x2 = report_day.x2 + EXCLUDED.x2`,
            q.values,
          );
        };
        // The (stage, day) pairs of report_stage_day the changed cases' stays are in (before and after).
        const stageDays = async () =>
          tx.query<{ stage: string; day: string }[]>(
            `SELECT DISTINCT s.stage, ${submissionDay('$2')}::text AS day FROM report_stage s WHERE s.case_id = ANY($1::uuid[])`,
            [ids, zone],
          );
        let touched: { stage: string; day: string }[] = [];
        if (full) {
          await tx.query('DELETE FROM report_stage_day');
          await tx.query('DELETE FROM report_stage');
          await tx.query('DELETE FROM report_case');
          await tx.query('DELETE FROM report_day');
        } else {
          await apply(-1);
          touched = await stageDays();
          await tx.query('DELETE FROM report_stage WHERE case_id = ANY($1::uuid[])', [ids]);
          await tx.query('DELETE FROM report_case WHERE case_id = ANY($1::uuid[])', [ids]);
        }
        const [ins] = await tx.query<{ n: number }[]>(
          `WITH ins AS (INSERT INTO report_case (${SUMMARY_COLUMNS}) ${caseRowsSql(p, idsSql, p.add([...SUMMARY_STAGES]), cal)} RETURNING 1) SELECT count(*)::int AS n FROM ins`,
          p.values,
        );
        cases = ins.n;
        // report_stage follows report_case (in stage and submission order, as the reports read it).
        await tx.query(
          `INSERT INTO report_stage (${STAGE_COLUMNS}) ${stageRowsSql(`SELECT ${SUMMARY_COLUMNS} FROM report_case${full ? '' : ' WHERE case_id = ANY($1::uuid[])'}`)} ORDER BY 2, 3`,
          full ? [] : [ids],
        );
        // report_stage_day follows report_stage: every day whole, or the changed cases' old and new days recomputed.
        if (full) {
          await tx.query(`INSERT INTO report_stage_day (dim, val, stage, day, bms, ems, hb, hn, oo) ${stageDayRowsSql('$1', null, '$2::float8[]')}`, [
            zone,
            STAGE_TIME_BUCKETS,
          ]);
        } else {
          touched = touched.concat(await stageDays());
          const keys = (a: string, b: string) => `(SELECT DISTINCT * FROM unnest(${a}::text[], ${b}::date[]) AS k(stage, day))`;
          const [stages, days] = [touched.map((k) => k.stage), touched.map((k) => k.day)];
          await tx.query(`DELETE FROM report_stage_day d USING ${keys('$1', '$2')} k WHERE d.stage = k.stage AND d.day = k.day`, [stages, days]);
          await tx.query(
            `INSERT INTO report_stage_day (dim, val, stage, day, bms, ems, hb, hn, oo) ${stageDayRowsSql('$1', keys('$2', '$3'), '$4::float8[]')}`,
            [zone, stages, days, STAGE_TIME_BUCKETS],
          );
        }
        await apply(1);
        await tx.query('DELETE FROM report_day WHERE n = 0 AND x1 = 0 AND x2 = 0');
      }
      await tx.query(
        `INSERT INTO report_summary_state (id, calendar_key, through_event, refreshed_at) VALUES (true, $1, $2, now())
         ON CONFLICT (id) DO UPDATE SET calendar_key = EXCLUDED.calendar_key, through_event = EXCLUDED.through_event, refreshed_at = EXCLUDED.refreshed_at`,
        [calendarKey, t.through],
      );
      return { full, cases };
    });
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

  async volumes(em: EntityManager, f: ReportFilter, view: SummaryView | null = null): Promise<{ month: string; state: string; cases: number }[]> {
    const p = new Params();
    const zone = p.add(f.zone);
    const sl = view ? sliceOf(f, p) : null;
    if (view && sl) {
      return em.query(
        `SELECT to_char(d.day, 'YYYY-MM') AS month, d.k1 AS state, sum(d.n)::int AS cases
           FROM ${dayView(p, view, zone)} WHERE d.kind = 'volume' AND ${dayRange(p, f, zone)} AND ${sl}
          GROUP BY 1, 2 HAVING sum(d.n) > 0 ORDER BY 1, 2`,
        p.values,
      );
    }
    return em.query(
      `SELECT ${month('c.submitted_at', zone)} AS month, c.state, count(*)::int AS cases
         FROM ${view ? `${summarySource(p, view)} WHERE ${summaryCohort(f, p)}` : `collaboration_case c WHERE ${submittedIn(f, p)}`}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      p.values,
    );
  }

  /**
   * Time each case of the cohort spent in each stage (its stays summed, so a pause for
   * information does not count), in business milliseconds, and whether it met the
   * stage's current target. Open stays count up to now for `open`, not for percentiles.
   */
  async stageTimes(
    em: EntityManager,
    f: ReportFilter,
    calendar: ReportCalendarDay[],
    budgets: StageBudget[],
    view: SummaryView | null = null,
  ): Promise<
    {
      stage: string;
      cases: number;
      completed: number;
      open: number;
      p50Ms: number | null;
      p90Ms: number | null;
      maxMs: number | null;
      onTime: number;
      breached: number;
      openBreached: number;
    }[]
  > {
    const p = new Params();
    const cal = calendarSql(p, f.zone, calendar);
    const { pos, dayIndex } = cal;
    // Added where used (a parameter no statement uses has no type).
    const stages = () => p.add(budgets.map((b) => b.stage));
    let sql: string;
    const pol = () =>
      `unnest(${p.add(budgets.map((b) => b.stage))}::text[], ${p.add(budgets.map((b) => b.mode))}::text[], ${p.add(budgets.map((b) => b.budgetMs))}::float8[]) AS b(stage, mode, budget)`;
    const openEms = (r: string) => `(${r}.ems + extract(epoch FROM now() - ${r}.open_since)::float8 * 1000)`;
    const nowPos = pos('now()', dayIndex('now()'));
    const openBms = (r: string, now = nowPos) => `(${r}.bms + greatest(0, (${now}) - (${pos(`${r}.open_since`, dayIndex(`${r}.open_since`))})))`;
    // The summary's reads: each stage's policy, with the instants (lo, hi) around which an open stay with no
    // earlier stay in the stage passes its target, bounded once per stage from the calendar (its position now
    // computed once): stays opened before lo are past target, from hi on within it; only those opened between,
    // and the returning ones, have their time to now counted row by row (~10 us a row).
    const policies = () => `np AS MATERIALIZED (SELECT ${nowPos} AS p),
            pol AS MATERIALIZED (
              SELECT b.*,
                     CASE b.mode WHEN 'business' THEN ${cal.below('(SELECT p FROM np) - b.budget - 1')} ELSE now() - (b.budget + 1000) * interval '1 millisecond' END AS lo,
                     CASE b.mode WHEN 'business' THEN ${cal.from('(SELECT p FROM np) - b.budget + 1')} ELSE now() - (b.budget - 1000) * interval '1 millisecond' END AS hi
                FROM ${pol()}
            )`;
    // Whether a stay is past its stage's target, given the policy as SQL (`q`): the joined pol row, or one stage's.
    type Pol = Record<'mode' | 'budget' | 'lo' | 'hi', string>;
    const lateBy = (q: Pol, ems: string, bms: string) => `(CASE ${q.mode} WHEN 'business' THEN ${bms} ELSE ${ems} END) > ${q.budget}`;
    const openLateBy = (q: Pol, r: string) => {
      const prior = `(CASE ${q.mode} WHEN 'business' THEN ${r}.bms ELSE ${r}.ems END)`;
      return `CASE WHEN ${prior} = 0 AND ${r}.open_since < ${q.lo} THEN true WHEN ${prior} = 0 AND ${r}.open_since >= ${q.hi} THEN false
                   ELSE ${lateBy(q, openEms(r), openBms(r, '(SELECT p FROM np)'))} END`;
    };
    const joined: Pol = { mode: 'pol.mode', budget: 'pol.budget', lo: 'pol.lo', hi: 'pol.hi' };
    // Without a join (which would cost the filtered read its index order by stage): a CASE on the row's stage.
    const byStage = (r: string, expr: (q: Pol) => string) =>
      budgets.length === 0
        ? 'NULL::boolean'
        : `CASE ${r}.stage ${budgets
            .map((b) => {
              const stage = p.add(b.stage);
              const q = {
                mode: `${p.add(b.mode)}::text`,
                budget: `${p.add(b.budgetMs)}::float8`,
                lo: `(SELECT lo FROM pol WHERE stage = ${stage})`,
                hi: `(SELECT hi FROM pol WHERE stage = ${stage})`,
              };
              return `WHEN ${stage} THEN ${expr(q)}`;
            })
            .join(' ')} END`;
    const sl = view ? sliceOf(f, p) : null;
    if (view && sl) {
      // Unfiltered or one filter (its slice): the closed stays of each day from report_stage_day (counts, longest and on-time
      // counts per day row; the values unnested only for the percentiles), the open stays from
      // report_stage's partial index (their time runs to now), and the cases computed live
      // (changed since the refresh, or with a stay before the calendar) as rows: the days their
      // stored closed stays are in are read from report_stage instead of the arrays, less them. Rows
      // read as rows are narrowed by the filter.
      const zone = p.add(f.zone);
      const [from, to] = [p.add(f.from), p.add(f.to)];
      const cols = 'c.stage, c.ems, c.bms, c.open_since';
      const edges = `${p.add(STAGE_TIME_BUCKETS)}::float8[]`;
      const span = bucketSpan('d.bms', 'w.b', edges);
      const notLive = 'NOT (c.case_id = ANY((SELECT ids FROM x)::uuid[]))';
      sql = `WITH ${policies()},
            x AS MATERIALIZED (SELECT ${liveStageCases(p, f, p.add(view.dirty), cal)} AS ids),
            mixed AS MATERIALIZED (
              SELECT DISTINCT s.stage, ${submissionDay(zone)} AS day FROM report_stage s WHERE s.case_id = ANY((SELECT ids FROM x)::uuid[])
            ),
            -- The range's day rows, their arrays read from storage once here (|| makes an in-memory copy:
            -- the bucket reads below would otherwise fetch them from TOAST again at each use): the
            -- business times, and the times the stage's target counts in (the elapsed ones where it counts those).
            d AS MATERIALIZED (
              SELECT d.stage, d.bms || '{}'::float8[] AS bms, CASE pol.mode WHEN 'business' THEN NULL ELSE d.ems || '{}'::float8[] END AS ems, d.hb, d.hn, d.oo
                FROM report_stage_day d JOIN pol USING (stage)
               WHERE ${dayRange(p, f, zone)} AND ${sl}
                 AND NOT EXISTS (SELECT 1 FROM mixed m WHERE m.stage = d.stage AND m.day = d.day)
            ),
            lv AS MATERIALIZED (
              SELECT ${cols} FROM (${stageRowsSql(caseRowsSql(p, '(SELECT ids FROM x)::uuid[]', p.add([...SUMMARY_STAGES]), cal))}) c
               WHERE c.submitted_at >= ${from} AND c.submitted_at < ${to}${summaryFilters(f, p)}
            ),
            -- The closed stays read as rows: those of the mixed days, each day by its range on the index
            -- (OFFSET 0 keeps it a per-day lookup: as a join, the planner once hashed a million-case
            -- report_stage for 56 days, 11 s), and the live cases' closed ones.
            r AS MATERIALIZED (
              SELECT c.* FROM mixed m CROSS JOIN LATERAL (
                SELECT ${cols} FROM report_stage c
                 WHERE c.stage = m.stage AND c.submitted_at >= (m.day::timestamp AT TIME ZONE ${zone}) AND c.submitted_at < ((m.day + 1)::timestamp AT TIME ZONE ${zone})
                   AND c.open_since IS NULL AND c.submitted_at >= ${from} AND c.submitted_at < ${to} AND ${notLive}${summaryFilters(f, p)} OFFSET 0
              ) c
              UNION ALL
              SELECT * FROM lv WHERE lv.open_since IS NULL
            ),
            dd AS MATERIALIZED (
              SELECT d.stage, sum(cardinality(d.bms)) AS n, max(d.bms[cardinality(d.bms)]) AS mx,
                     sum(width_bucket(pol.budget, coalesce(d.ems, d.bms))) AS ontime
                FROM d JOIN pol USING (stage) GROUP BY 1
            ),
            -- The open stays (their time runs to now), per stage. A case's first stay in the stage is past its
            -- target by when it began alone: from the days' sorted arrays, those begun before the stage's
            -- bound lo are past it, from hi on within it, and only those between are timed. The rest are read
            -- as rows, the stage's policy as constants: returning stays (time already in the stage, their own
            -- partial index), the mixed days' first stays, and the live cases' open stays.
            ro AS MATERIALIZED (
              SELECT pol.stage, coalesce(a.open, 0) + o.open AS open, coalesce(a.late, 0) + o.late AS open_breached FROM pol
              LEFT JOIN LATERAL (
                SELECT sum(cardinality(d.oo)) AS open,
                       sum(width_bucket(pol.lo - interval '1 microsecond', d.oo)
                           + (SELECT count(*) FROM unnest(d.oo[width_bucket(pol.lo - interval '1 microsecond', d.oo) + 1 : width_bucket(pol.hi - interval '1 microsecond', d.oo)]) AS t(v)
                               WHERE ${lateBy(joined, '(extract(epoch FROM now() - t.v)::float8 * 1000)', `greatest(0, (SELECT p FROM np) - (${pos('t.v', dayIndex('t.v'))}))`)})) AS late
                  FROM d WHERE d.stage = pol.stage
              ) a ON true
              CROSS JOIN LATERAL (
                SELECT count(*) AS open, count(*) FILTER (WHERE ${openLateBy(joined, 'c')}) AS late FROM (
                  SELECT ${cols} FROM report_stage c
                   WHERE c.open_since IS NOT NULL AND (c.bms > 0 OR c.ems > 0) AND c.stage = pol.stage
                     AND c.submitted_at >= ${from} AND c.submitted_at < ${to} AND ${notLive}${summaryFilters(f, p)}
                  UNION ALL
                  SELECT c.* FROM mixed m CROSS JOIN LATERAL (
                    SELECT ${cols} FROM report_stage c
                     WHERE c.stage = m.stage AND c.submitted_at >= (m.day::timestamp AT TIME ZONE ${zone}) AND c.submitted_at < ((m.day + 1)::timestamp AT TIME ZONE ${zone})
                       AND ${firstOpen('c')} AND c.submitted_at >= ${from} AND c.submitted_at < ${to} AND ${notLive}${summaryFilters(f, p)} OFFSET 0
                  ) c WHERE m.stage = pol.stage
                  UNION ALL SELECT ${cols} FROM lv c WHERE c.open_since IS NOT NULL AND c.stage = pol.stage
                ) c
              ) o
            ),
            rr AS MATERIALIZED (
              SELECT pol.stage, count(r.stage) AS completed, coalesce(max(ro.open), 0) AS open, max(r.bms) AS mx,
                     count(r.stage) FILTER (WHERE NOT ${lateBy(joined, 'r.ems', 'r.bms')}) AS ontime,
                     count(r.stage) FILTER (WHERE ${lateBy(joined, 'r.ems', 'r.bms')}) AS breached,
                     coalesce(max(ro.open_breached), 0) AS open_breached
                FROM pol LEFT JOIN r USING (stage) LEFT JOIN ro USING (stage) GROUP BY 1
            ),
            -- Exact percentiles over the range's closed stays, without sorting them all: the day rows'
            -- histograms (and the row-read stays, each in its bucket) added up per stage say which bucket
            -- holds each rank percentile_cont reads (floor and ceiling of f × (n − 1)) and how many come
            -- before it; only that bucket's values are read from the days' arrays, and sorted only when
            -- they differ (its lowest and highest are the ends of each day's slice).
            h AS MATERIALIZED (
              SELECT x.stage, x.b, sum(x.n)::bigint AS n FROM (
                SELECT d.stage, u.b, u.n FROM d CROSS JOIN LATERAL unnest(d.hb, d.hn) AS u(b, n)
                UNION ALL SELECT r.stage, ${bucketOf('r.bms', edges)}, 1 FROM r
              ) x GROUP BY 1, 2
            ),
            cum AS MATERIALIZED (
              SELECT h.stage, h.b, h.n, sum(h.n) OVER (PARTITION BY h.stage ORDER BY h.b) - h.n AS below, sum(h.n) OVER (PARTITION BY h.stage) AS total FROM h
            ),
            rk AS MATERIALIZED (
              SELECT t.stage, q.i, q.pos, floor(q.pos)::bigint AS r0, ceil(q.pos)::bigint AS r1
                FROM (SELECT DISTINCT stage, total FROM cum) t
               CROSS JOIN LATERAL (SELECT u.i, u.f * (t.total - 1) AS pos FROM unnest(ARRAY[0.5, 0.9]::float8[]) WITH ORDINALITY AS u(f, i)) q
            ),
            need AS MATERIALIZED (
              SELECT DISTINCT x.stage, x.r, c.b, (x.r - c.below)::int AS off
                FROM (SELECT stage, r0 AS r FROM rk UNION SELECT stage, r1 FROM rk) x
                JOIN cum c ON c.stage = x.stage AND x.r >= c.below AND x.r < c.below + c.n
            ),
            bk AS MATERIALIZED (
              SELECT w.stage, w.b, v.lo, v.hi,
                     CASE WHEN v.lo < v.hi THEN (
                       SELECT array_agg(u.v ORDER BY u.v) FROM (
                         SELECT unnest(d.bms[(${span.lo}) + 1 : ${span.hi}]) AS v FROM d WHERE d.stage = w.stage
                         UNION ALL SELECT r.bms FROM r WHERE r.stage = w.stage AND ${bucketOf('r.bms', edges)} = w.b
                       ) u) END AS vals
                FROM (SELECT DISTINCT stage, b FROM need) w
               CROSS JOIN LATERAL (
                 SELECT min(e.lo) AS lo, max(e.hi) AS hi FROM (
                   SELECT d.bms[z.lo + 1] AS lo, d.bms[z.hi] AS hi FROM d CROSS JOIN LATERAL (SELECT ${span.lo} AS lo, ${span.hi} AS hi) z
                    WHERE d.stage = w.stage AND z.hi > z.lo
                   UNION ALL SELECT r.bms, r.bms FROM r WHERE r.stage = w.stage AND ${bucketOf('r.bms', edges)} = w.b
                 ) e
               ) v
            ),
            val AS MATERIALIZED (
              SELECT n.stage, n.r, CASE WHEN k.vals IS NULL THEN k.lo ELSE k.vals[n.off + 1] END AS v FROM need n JOIN bk k USING (stage, b)
            ),
            -- percentile_cont's interpolation (float8_lerp), so the figures equal the direct query's.
            pc AS MATERIALIZED (
              SELECT rk.stage, array_agg(CASE WHEN rk.r0 = rk.r1 THEN v0.v ELSE v0.v + (v1.v - v0.v) * (rk.pos - rk.r0) END ORDER BY rk.i) AS pct
                FROM rk JOIN val v0 ON v0.stage = rk.stage AND v0.r = rk.r0 JOIN val v1 ON v1.stage = rk.stage AND v1.r = rk.r1
               GROUP BY rk.stage
            )
       SELECT pol.stage, (coalesce(dd.n, 0) + coalesce(rr.completed, 0) + coalesce(rr.open, 0))::int AS cases,
              (coalesce(dd.n, 0) + coalesce(rr.completed, 0))::int AS completed, coalesce(rr.open, 0)::int AS open,
              pc.pct, greatest(dd.mx, rr.mx) AS "maxMs",
              (coalesce(dd.ontime, 0) + coalesce(rr.ontime, 0))::int AS "onTime",
              (coalesce(dd.n - dd.ontime, 0) + coalesce(rr.breached, 0))::int AS breached,
              coalesce(rr.open_breached, 0)::int AS "openBreached"
         FROM pol LEFT JOIN dd USING (stage) LEFT JOIN rr USING (stage) LEFT JOIN pc USING (stage)
        WHERE coalesce(dd.n, 0) + coalesce(rr.completed, 0) + coalesce(rr.open, 0) > 0`;
    } else if (view) {
      // Filtered: from report_stage (its covering index), the case filters on its copied dimensions;
      // closed stays were summed by the refresh, an open stay adds its time up to now.
      sql = `WITH ${policies()}
             SELECT c.stage, count(*)::int AS cases, (count(*) FILTER (WHERE c.open_since IS NULL))::int AS completed,
                    (count(*) FILTER (WHERE c.open_since IS NOT NULL))::int AS open,
                    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY c.bms) FILTER (WHERE c.open_since IS NULL) AS pct,
                    max(c.bms) FILTER (WHERE c.open_since IS NULL) AS "maxMs",
                    (count(*) FILTER (WHERE c.open_since IS NULL AND NOT ${byStage('c', (q) => lateBy(q, 'c.ems', 'c.bms'))}))::int AS "onTime",
                    (count(*) FILTER (WHERE c.open_since IS NULL AND ${byStage('c', (q) => lateBy(q, 'c.ems', 'c.bms'))}))::int AS breached,
                    (count(*) FILTER (WHERE c.open_since IS NOT NULL AND ${byStage('c', (q) => openLateBy(q, 'c'))}))::int AS "openBreached"
               FROM ${stageSource(p, f, view, cal)}
              WHERE c.stage = ANY(${stages()}::text[]) AND ${summaryCohort(f, p)}
              GROUP BY c.stage`;
    } else {
      // Per case and stage: elapsed and business ms of its stays summed, open while one stay is.
      sql = `WITH pol AS (SELECT * FROM ${pol()}),
            iv AS (
              SELECT i.case_id, i.stage, i.entered_at AS a, coalesce(i.left_at, now()) AS b, i.left_at IS NULL AS open,
                     ${dayIndex('i.entered_at')} AS ia, ${dayIndex('coalesce(i.left_at, now())')} AS ib
                FROM case_stage_interval i JOIN collaboration_case c ON c.id = i.case_id
               WHERE i.stage = ANY(${stages()}::text[]) AND ${submittedIn(f, p)}
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
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY bms) FILTER (WHERE NOT open) AS pct,
              max(bms) FILTER (WHERE NOT open) AS "maxMs",
              (count(*) FILTER (WHERE NOT open AND NOT late))::int AS "onTime",
              (count(*) FILTER (WHERE NOT open AND late))::int AS breached,
              (count(*) FILTER (WHERE open AND late))::int AS "openBreached"
         FROM j GROUP BY stage`;
    }
    // Grouping ~70,000 stays a year and two percentiles sort more than the default 4 MB: keep it in memory.
    const rows = await em.transaction(
      async (tx) => (
        await tx.query(`SET LOCAL work_mem = '64MB'`),
        tx.query<
          (Record<'stage', string> &
            Record<'cases' | 'completed' | 'open' | 'onTime' | 'breached' | 'openBreached', number> &
            Record<'pct' | 'maxMs', unknown>)[]
        >(sql, p.values)
      ),
    );
    const num = (x: unknown) => (x === null || x === undefined ? null : Math.round(Number(x)));
    return rows.map(({ pct, ...r }) => {
      const [p50, p90] = (pct as number[] | null) ?? [null, null];
      return { ...r, p50Ms: num(p50), p90Ms: num(p90), maxMs: num(r.maxMs) };
    });
  }

  /** SLA escalations fired in the range, per stage. */
  async escalations(em: EntityManager, f: ReportFilter): Promise<{ stage: string; escalations: number }[]> {
    const p = new Params();
    const range = `t.fired_at >= ${p.add(f.from)} AND t.fired_at < ${p.add(f.to)}`;
    return em.query(
      `SELECT t.stage, count(*)::int AS escalations
         FROM case_timer t${joinCaseIfFiltered(f)}
        WHERE t.status = 'fired' AND (t.payload->'sla'->>'type') = 'escalation'
          AND ${range}${caseFilters(f, p)}
        GROUP BY 1`,
      p.values,
    );
  }

  /**
   * Open (submitted, not closed) cases now, by age since submission in days: `bands` are lower
   * bounds, ascending from 0. On the summary with no filter or one: the per-day open counts of
   * the slice in report_day (kind 'open', local day of submission) put every day that no band edge (now less a band's
   * days, now itself included) falls inside in its band whole; the cases of the few days an edge
   * falls inside (at most one per band) are read one by one on report_case_open, each day by its
   * range (OFFSET 0 keeps it a per-day lookup), narrowed by the filter.
   */
  async backlog(
    em: EntityManager,
    f: ReportFilter,
    bands: number[],
    view: SummaryView | null = null,
  ): Promise<{ band: number; state: string; cases: number }[]> {
    const p = new Params();
    const b = p.add(bands);
    const band = (at: string) => `width_bucket(extract(epoch FROM now() - ${at}) / 86400, ${b}::float8[]) - 1`;
    const open = `c.closed_at IS NULL AND c.submitted_at IS NOT NULL AND c.state <> 'draft'`;
    const sl = view ? sliceOf(f, p) : null;
    if (view && sl) {
      const zone = p.add(f.zone);
      const start = (day: string) => `(${day}::timestamp AT TIME ZONE ${zone})`;
      // The local days of the band edges, ascending (edges in exact seconds, as the age is: not
      // calendar days, which a clock change makes 23 or 25 hours). A day before k of them is whole
      // in band k - 1 counted from the top: width_bucket counts the edge days up to it.
      return em.query(
        `WITH e AS MATERIALIZED (
                SELECT array_agg(((now() - make_interval(secs => x * 86400)) AT TIME ZONE ${zone})::date ORDER BY x DESC) AS days FROM unnest(${b}::float8[]) AS x
              ),
              c AS (
                SELECT c.* FROM (SELECT DISTINCT unnest(e.days) AS day FROM e) edge CROSS JOIN LATERAL (
                  SELECT c.state, c.submitted_at FROM ${summarySource(p, view)}
                   WHERE ${open} AND c.submitted_at >= ${start('edge.day')} AND c.submitted_at < ${start('(edge.day + 1)')}${summaryFilters(f, p)} OFFSET 0
                ) c
              )
         SELECT band, state, sum(n)::int AS cases FROM (
           SELECT cardinality(e.days) - 1 - width_bucket(d.day, e.days) AS band, d.k1 AS state, d.n
             FROM ${dayView(p, view, zone)} CROSS JOIN e WHERE d.kind = 'open' AND ${sl} AND d.day <> ALL(e.days)
           UNION ALL SELECT ${band('c.submitted_at')}, c.state, 1 FROM c
         ) x GROUP BY 1, 2 HAVING sum(n) > 0 ORDER BY 1, 2`,
        p.values,
      );
    }
    return em.query(
      `SELECT ${band('c.submitted_at')} AS band, c.state, count(*)::int AS cases
         FROM ${view ? summarySource(p, view) : 'collaboration_case c'}
        WHERE ${open}${view ? summaryFilters(f, p) : caseFilters(f, p)}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      p.values,
    );
  }

  /** Cases closed in the range by risk tier and outcome, with their conditions and how many are met. */
  async outcomes(
    em: EntityManager,
    f: ReportFilter,
    view: SummaryView | null = null,
  ): Promise<{ riskTier: string | null; outcome: string | null; cases: number; conditions: number; conditionsMet: number }[]> {
    const p = new Params();
    const sl = view ? sliceOf(f, p) : null;
    if (view && sl) {
      const zone = p.add(f.zone);
      return em.query(
        `SELECT nullif(d.k1, '') AS "riskTier", nullif(d.k2, '') AS outcome, sum(d.n)::int AS cases, sum(d.x1)::int AS conditions, sum(d.x2)::int AS "conditionsMet"
           FROM ${dayView(p, view, zone)} WHERE d.kind = 'outcome' AND ${dayRange(p, f, zone)} AND ${sl}
          GROUP BY 1, 2 HAVING sum(d.n) > 0 ORDER BY 1 NULLS LAST, 2`,
        p.values,
      );
    }
    if (view) {
      return em.query(
        `SELECT c.risk_level AS "riskTier", c.outcome, count(*)::int AS cases,
                coalesce(sum(c.conditions), 0)::int AS conditions, coalesce(sum(c.conditions_met), 0)::int AS "conditionsMet"
           FROM ${summarySource(p, view)}
          WHERE c.closed_at >= ${p.add(f.from)} AND c.closed_at < ${p.add(f.to)}${summaryFilters(f, p)}
          GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2`,
        p.values,
      );
    }
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
  async countries(em: EntityManager, f: ReportFilter, limit: number, view: SummaryView | null = null): Promise<{ country: string; cases: number }[]> {
    const p = new Params();
    const sl = view ? sliceOf(f, p) : null;
    if (view && sl) {
      const zone = p.add(f.zone);
      return em.query(
        `SELECT d.k1 AS country, sum(d.n)::int AS cases
           FROM ${dayView(p, view, zone)} WHERE d.kind = 'country' AND ${dayRange(p, f, zone)} AND ${sl}
          GROUP BY 1 HAVING sum(d.n) > 0 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`,
        p.values,
      );
    }
    if (view) {
      return em.query(
        `SELECT x.country, count(*)::int AS cases
           FROM ${summarySource(p, view)} CROSS JOIN LATERAL unnest(c.countries) AS x(country)
          WHERE ${summaryCohort(f, p)}
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`,
        p.values,
      );
    }
    return em.query(
      `SELECT x.country, count(DISTINCT c.id)::int AS cases
         FROM collaboration_case c
        CROSS JOIN LATERAL jsonb_to_recordset(CASE WHEN jsonb_typeof(c.answers->'partners') = 'array' THEN c.answers->'partners' ELSE '[]'::jsonb END) AS x(country text)
        WHERE x.country IS NOT NULL AND ${submittedIn(f, p)}
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`,
      p.values,
    );
  }

  async nsiAreas(em: EntityManager, f: ReportFilter, limit: number, view: SummaryView | null = null): Promise<{ area: string; cases: number }[]> {
    const p = new Params();
    const sl = view ? sliceOf(f, p) : null;
    if (view && sl) {
      const zone = p.add(f.zone);
      return em.query(
        `SELECT d.k1 AS area, sum(d.n)::int AS cases
           FROM ${dayView(p, view, zone)} WHERE d.kind = 'nsi' AND ${dayRange(p, f, zone)} AND ${sl}
          GROUP BY 1 HAVING sum(d.n) > 0 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`,
        p.values,
      );
    }
    if (view) {
      return em.query(
        `SELECT x.area, count(*)::int AS cases
           FROM ${summarySource(p, view)} CROSS JOIN LATERAL unnest(c.nsi_areas) AS x(area)
          WHERE ${summaryCohort(f, p)}
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`,
        p.values,
      );
    }
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
  async screening(
    em: EntityManager,
    f: ReportFilter,
  ): Promise<{ list: string; raised: number; clearedFalsePositive: number; confirmed: number; open: number }[]> {
    const p = new Params();
    return em.query(
      `SELECT h.list_kind AS list, count(*)::int AS raised,
              (count(*) FILTER (WHERE fl.status = 'cleared'))::int AS "clearedFalsePositive",
              (count(*) FILTER (WHERE fl.status = 'confirmed'))::int AS confirmed,
              (count(*) FILTER (WHERE fl.status IS NULL OR fl.status = 'open'))::int AS open
         FROM screening_hit h${joinCaseIfFiltered(f, 'c.id = h.case_id')}
         LEFT JOIN case_flag fl ON fl.id = h.flag_id
        WHERE h.created_at >= ${p.add(f.from)} AND h.created_at < ${p.add(f.to)}${caseFilters(f, p)}
        GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }

  /**
   * Pending re-reviews due before `until`, by month due; those already past are overdue. Read
   * from the timers themselves (a re-review timer fires or is cancelled without a case event,
   * so no event-driven summary could keep them), with no per-timer date arithmetic. Unfiltered:
   * each local month's count is a range count on case_timer_re_review_due (index-only where the
   * visibility map is set, as autovacuum keeps it), overdue counted apart only in the month
   * holding now. Filtered: one pass joined to the case filters, each timer's month found by a
   * binary search over the months' starts (width_bucket); on the summary, the filters are
   * report_case's copied dimensions (changed cases live), not the case's answers.
   */
  async reReviews(
    em: EntityManager,
    f: ReportFilter,
    until: Date,
    view: SummaryView | null = null,
  ): Promise<{ month: string; due: number; overdue: number }[]> {
    const p = new Params();
    const zone = p.add(f.zone);
    const end = p.add(until);
    const pending = `t.status = 'pending' AND t.kind = 're_review'`;
    // The local months from the earliest pending re-review's to the horizon's.
    const months = `generate_series(date_trunc('month', (SELECT min(t.due_at) FROM case_timer t WHERE ${pending}) AT TIME ZONE ${zone}),
                                    ${end}::timestamptz AT TIME ZONE ${zone}, interval '1 month') AS mo`;
    if (unfiltered(f)) {
      const count = (from: string, to: string) => `(SELECT count(*) FROM case_timer t WHERE ${pending} AND t.due_at >= ${from} AND t.due_at < ${to})`;
      return em.query(
        `WITH m AS (
                SELECT to_char(mo, 'YYYY-MM') AS month, mo AT TIME ZONE ${zone} AS a, least((mo + interval '1 month') AT TIME ZONE ${zone}, ${end}::timestamptz) AS b
                  FROM ${months}
              ),
              x AS (SELECT m.*, ${count('m.a', 'm.b')}::int AS due FROM m OFFSET 0)
         SELECT x.month, x.due, (CASE WHEN x.b <= now() THEN x.due WHEN x.a >= now() THEN 0 ELSE ${count('x.a', 'now()')} END)::int AS overdue
           FROM x WHERE x.due > 0 ORDER BY 1`,
        p.values,
      );
    }
    const source = view ? `case_timer t JOIN ${summarySource(p, view)} ON c.case_id = t.case_id` : 'case_timer t JOIN collaboration_case c ON c.id = t.case_id';
    const filters = view ? summaryFilters(f, p) : caseFilters(f, p);
    return em.query(
      `WITH m AS MATERIALIZED (SELECT array_agg(to_char(mo, 'YYYY-MM') ORDER BY mo) AS label, array_agg(mo AT TIME ZONE ${zone} ORDER BY mo) AS starts FROM ${months})
       SELECT m.label[x.i] AS month, x.due, x.overdue FROM m CROSS JOIN (
         SELECT width_bucket(t.due_at, (SELECT starts FROM m)) AS i, count(*)::int AS due, (count(*) FILTER (WHERE t.due_at < now()))::int AS overdue
           FROM ${source}
          WHERE ${pending} AND t.due_at < ${end}${filters}
          GROUP BY 1
       ) x ORDER BY 1`,
      p.values,
    );
  }
}
