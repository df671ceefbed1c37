import { Injectable } from '@nestjs/common';
import { JobHandler, JobPayloads } from '@app/queue';
import { DeliveryService } from './deliveries/delivery.service';
import { DigestService } from './digest/digest.service';
import { TimerService } from './timers/timer.service';
import { MonthlyReportService } from './reports/monthly-report.service';
import { ScreeningService } from '@app/screening';

/** Thin handlers: the payload is checked by the runner; each calls one service method. */

@Injectable()
export class SendEmailProcessor implements JobHandler<'send-email'> {
  readonly job = 'send-email' as const;
  constructor(private readonly deliveries: DeliveryService) {}
  handle(p: JobPayloads['send-email'], attempt: { attemptsMade: number; maxAttempts: number }) {
    return this.deliveries.send(p.deliveryId, attempt.attemptsMade + 1 >= attempt.maxAttempts);
  }
}

@Injectable()
export class SendEmailBatchProcessor implements JobHandler<'send-email-batch'> {
  readonly job = 'send-email-batch' as const;
  constructor(private readonly deliveries: DeliveryService) {}
  handle(p: JobPayloads['send-email-batch']) {
    return this.deliveries.sendBatch(p.deliveryIds);
  }
}

@Injectable()
export class FireTimerProcessor implements JobHandler<'fire-timer'> {
  readonly job = 'fire-timer' as const;
  constructor(private readonly timers: TimerService) {}
  handle(p: JobPayloads['fire-timer']) {
    return this.timers.fire(p.timerId);
  }
}

@Injectable()
export class ReconcileTimersProcessor implements JobHandler<'reconcile-timers'> {
  readonly job = 'reconcile-timers' as const;
  constructor(private readonly timers: TimerService) {}
  handle() {
    return this.timers.reconcile();
  }
}

@Injectable()
export class SweepDeliveriesProcessor implements JobHandler<'sweep-deliveries'> {
  readonly job = 'sweep-deliveries' as const;
  constructor(private readonly deliveries: DeliveryService) {}
  handle() {
    return this.deliveries.sweep();
  }
}

@Injectable()
export class SendDigestProcessor implements JobHandler<'send-digest'> {
  readonly job = 'send-digest' as const;
  constructor(private readonly digest: DigestService) {}
  handle() {
    return this.digest.run();
  }
}

@Injectable()
export class SendMonthlyReportProcessor implements JobHandler<'send-monthly-report'> {
  readonly job = 'send-monthly-report' as const;
  constructor(private readonly reports: MonthlyReportService) {}
  handle() {
    return this.reports.run();
  }
}

/** A list source's scheduled import: import, diff, rescreen, blast radius (the API's ScreeningService, as the CLI uses it). */
@Injectable()
export class ImportScreeningListProcessor implements JobHandler<'import-screening-list'> {
  readonly job = 'import-screening-list' as const;
  constructor(private readonly screening: ScreeningService) {}
  handle(p: JobPayloads['import-screening-list']) {
    return this.screening.importSource(p.sourceId, null, 'scheduled');
  }
}

export const PROCESSORS = [
  SendEmailProcessor,
  SendEmailBatchProcessor,
  FireTimerProcessor,
  ReconcileTimersProcessor,
  SweepDeliveriesProcessor,
  SendDigestProcessor,
  SendMonthlyReportProcessor,
  ImportScreeningListProcessor,
];
