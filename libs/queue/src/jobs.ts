/**
 * The one job registry. Queue and job names are persisted identifiers (they live in
 * Redis keys and in jobs already queued): add new ones, never rename.
 */
export const QueueName = {
  Deliveries: 'deliveries',
  Timers: 'timers',
  Maintenance: 'maintenance',
  Screening: 'screening',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  SendEmail: 'send-email',
  SendEmailBatch: 'send-email-batch',
  FireTimer: 'fire-timer',
  ReconcileTimers: 'reconcile-timers',
  SweepDeliveries: 'sweep-deliveries',
  SendDigest: 'send-digest',
  SendMonthlyReport: 'send-monthly-report',
  ImportScreeningList: 'import-screening-list',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** What each job carries: row ids only, the database holds the rest. */
export interface JobPayloads {
  'send-email': { deliveryId: string };
  /** Up to MAX_DELIVERY_BATCH deliveries leased in one statement and sent together; a failed one is retried as its own send-email job. */
  'send-email-batch': { deliveryIds: string[] };
  'fire-timer': { timerId: string };
  'reconcile-timers': Record<string, never>;
  'sweep-deliveries': Record<string, never>;
  /** The day is computed when it runs (today, in the office's time zone). */
  'send-digest': Record<string, never>;
  /** The month (the one before the run) is computed when it runs. */
  'send-monthly-report': Record<string, never>;
  /** One configured list source (screening_source.id), imported from its location by its job scheduler. */
  'import-screening-list': { sourceId: string };
}

export const JOB_QUEUE: { [J in JobName]: QueueName } = {
  'send-email': QueueName.Deliveries,
  'send-email-batch': QueueName.Deliveries,
  'fire-timer': QueueName.Timers,
  'reconcile-timers': QueueName.Maintenance,
  'sweep-deliveries': QueueName.Maintenance,
  'send-digest': QueueName.Maintenance,
  'send-monthly-report': QueueName.Maintenance,
  'import-screening-list': QueueName.Screening,
};

/**
 * Per-job defaults. Delivery and timer jobs are removed when finished: the database row
 * holds the outcome, and a removed id lets the sweeper or reconciler add it again.
 */
export const DEFAULT_JOB_OPTIONS: {
  [J in JobName]: { attempts: number; backoff?: { type: 'exponential'; delay: number }; removeOnComplete: boolean | number; removeOnFail: boolean | number };
} = {
  'send-email': { attempts: 10, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: true },
  // Fails as a whole only when the database or the queue does not answer (each delivery's own failures are retried per delivery).
  'send-email-batch': { attempts: 10, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: true },
  'fire-timer': { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: true, removeOnFail: true },
  'reconcile-timers': { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
  'sweep-deliveries': { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
  'send-digest': { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 100, removeOnFail: 100 },
  'send-monthly-report': { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 100, removeOnFail: 100 },
  // The next scheduled run retries anyway; a failure is recorded on the source (last_error).
  'import-screening-list': { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
};

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);
export const ALL_JOBS: JobName[] = Object.values(JobName);

/** The most deliveries one send-email-batch job may carry. */
export const MAX_DELIVERY_BATCH = 100;

/** Deterministic job ids from row ids (BullMQ refuses plain integers and ':'). */
export const jobIds = {
  delivery: (deliveryId: string) => `delivery-${deliveryId}`,
  /** A batch of deliveries (ascending ids): the same rows enqueued twice make one job. */
  deliveryBatch: (deliveryIds: readonly string[]) => `deliveries-${deliveryIds[0]}-${deliveryIds[deliveryIds.length - 1]}-${deliveryIds.length}`,
  timer: (timerId: string) => `timer-${timerId}`,
  /** The job scheduler of one list source. */
  screeningSource: (sourceId: string) => `screening-source-${sourceId}`,
};

/** Payloads read back from Redis are checked again before use. */
export function parsePayload<J extends JobName>(name: J, data: unknown): JobPayloads[J] {
  const d = (data ?? {}) as Record<string, unknown>;
  const idLike = (v: unknown) => typeof v === 'string' && /^[0-9]+$/.test(v);
  switch (name) {
    case 'send-email':
      if (!idLike(d.deliveryId)) throw new InvalidJobPayloadError(name, data);
      return { deliveryId: d.deliveryId } as JobPayloads[J];
    case 'send-email-batch': {
      const ids = d.deliveryIds;
      if (!Array.isArray(ids) || !ids.length || ids.length > MAX_DELIVERY_BATCH || !ids.every(idLike)) throw new InvalidJobPayloadError(name, data);
      return { deliveryIds: ids as string[] } as JobPayloads[J];
    }
    case 'fire-timer':
      if (!idLike(d.timerId)) throw new InvalidJobPayloadError(name, data);
      return { timerId: d.timerId } as JobPayloads[J];
    case 'import-screening-list':
      if (typeof d.sourceId !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(d.sourceId))
        throw new InvalidJobPayloadError(name, data);
      return { sourceId: d.sourceId } as JobPayloads[J];
    default:
      return {} as JobPayloads[J];
  }
}

export class InvalidJobPayloadError extends Error {
  constructor(job: string, data: unknown) {
    super(`Job ${job} carries an invalid payload: ${JSON.stringify(data)}`);
  }
}

/** A handler owns exactly one job name. */
export interface JobHandler<J extends JobName = JobName> {
  readonly job: J;
  handle(payload: JobPayloads[J], attempt: { attemptsMade: number; maxAttempts: number }): Promise<unknown>;
}

/** Boot fails if a job has no handler or two: a missing one would leave jobs queued forever. */
export function assertHandlers(handlers: readonly { job: string }[]): void {
  const problems: string[] = [];
  for (const job of ALL_JOBS) {
    const n = handlers.filter((h) => h.job === job).length;
    if (n === 0) problems.push(`job "${job}" has no handler`);
    if (n > 1) problems.push(`job "${job}" has ${n} handlers`);
  }
  for (const h of handlers) {
    if (!(ALL_JOBS as string[]).includes(h.job)) problems.push(`a handler claims unknown job "${h.job}"`);
  }
  if (problems.length) throw new Error(`The job registry does not match the handlers: ${problems.join('; ')}.`);
}
