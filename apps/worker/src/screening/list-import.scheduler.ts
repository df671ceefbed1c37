import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobName, jobIds, JobQueue, QueueName } from '@app/queue';
import { ScreeningWatchRepository } from '@app/persistence';
import { WORKER_OPTIONS, WorkerOptions } from '../worker-options';

const PREFIX = jobIds.screeningSource('');

/**
 * One BullMQ Job Scheduler per configured list source (screening_source with a location
 * and a cadence): `import-screening-list` every cadence. The set is brought in line with
 * the table at boot and every `listSyncEveryMs` (a source added, changed or disabled in
 * the admin UI; a Redis flush that deleted the schedulers).
 */
@Injectable()
export class ListImportScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ListImportScheduler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    private readonly ds: DataSource,
    private readonly queue: JobQueue,
    private readonly watch: ScreeningWatchRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.opts.loops) return;
    const run = () => {
      if (this.running) return;
      this.running = this.sync()
        .catch((err) => this.logger.error(`list schedules: ${(err as Error).message}`))
        .finally(() => (this.running = null));
    };
    run();
    this.timer = setInterval(run, this.opts.listSyncEveryMs);
  }

  /** Upserts a scheduler per scheduled source and removes the ones whose source no longer is. */
  async sync(): Promise<{ scheduled: number; removed: number }> {
    const q = this.queue.queue(QueueName.Screening);
    const wanted = await this.watch.scheduledSources(this.ds.manager);
    const keep = new Set<string>();
    for (const s of wanted) {
      const key = jobIds.screeningSource(s.id);
      keep.add(key);
      const every = this.opts.listCadenceMs ?? s.cadenceMinutes * 60_000;
      const existing = await q.getJobScheduler(key);
      if (existing && Number(existing.every) === every) continue;
      await q.upsertJobScheduler(
        key,
        { every },
        { name: JobName.ImportScreeningList, data: { sourceId: s.id }, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
      );
    }
    let removed = 0;
    for (const j of await q.getJobSchedulers(0, -1)) {
      if (j.key.startsWith(PREFIX) && !keep.has(j.key)) {
        await q.removeJobScheduler(j.key);
        removed++;
      }
    }
    return { scheduled: keep.size, removed };
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
