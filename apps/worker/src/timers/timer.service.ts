import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { BusinessCalendar, OutboxMessages } from '@app/domain';
import { ladderSource, timerMailNeeds, timerMailPayload } from '@app/mail';
import { LockedTimer, SlaRepository, TimerFireRepository, UserRepository } from '@app/persistence';
import { jobIds, JobQueue } from '@app/queue';
import { WORKER_OPTIONS, WorkerOptions } from '../worker-options';
import { LicenceLapse } from './licence-lapse';

export type FireOutcome = 'fired' | 'missing' | 'not-pending' | 'not-due' | 'stage-left' | 'deferred';

const DAY_MS = 24 * 3600_000;
const RECONCILE_PAGE = 5000;
const DRAIN_BATCH = 200;

interface Fired {
  id: string;
  latenessMs: number;
  caseId: string;
  payload: OutboxMessages['timer-fired'];
}
/** Calendar settings change rarely; a short cache spares a query per timer when thousands fire at once. */
const CALENDAR_TTL_MS = 10_000;

@Injectable()
export class TimerService {
  private readonly logger = new Logger('TimerService');
  private calendarCache: { cal: BusinessCalendar; at: number } | null = null;

  constructor(
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly timers: TimerFireRepository,
    private readonly sla: SlaRepository,
    private readonly users: UserRepository,
    private readonly queue: JobQueue,
    private readonly lapse: LicenceLapse,
  ) {}

  private async calendar(em: EntityManager): Promise<BusinessCalendar> {
    if (!this.calendarCache || Date.now() - this.calendarCache.at > CALENDAR_TTL_MS) {
      this.calendarCache = { cal: await this.sla.calendar(em, this.config.timezone, this.config.holidayDivision), at: Date.now() };
    }
    return this.calendarCache.cal;
  }

  /**
   * Locks the timer row and acts only if it is still pending and due by the database
   * clock; the email is an outbox row written in the same transaction. An escalation
   * that comes due outside business hours is carried by a new row to the next opening.
   */
  async fire(timerId: string): Promise<FireOutcome> {
    const deferred: { id: string; delayMs: number }[] = [];
    const outcome = await this.ds.transaction(async (em): Promise<FireOutcome> => {
      const t = await this.timers.lock(em, timerId);
      if (!t) return 'missing';
      if (!t.due && t.status === 'pending') return 'not-due'; // early (clock skew): the reconciler adds the job again
      const fired: Fired[] = [];
      const outcome = await this.decide(em, t, t.scope === 'stage' ? await this.timers.caseState(em, t.caseId) : null, fired, deferred);
      await this.commitFired(em, fired);
      return outcome;
    });
    await this.enqueueDeferred(deferred);
    // A burst of due timers (thousands at once, or a Redis that lost its jobs) drains in batches from here.
    if (outcome === 'fired') await this.drainDue();
    return outcome;
  }

  /**
   * Fires the timers already due that it can claim, in batches claimed with SKIP LOCKED (the
   * case row first, then its timers: the lock order of commands); the same checks as fire().
   *
   * Returns how many timers it claimed and decided (fired, deferred out of hours, or found no
   * longer pending), NOT "every due timer fired": a timer whose case a command or another fire
   * holds at that moment is skipped, and a batch that comes up short (or empty, when the oldest
   * due timers all belong to held cases) ends the drain. A skipped timer keeps its own job, and
   * reconcile() enqueues every pending timer due within a day after draining, so none is lost.
   * Callers (fire(), reconcile(), tests) therefore use it for its effect only; none reads the
   * count as "nothing is due now" (checked in every caller: apps/worker, bench, scripts, tests).
   */
  async drainDue(batch = DRAIN_BATCH): Promise<number> {
    let total = 0;
    for (;;) {
      const deferred: { id: string; delayMs: number }[] = [];
      const n = await this.ds.transaction(async (em) => {
        const rows = await this.timers.lockDue(em, batch);
        if (!rows.length) return 0;
        const stageCases = [...new Set(rows.filter((r) => r.scope === 'stage').map((r) => r.caseId))];
        const states = stageCases.length ? await this.timers.caseStates(em, stageCases) : new Map<string, string>();
        const fired: Fired[] = [];
        for (const t of rows) await this.decide(em, t, states.get(t.caseId) ?? null, fired, deferred);
        await this.commitFired(em, fired);
        return rows.length;
      });
      await this.enqueueDeferred(deferred);
      total += n;
      if (n < batch) return total;
    }
  }

  /** One locked timer: skip (no longer pending, or its stage is over), defer (an escalation out of hours) or fire. */
  private async decide(
    em: EntityManager,
    t: LockedTimer,
    caseState: string | null,
    fired: Fired[],
    deferred: { id: string; delayMs: number }[],
  ): Promise<FireOutcome> {
    if (t.status !== 'pending') return 'not-pending';
    if (t.scope === 'stage' && caseState !== t.stage) return 'stage-left';
    if (t.payload.gate === 'business_hours') {
      const cal = await this.calendar(em);
      const now = new Date(t.dbNow);
      if (!cal.isOpen(now)) {
        deferred.push(await this.timers.defer(em, t, cal.nextOpening(now)));
        return 'deferred';
      }
    }
    if (t.kind === 'licence_lapsed') {
      // Not an email of its own: the suspension's case event tells the researcher and the officer.
      const result = await this.lapse.suspend(em, t.caseId, t.payload, this.config.timezone);
      await this.timers.markFiredMany(em, [{ id: t.id, latenessMs: t.latenessMs }]);
      this.logger.log(`licence_lapsed timer ${t.id}: ${result}`);
      return 'fired';
    }
    const marks = t.payload.marks;
    if (t.stage && (marks === 'at_risk' || marks === 'breached')) await this.sla.markState(em, t.caseId, t.stage, marks);
    fired.push({ id: t.id, latenessMs: t.latenessMs, caseId: t.caseId, payload: await this.mailPayload(em, t) });
    return 'fired';
  }

  private async commitFired(em: EntityManager, fired: Fired[]): Promise<void> {
    await this.timers.markFiredMany(em, fired);
    await this.timers.addOutbox(em, fired);
  }

  /** After commit; if an enqueue is lost, the reconciler adds the job. */
  private async enqueueDeferred(next: { id: string; delayMs: number }[]): Promise<void> {
    for (const n of next) await this.queue.enqueue('fire-timer', { timerId: n.id }, jobIds.timer(n.id), { delay: n.delayMs });
  }

  /** Loads what libs/mail's timerMailPayload asks for; an escalation resolves its ladder level to people now. */
  private async mailPayload(em: EntityManager, t: LockedTimer): Promise<OutboxMessages['timer-fired']> {
    const needs = timerMailNeeds(t.kind, t.payload);
    const timer = { id: t.id, kind: t.kind, caseId: t.caseId, payload: t.payload };
    const zone = this.config.timezone;
    if (needs.replyBy) return timerMailPayload({ timer, zone, replyBy: await this.timers.informationReplyBy(em, t.caseId) });
    if (!needs.escalation) return timerMailPayload({ timer, zone });
    const slaDueAt = await this.timers.slaDueAt(em, t.caseId);
    const source = ladderSource(
      needs.escalation,
      await this.timers.caseParties(em, t.caseId),
      needs.escalation === 'head_of_office' ? (await this.sla.settings(em)).headOfOfficeUserId : null,
    );
    const escalationUserIds = source.kind === 'users' ? source.ids : source.kind === 'role' ? await this.users.activeUserIdsWithRole(em, source.role) : [];
    return timerMailPayload({ timer, zone, slaDueAt, escalationUserIds });
  }

  /**
   * Enqueues every pending timer due within a day as `timer-<id>`, delayed until due,
   * page by page. Re-adding an id BullMQ still holds is ignored, so only timers without
   * a job gain one. Covers every kind: stage ladders, information requests, case timers,
   * deferred escalations.
   */
  async reconcile(): Promise<{ enqueued: number; overdue: number; maxLatenessMs: number }> {
    await this.drainDue(); // what is already due and free fires now, job or no job; what it skips is enqueued below
    let after: { dueAt: string; id: string } | null = null;
    let enqueued = 0;
    let overdue = 0;
    let maxLatenessMs = 0;
    for (;;) {
      const rows = await this.timers.dueWithin(this.ds.manager, DAY_MS, RECONCILE_PAGE, after);
      if (!rows.length) break;
      await this.queue.enqueueBulk(
        'fire-timer',
        rows.map((r) => ({ payload: { timerId: r.id }, jobId: jobIds.timer(r.id), opts: { delay: r.delayMs } })),
      );
      enqueued += rows.length;
      overdue += rows.filter((r) => r.latenessMs > this.opts.reconcileEveryMs).length;
      maxLatenessMs = Math.max(maxLatenessMs, ...rows.map((r) => r.latenessMs));
      if (rows.length < RECONCILE_PAGE) break;
      after = { dueAt: rows[rows.length - 1].dueAt, id: rows[rows.length - 1].id };
    }
    if (overdue) this.logger.warn(`${overdue} pending timer(s) overdue by more than one reconcile period; worst ${maxLatenessMs} ms late`);
    return { enqueued, overdue, maxLatenessMs };
  }
}
