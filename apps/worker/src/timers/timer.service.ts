import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRepository } from '@app/persistence';
import { jobIds, JobQueue } from '@app/queue';
import { WORKER_OPTIONS, WorkerOptions } from '../worker-options';
import { TimerFireRepository } from './timer-fire.repository';

export type FireOutcome = 'fired' | 'missing' | 'not-pending' | 'not-due' | 'stage-left';

const DAY_MS = 24 * 3600_000;

@Injectable()
export class TimerService {
  private readonly logger = new Logger('TimerService');

  constructor(
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    private readonly ds: DataSource,
    private readonly timers: TimerFireRepository,
    private readonly outbox: OutboxRepository,
    private readonly queue: JobQueue,
  ) {}

  /**
   * Locks the timer row and acts only if it is still pending and due by the database
   * clock; the reminder itself is an outbox row written in the same transaction.
   */
  async fire(timerId: string): Promise<FireOutcome> {
    return this.ds.transaction(async (em) => {
      const t = await this.timers.lock(em, timerId);
      if (!t) return 'missing';
      if (t.status !== 'pending') return 'not-pending';
      if (!t.due) return 'not-due'; // early (clock skew): the reconciler adds the job again
      if (t.scope === 'stage' && (await this.timers.caseState(em, t.caseId)) !== t.stage) return 'stage-left';
      await this.timers.markFired(em, t.id, t.latenessMs);
      await this.outbox.add(em, { topic: 'timer-fired', caseId: t.caseId, payload: { timerId: t.id, kind: t.kind, caseId: t.caseId } });
      return 'fired';
    });
  }

  /**
   * Enqueues every pending timer due within a day as `timer-<id>`, delayed until due.
   * Re-adding an id BullMQ still holds is ignored, so only timers without a job gain one.
   */
  async reconcile(): Promise<{ enqueued: number; overdue: number; maxLatenessMs: number }> {
    const rows = await this.timers.dueWithin(this.ds.manager, DAY_MS, 5000);
    await this.queue.enqueueBulk('fire-timer', rows.map((r) => ({ payload: { timerId: r.id }, jobId: jobIds.timer(r.id), opts: { delay: r.delayMs } })));
    const overdue = rows.filter((r) => r.latenessMs > this.opts.reconcileEveryMs);
    const maxLatenessMs = Math.max(0, ...rows.map((r) => r.latenessMs));
    if (overdue.length) this.logger.warn(`${overdue.length} pending timer(s) overdue by more than one reconcile period; worst ${maxLatenessMs} ms late`);
    return { enqueued: rows.length, overdue: overdue.length, maxLatenessMs };
  }
}
