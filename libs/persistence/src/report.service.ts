import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import {
  BusinessCalendar,
  CASE_STATES,
  DomainError,
  durationMs,
  ErrorCode,
  NSI_AREA_LABELS,
  OUTCOMES,
  parseSlaDuration,
  isReportName,
  REPORT_NAMES,
  ReportName,
  ReportColumn,
  ReportQuery,
  ReportRange,
  ReportsResponse,
  ReportTable,
  RISK_LEVELS,
  SLA_STAGES,
  SlaStage,
  STATE_LABELS,
  countryProblem,
  isCountryCode,
} from '@app/domain';
import { ReportCalendarDay, ReportFilter, ReportRepository, StageBudget, SummaryView } from './repositories/report.repository';
import { SlaRepository } from './repositories/sla.repository';

/** Lower bounds of the backlog's age bands, in days since submission. */
const AGE_BANDS = [0, 7, 14, 30, 60, 90];
const bandLabel = (i: number) => (i === AGE_BANDS.length - 1 ? `${AGE_BANDS[i]} days or more` : `${AGE_BANDS[i]}–${AGE_BANDS[i + 1] - 1} days`);
const TOP = 10;
const RE_REVIEW_HORIZON_MONTHS = 12;
/** How far a report may reach: the business calendar is computed day by day over it. */
const MAX_RANGE_DAYS = 366 * 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const nsiLabel = (a: string) => (NSI_AREA_LABELS as Record<string, string>)[a] ?? a;
const words = (s: string | null) => (s ? s[0].toUpperCase() + s.slice(1).replace(/_/g, ' ') : 'None');
const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
/** Bump when what report_case / report_stage hold or how it is computed changes: the next refresh rebuilds it. */
const SUMMARY_VERSION = 6;

/** A column of the stage-time and SLA tables (a row per SLA stage), with how its cell is read from the stage's figures. */
type StageColumn = ReportColumn & {
  cell: (t: Awaited<ReturnType<ReportRepository['stageTimes']>>[number] | undefined, stage: SlaStage) => string | number | null;
};

/** Where the figures come from: the summary (with changed cases live), or the direct queries over the cases. */
export type ReportSource = 'summary' | 'direct';

/** The calendar's days with the business time before each, as the report SQL takes them. */
function calendarDays(cal: BusinessCalendar, first: string, last: string): ReportCalendarDay[] {
  let before = 0;
  return cal.dayWindows(first, last).map((d) => {
    const row = { ...d, before };
    if (d.opens && d.closes) before += d.closes.getTime() - d.opens.getTime();
    return row;
  });
}

/** Reports over the cases: aggregates in SQL, shaped here into labelled tables (the API's dashboard and the worker's monthly summary). */
@Injectable()
export class ReportService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly reports: ReportRepository,
    private readonly sla: SlaRepository,
  ) {}

  /** Reads and checks the filters; each bad one is named. `to` is inclusive (a date), so the range ends at the next midnight. */
  filter(q: ReportQuery, now = new Date()): { filter: ReportFilter; range: ReportRange } {
    const zone = this.config.timezone;
    const today = DateTime.fromJSDate(now, { zone }).startOf('day');
    const day = (v: string | undefined, field: string, dflt: DateTime) => {
      if (v === undefined || v === '') return dflt;
      const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? DateTime.fromISO(v, { zone }) : null;
      if (!d || !d.isValid) throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field}: "${v}" is not a date; use YYYY-MM-DD.`);
      return d;
    };
    const to = day(q.to, 'to', today);
    const from = day(q.from, 'from', to.minus({ months: 12 }).plus({ days: 1 }));
    if (from > to) throw new DomainError(ErrorCode.VALIDATION_FAILED, `from: ${from.toISODate()} is after to (${to.toISODate()}).`);
    if (to.diff(from, 'days').days > MAX_RANGE_DAYS) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'from: a report covers at most ten years.');
    const oneOf = (v: string | undefined, field: string, allowed: readonly string[]) => {
      if (v === undefined || v === '') return undefined;
      if (!allowed.includes(v)) throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field}: "${v}" is not one of ${allowed.join(', ')}.`);
      return v;
    };
    const id = (v: string | undefined, field: string) => {
      if (v === undefined || v === '') return undefined;
      if (!UUID.test(v)) throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field}: "${v}" is not an id.`);
      return v;
    };
    let country: string | undefined;
    if (q.country !== undefined && q.country !== '') {
      if (!isCountryCode(q.country.toUpperCase())) throw new DomainError(ErrorCode.VALIDATION_FAILED, countryProblem('country', q.country)!);
      country = q.country.toUpperCase();
    }
    const filter: ReportFilter = {
      from: from.toJSDate(),
      to: to.plus({ days: 1 }).toJSDate(),
      zone,
      departmentId: id(q.department, 'department'),
      country,
      nsiArea: oneOf(q.nsiArea, 'nsiArea', Object.keys(NSI_AREA_LABELS)),
      riskTier: oneOf(q.riskTier, 'riskTier', RISK_LEVELS),
      outcome: oneOf(q.outcome, 'outcome', OUTCOMES),
      officerId: id(q.officer, 'officer'),
    };
    return { filter, range: { from: from.toISODate()!, to: to.toISODate()! } };
  }

  /** Every report, for the dashboard. */
  async all(q: ReportQuery, source: ReportSource = 'summary'): Promise<ReportsResponse> {
    const { filter, range } = this.filter(q);
    const em = this.ds.manager;
    const view = source === 'summary' ? await this.view(em) : null;
    const shared = {};
    const tables = await Promise.all(REPORT_NAMES.map((n) => this.build(em, n, filter, view, shared)));
    return { range, generatedAt: new Date().toISOString(), tables };
  }

  async one(name: string, q: ReportQuery, source: ReportSource = 'summary'): Promise<{ range: ReportRange; table: ReportTable }> {
    if (!isReportName(name)) throw new DomainError(ErrorCode.NOT_FOUND, `No report "${name}"; use ${REPORT_NAMES.join(', ')}.`);
    const { filter, range } = this.filter(q);
    const em = this.ds.manager;
    return { range, table: await this.build(em, name, filter, source === 'summary' ? await this.view(em) : null) };
  }

  /** Identifies the business calendar the summary's business times were counted on. */
  private calendarKey(cal: BusinessCalendar): string {
    return createHash('sha256')
      .update(JSON.stringify({ v: SUMMARY_VERSION, settings: cal.settings }))
      .digest('hex');
  }

  /** The summary, when it is usable now (else the reports query directly). */
  private async view(em: EntityManager): Promise<SummaryView | null> {
    const cal = await this.sla.calendar(em, this.config.timezone, this.config.holidayDivision);
    return this.reports.summaryView(em, this.calendarKey(cal));
  }

  /**
   * Refreshes the report summary (the worker calls this every half minute): the cases
   * changed since the last refresh, or all of them after a calendar change.
   */
  async refreshSummary(): Promise<{ full: boolean; cases: number } | null> {
    const em = this.ds.manager;
    const cal = await this.sla.calendar(em, this.config.timezone, this.config.holidayDivision);
    const zone = this.config.timezone;
    const calendarFrom = (first: Date) =>
      calendarDays(cal, DateTime.fromJSDate(first, { zone }).minus({ days: 1 }).toISODate()!, DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!);
    return this.reports.refreshSummary(em, this.calendarKey(cal), calendarFrom, zone);
  }

  /** The business calendar over the range (and up to now, where open stays end), as SQL rows. */
  private async calendar(em: EntityManager, f: ReportFilter): Promise<{ cal: BusinessCalendar; days: ReportCalendarDay[] }> {
    const cal = await this.sla.calendar(em, this.config.timezone, this.config.holidayDivision);
    const zone = this.config.timezone;
    const first = DateTime.fromJSDate(f.from, { zone }).minus({ days: 1 }).toISODate()!;
    const last = DateTime.fromMillis(Math.max(f.to.getTime(), Date.now()), { zone }).plus({ days: 1 }).toISODate()!;
    return { cal, days: calendarDays(cal, first, last) };
  }

  private async budgets(em: EntityManager, cal: BusinessCalendar): Promise<(StageBudget & { target: string })[]> {
    return (await this.sla.policies(em)).map((p) => {
      const d = parseSlaDuration(p.target, 'target');
      return { stage: p.stage, target: p.target, mode: d.mode, budgetMs: durationMs(d, cal) };
    });
  }

  /** Stage times and escalations: what the stage-time and SLA reports are both made of. */
  private async stages(em: EntityManager, f: ReportFilter, view: SummaryView | null) {
    const { cal, days } = await this.calendar(em, f);
    const budgets = await this.budgets(em, cal);
    const [times, escalations] = await Promise.all([this.reports.stageTimes(em, f, days, budgets, view), this.reports.escalations(em, f)]);
    return { cal, budgets, times, escalations };
  }

  /** `shared` carries work two reports of one request need (the dashboard asks for both stage reports). */
  private async build(
    em: EntityManager,
    name: ReportName,
    f: ReportFilter,
    view: SummaryView | null,
    shared: { stages?: ReturnType<ReportService['stages']> } = {},
  ): Promise<ReportTable> {
    switch (name) {
      case 'volumes': {
        const rows = await this.reports.volumes(em, f, view);
        const states = CASE_STATES.filter((s) => s !== 'draft');
        const byMonth = new Map<string, Record<string, string | number | null>>();
        for (const r of rows) {
          const m = byMonth.get(r.month) ?? { month: r.month, total: 0, ...Object.fromEntries(states.map((s) => [s, 0])) };
          m[r.state] = r.cases;
          m.total = (m.total as number) + r.cases;
          byMonth.set(r.month, m);
        }
        return {
          name,
          title: 'Cases submitted by month and current state',
          description: 'Cases submitted in each month of the range, by the state they are in now.',
          columns: [
            { key: 'month', label: 'Month', kind: 'text' },
            ...states.map((s) => ({ key: s, label: STATE_LABELS[s], kind: 'number' as const })),
            { key: 'total', label: 'Total', kind: 'number' },
          ],
          rows: [...byMonth.values()],
        };
      }
      case 'stage-times':
      case 'sla': {
        const { cal, budgets, times, escalations } = await (shared.stages ??= this.stages(em, f, view));
        const byStage = new Map(times.map((t) => [t.stage, t]));
        const esc = new Map(escalations.map((e) => [e.stage, e.escalations]));
        const wd = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : round2(ms / cal.dayMs));
        // One table shape for both: a row per SLA stage, each column with how its cell is read from the stage's figures.
        const table = (title: string, description: string, cols: StageColumn[]): ReportTable => ({
          name,
          title,
          description,
          columns: [{ key: 'stage', label: 'Stage', kind: 'text' }, ...cols.map(({ key, label, kind }) => ({ key, label, kind }))],
          rows: SLA_STAGES.map((s) => {
            const t = byStage.get(s);
            return { stage: STATE_LABELS[s], ...Object.fromEntries(cols.map((c) => [c.key, c.cell(t, s)])) };
          }),
        });
        if (name === 'stage-times') {
          return table(
            'Time in each stage (working days)',
            'Business time each case submitted in the range spent in each stage, counted on the SLA calendar (working hours, bank holidays and closure days); percentiles over completed stages.',
            [
              { key: 'completed', label: 'Completed', kind: 'number', cell: (t) => t?.completed ?? 0 },
              { key: 'p50', label: 'Median (p50)', kind: 'days', cell: (t) => wd(t?.p50Ms) },
              { key: 'p90', label: 'p90', kind: 'days', cell: (t) => wd(t?.p90Ms) },
              { key: 'max', label: 'Longest', kind: 'days', cell: (t) => wd(t?.maxMs) },
              { key: 'open', label: 'Still in stage', kind: 'number', cell: (t) => t?.open ?? 0 },
            ],
          );
        }
        return table(
          'Service-level compliance by stage',
          'Completed stages of cases submitted in the range against the stage’s current target; escalations fired in the range.',
          [
            { key: 'target', label: 'Target', kind: 'text', cell: (_, s) => budgets.find((b) => b.stage === s)?.target ?? null },
            { key: 'completed', label: 'Completed', kind: 'number', cell: (t) => t?.completed ?? 0 },
            { key: 'onTime', label: 'On time', kind: 'number', cell: (t) => t?.onTime ?? 0 },
            { key: 'breached', label: 'Breached', kind: 'number', cell: (t) => t?.breached ?? 0 },
            { key: 'onTimePct', label: '% on time', kind: 'percent', cell: (t) => (t?.completed ? round2((100 * t.onTime) / t.completed) : null) },
            { key: 'escalations', label: 'Escalations fired', kind: 'number', cell: (_, s) => esc.get(s) ?? 0 },
            { key: 'openBreached', label: 'Open past target', kind: 'number', cell: (t) => t?.openBreached ?? 0 },
          ],
        );
      }
      case 'backlog': {
        const rows = await this.reports.backlog(em, f, AGE_BANDS, view);
        const present = CASE_STATES.filter((s) => !['draft', 'approved', 'rejected', 'withdrawn'].includes(s));
        const bands = AGE_BANDS.map(
          (_, i) => ({ band: bandLabel(i), total: 0, ...Object.fromEntries(present.map((s) => [s, 0])) }) as Record<string, string | number | null>,
        );
        for (const r of rows) {
          const b = bands[Math.max(0, Math.min(AGE_BANDS.length - 1, Number(r.band)))];
          b[r.state] = ((b[r.state] as number) ?? 0) + r.cases;
          b.total = (b.total as number) + r.cases;
        }
        return {
          name,
          title: 'Open backlog by age',
          description: 'Open cases now (whatever the date range), by days since submission and the state they are in.',
          columns: [
            { key: 'band', label: 'Age since submission', kind: 'text' },
            ...present.map((s) => ({ key: s, label: STATE_LABELS[s], kind: 'number' as const })),
            { key: 'total', label: 'Total', kind: 'number' },
          ],
          rows: bands,
        };
      }
      case 'outcomes': {
        const rows = await this.reports.outcomes(em, f, view);
        return {
          name,
          title: 'Outcomes and conditions by risk tier',
          description: 'Cases closed in the range by risk tier and outcome, with the conditions set and how many are met.',
          columns: [
            { key: 'riskTier', label: 'Risk tier', kind: 'text' },
            { key: 'outcome', label: 'Outcome', kind: 'text' },
            { key: 'cases', label: 'Cases', kind: 'number' },
            { key: 'conditions', label: 'Conditions', kind: 'number' },
            { key: 'conditionsMet', label: 'Conditions met', kind: 'number' },
          ],
          rows: rows.map((r) => ({
            riskTier: words(r.riskTier),
            outcome: words(r.outcome),
            cases: r.cases,
            conditions: r.conditions,
            conditionsMet: r.conditionsMet,
          })),
        };
      }
      case 'countries': {
        const rows = await this.reports.countries(em, f, TOP, view);
        return {
          name,
          title: `Top ${TOP} partner countries`,
          description: 'Cases submitted in the range with a partner in each country.',
          columns: [
            { key: 'country', label: 'Country', kind: 'text' },
            { key: 'cases', label: 'Cases', kind: 'number' },
          ],
          rows,
        };
      }
      case 'nsi-areas': {
        const rows = await this.reports.nsiAreas(em, f, TOP, view);
        return {
          name,
          title: `Top ${TOP} NSI Act areas`,
          description: 'Cases submitted in the range touching each NSI Act sensitive area.',
          columns: [
            { key: 'area', label: 'NSI area', kind: 'text' },
            { key: 'cases', label: 'Cases', kind: 'number' },
          ],
          rows: rows.map((r) => ({ area: nsiLabel(r.area), cases: r.cases })),
        };
      }
      case 'screening': {
        const rows = await this.reports.screening(em, f);
        return {
          name,
          title: 'Screening hits',
          description: 'Restricted-party hits raised in the range, by list, and what the officers decided.',
          columns: [
            { key: 'list', label: 'List', kind: 'text' },
            { key: 'raised', label: 'Raised', kind: 'number' },
            { key: 'clearedFalsePositive', label: 'Cleared (false positive)', kind: 'number' },
            { key: 'confirmed', label: 'Confirmed', kind: 'number' },
            { key: 'open', label: 'Undecided', kind: 'number' },
          ],
          rows,
        };
      }
      case 're-reviews': {
        const until = DateTime.now().setZone(f.zone).startOf('month').plus({ months: RE_REVIEW_HORIZON_MONTHS }).toJSDate();
        const rows = await this.reports.reReviews(em, f, until, view);
        return {
          name,
          title: 'Re-reviews due',
          description: `Approved cases due a periodic re-review, by month due, up to ${RE_REVIEW_HORIZON_MONTHS} months ahead; overdue ones are past their date.`,
          columns: [
            { key: 'month', label: 'Month due', kind: 'text' },
            { key: 'due', label: 'Due', kind: 'number' },
            { key: 'overdue', label: 'Overdue', kind: 'number' },
          ],
          rows,
        };
      }
    }
  }
}
