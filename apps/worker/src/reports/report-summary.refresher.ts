import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ReportService } from '@app/persistence';
import { WORKER_OPTIONS, WorkerOptions } from '../worker-options';

/**
 * Keeps the report summary (report_case, report_stage, report_day) fresh: every `reportSummaryEveryMs` each worker
 * asks for a refresh; an advisory lock lets one run at a time and the others skip. The
 * command path writes nothing for it; reports compute the cases changed since live.
 */
@Injectable()
export class ReportSummaryRefresher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReportSummary');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    private readonly reports: ReportService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.opts.loops) return;
    this.run();
    this.timer = setInterval(() => this.run(), this.opts.reportSummaryEveryMs);
  }

  private run(): void {
    if (this.running) return;
    this.running = this.reports
      .refreshSummary()
      .then((r) => {
        if (r?.full) this.logger.log(`report summary rebuilt: ${r.cases} cases`);
      })
      .catch((err) => this.logger.error(`report summary refresh failed: ${(err as Error).message}`))
      .finally(() => {
        this.running = null;
      });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
