import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ReportTable } from '@app/domain';
import { OutboxRepository, ReportRepository, ReportService } from '@app/persistence';

/** 07:00 on the 1st of each month where the office is: the month just ended. */
export const MONTHLY_REPORT_CRON = '0 7 1 * *';

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const sum = (t: ReportTable | undefined, key: string) => (t?.rows ?? []).reduce((a, r) => a + num(r[key]), 0);

/**
 * The monthly summary to the RSDO leads: the dashboard's own reports (ReportService) over
 * the month just ended, condensed into one email with a link to the dashboard for that
 * month. It goes out as an outbox row like any email; monthly_report_run makes the month's
 * second run a no-op.
 */
@Injectable()
export class MonthlyReportService {
  private readonly logger = new Logger('MonthlyReport');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly reports: ReportService,
    private readonly reportRows: ReportRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /** The figures of `month` (YYYY-MM; default the month before now, where the office is). */
  async figures(month: string) {
    const start = DateTime.fromISO(`${month}-01`, { zone: this.config.timezone });
    const from = start.toISODate()!;
    const to = start.endOf('month').toISODate()!;
    const { tables } = await this.reports.all({ from, to });
    const t = (name: string) => tables.find((x) => x.name === name);
    const outcomes = new Map<string, number>();
    for (const r of t('outcomes')?.rows ?? []) outcomes.set(String(r.outcome), (outcomes.get(String(r.outcome)) ?? 0) + num(r.cases));
    const backlog = t('backlog')?.rows ?? [];
    const nextMonth = DateTime.now().setZone(this.config.timezone).plus({ months: 1 }).toFormat('yyyy-MM');
    const screening = t('screening');
    return {
      month: start.toFormat('LLLL yyyy'),
      from,
      to,
      submitted: sum(t('volumes'), 'total'),
      closed: sum(t('outcomes'), 'cases'),
      outcomes: [...outcomes].map(([label, cases]) => ({ label, cases })),
      conditionsSet: sum(t('outcomes'), 'conditions'),
      conditionsMet: sum(t('outcomes'), 'conditionsMet'),
      sla: (t('sla')?.rows ?? []).map((r) => ({
        stage: r.stage,
        target: r.target,
        onTime: r.onTime,
        completed: r.completed,
        onTimePct: r.onTimePct,
        escalations: r.escalations,
      })),
      backlog: backlog.reduce((a, r) => a + num(r.total), 0),
      backlogOld: backlog.slice(3).reduce((a, r) => a + num(r.total), 0), // bands from 30 days on
      hitsRaised: sum(screening, 'raised'),
      hitsCleared: sum(screening, 'clearedFalsePositive'),
      hitsConfirmed: sum(screening, 'confirmed'),
      reReviewsOverdue: sum(t('re-reviews'), 'overdue'),
      reReviewsNext: num((t('re-reviews')?.rows ?? []).find((r) => r.month === nextMonth)?.due),
      dashboardUrl: `${this.config.publicUrl}/reports?from=${from}&to=${to}`,
    };
  }

  async run(
    month: string = DateTime.now().setZone(this.config.timezone).minus({ months: 1 }).toFormat('yyyy-MM'),
  ): Promise<{ month: string; written: boolean }> {
    const report = await this.figures(month);
    const written = await this.ds
      .transaction(async (em) => {
        if (await this.reportRows.monthlyReportSent(em, month)) return false;
        const o = await this.outbox.add(em, { topic: 'monthly-report', payload: { month, report } });
        if (!(await this.reportRows.recordMonthlyReport(em, month, String(o.id)))) throw new Error(`monthly report ${month}: claimed by another worker`);
        return true;
      })
      .catch((err: Error) => {
        if (/claimed by another worker/.test(err.message)) return false;
        throw err;
      });
    if (written) this.logger.log(`monthly report for ${month} queued`);
    return { month, written };
  }
}
