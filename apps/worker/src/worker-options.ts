/** Tunables of one worker process. main.ts uses the defaults; tests shorten the periods. */
export interface WorkerOptions {
  /** Nest logger on or off (tests turn it off). */
  logger: boolean;
  /** Reconciler period, as a BullMQ Job Scheduler and as a local interval. */
  reconcileEveryMs: number;
  /** Sweeper period: re-enqueues unfinished deliveries whose job is gone. */
  sweepEveryMs: number;
  /** A pending delivery untouched this long is a sweeper candidate. */
  sweepAfterMs: number;
  /** Outbox polling fallback (LISTEN/NOTIFY wakes the relay sooner). */
  pollEveryMs: number;
  relayBatchSize: number;
  /** How long one send attempt holds a delivery row; longer than the SMTP timeouts. */
  leaseMs: number;
  /** First retry delay of send-email; doubles per attempt. */
  retryBaseMs: number;
  sendAttempts: number;
  /** BullMQ job lock; a crashed worker's jobs are taken over after about this long. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** How often the report summary (report_case, report_stage, report_day) is refreshed. */
  reportSummaryEveryMs: number;
  /** Run the relay, reconciler and sweeper loops (tests of one processor may turn them off). */
  loops: boolean;
  /** How often the worker brings the list sources' job schedulers in line with screening_source. */
  listSyncEveryMs: number;
  /** Tests only: every source's period instead of its cadence in minutes. */
  listCadenceMs: number | null;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  logger: true,
  reconcileEveryMs: 60_000,
  sweepEveryMs: 30_000,
  sweepAfterMs: 30_000,
  pollEveryMs: 1_000,
  relayBatchSize: 100,
  leaseMs: 30_000,
  retryBaseMs: 2_000,
  sendAttempts: 10,
  lockDurationMs: 15_000,
  stalledIntervalMs: 15_000,
  reportSummaryEveryMs: 30_000,
  loops: true,
  listSyncEveryMs: 60_000,
  listCadenceMs: null,
};

export const WORKER_OPTIONS = Symbol('WORKER_OPTIONS');
