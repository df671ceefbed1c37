import { DynamicModule, Global, Module, OnApplicationShutdown, Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ConfigModule } from '@app/config';
import { MailModule } from '@app/mail';
import { PersistenceModule, RelayRepository, ReportService, TimerFireRepository } from '@app/persistence';
import { JobQueue } from '@app/queue';
import { DeliveryService } from './deliveries/delivery.service';
import { DIGEST_PROVIDERS } from './digest/digest.providers';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { PROCESSORS } from './processors';
import { workerLogging } from '@app/config';
import { MonthlyReportService } from './reports/monthly-report.service';
import { ReportSummaryRefresher } from './reports/report-summary.refresher';
import { JOB_HANDLERS, QueueRunner } from './queue-runner';
import { OutboxRelay } from './relay/outbox-relay.service';
import { RecipientResolver } from './relay/recipient-resolver';
import { CaseCommit } from '@app/persistence';
import { ScreeningService } from '@app/screening';
import { ListImportScheduler } from './screening/list-import.scheduler';
import { LicenceLapse } from './timers/licence-lapse';
import { TimerService } from './timers/timer.service';
import { TimerWakeup } from './timers/timer-wakeup.service';
import { DEFAULT_WORKER_OPTIONS, WORKER_OPTIONS, WorkerOptions } from './worker-options';

@Global()
@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(@Inject(JobQueue) private readonly queue: JobQueue) {}

  static forRoot(config: AppConfig, options: Partial<WorkerOptions> = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule, MailModule, workerLogging(config)],
      providers: [
        { provide: WORKER_OPTIONS, useValue: { ...DEFAULT_WORKER_OPTIONS, ...options } },
        { provide: JobQueue, inject: [APP_CONFIG], useFactory: (c: AppConfig) => JobQueue.connect(c) },
        RelayRepository,
        RecipientResolver,
        OutboxRelay,
        DeliveryService,
        ...DIGEST_PROVIDERS,
        ReportService,
        MonthlyReportService,
        ReportSummaryRefresher,
        TimerFireRepository,
        TimerService,
        TimerWakeup,
        CaseCommit,
        LicenceLapse,
        ...PROCESSORS,
        { provide: JOB_HANDLERS, inject: PROCESSORS, useFactory: (...handlers: unknown[]) => handlers },
        QueueRunner,
        MaintenanceScheduler,
        ScreeningService,
        ListImportScheduler,
      ],
      exports: [OutboxRelay, DeliveryService, TimerService, JobQueue],
    };
  }

  /** After every loop and worker stopped (onModuleDestroy), the queues' connection goes. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
