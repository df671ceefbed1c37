import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import {
  atRiskFrom,
  BusinessCalendar,
  CaseState,
  dueAt,
  informationTimers,
  isSlaStage,
  pauseClock,
  reanchorClock,
  resumeClock,
  SlaClock,
  slaStateOf,
  slaView,
  SlaView,
  StageSlaPolicy,
  startClock,
  TimerSpec,
  usedAt,
} from '@app/domain';
import { ClockWrite } from '../repositories/case.repository';
import { ClockDerived, SlaRepository, SlaSettings } from '../repositories/sla.repository';
import { TimerRepository } from '../repositories/timer.repository';

/**
 * The SLA configuration (calendar, settings, stage policies) as of one version of the
 * `sla_config_version` counter, which every write to the three tables bumps (migration
 * 1765400000000). A command reads the counter in a statement it sends anyway; while it
 * is unchanged, the calendar and policies come from memory.
 */
interface SlaConfigSnapshot {
  version: number;
  calendar: BusinessCalendar;
  settings: SlaSettings;
  policies: Map<string, StageSlaPolicy | null>;
}

/** Where a command collects the clock write, so it goes out with the case row's UPDATE. */
export interface ClockSink {
  write?: ClockWrite;
}

/**
 * The SLA clock of a case, moved inside the command's transaction (the case row is
 * locked by the caller). Shared by CaseCommit (transitions), the admin API (a policy
 * change moves every open clock of its stage) and the case view.
 *
 * With a `sink`, a clock write is collected there (CaseCommit folds it into the one
 * UPDATE of the case row); without one it is written at once.
 */
export class SlaClocks {
  private cached: SlaConfigSnapshot | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly sla: SlaRepository,
    private readonly timers: TimerRepository,
  ) {}

  /**
   * The configuration at `version` (as read in the caller's transaction): from memory
   * while the version is the cached one, else read (3 statements) and kept.
   */
  async atVersion(em: EntityManager, version: number): Promise<SlaConfigSnapshot> {
    if (this.cached && this.cached.version === version) return this.cached;
    const [settings, closures] = await Promise.all([this.sla.settings(em), this.sla.closureDays(em)]);
    const policies = new Map<string, StageSlaPolicy | null>();
    for (const p of await this.sla.policies(em)) policies.set(p.stage, { stage: p.stage, target: p.target, atRiskAt: p.atRiskAt, ladder: p.ladder });
    const snap: SlaConfigSnapshot = {
      version,
      settings,
      policies,
      calendar: BusinessCalendar.of({
        zone: this.config.timezone,
        division: this.config.holidayDivision,
        hours: settings.hours,
        closureDays: closures.map((c) => c.day),
      }),
    };
    if (version > 0) this.cached = snap;
    return snap;
  }

  /** The calendar as the database holds it now (uncached: the admin path and callers without a version). */
  calendar(em: EntityManager): Promise<BusinessCalendar> {
    return this.sla.calendar(em, this.config.timezone, this.config.holidayDivision);
  }

  private derived(clock: SlaClock, cal: BusinessCalendar, now: Date): ClockDerived {
    return { dueAt: dueAt(clock, cal), atRiskFrom: atRiskFrom(clock, cal), state: slaStateOf(clock, usedAt(clock, cal, now)) };
  }

  private async save(em: EntityManager, caseId: string, clock: SlaClock | null, cal: BusinessCalendar, now: Date, sink?: ClockSink): Promise<void> {
    const d = clock ? this.derived(clock, cal, now) : { dueAt: null, atRiskFrom: null, state: null };
    if (sink) sink.write = { clock, ...d };
    else await this.sla.saveClock(em, caseId, clock, d);
  }

  private async policy(em: EntityManager, stage: string, snap?: SlaConfigSnapshot): Promise<StageSlaPolicy | null> {
    if (!isSlaStage(stage)) return null;
    if (snap) return snap.policies.get(stage) ?? null;
    return this.sla.policy(em, stage);
  }

  async clear(em: EntityManager, caseId: string, sink?: ClockSink): Promise<void> {
    if (sink) sink.write = { clock: null, dueAt: null, atRiskFrom: null, state: null };
    else await this.sla.saveClock(em, caseId, null, { dueAt: null, atRiskFrom: null, state: null });
  }

  /** Entering a stage: a fresh clock and its ladder, or no clock where the stage has no policy. */
  async enter(
    em: EntityManager,
    caseId: string,
    stage: CaseState,
    now: Date,
    cal: BusinessCalendar,
    sink?: ClockSink,
    snap?: SlaConfigSnapshot,
  ): Promise<TimerSpec[]> {
    const policy = await this.policy(em, stage, snap);
    if (!policy) {
      await this.clear(em, caseId, sink);
      return [];
    }
    const { clock, timers } = startClock(policy, cal, now);
    await this.save(em, caseId, clock, cal, now, sink);
    return timers;
  }

  /** Awaiting information: the time used is kept; the caller has cancelled the stage's timers. */
  async pause(em: EntityManager, caseId: string, now: Date, cal: BusinessCalendar, sink?: ClockSink): Promise<void> {
    const clock = await this.sla.clock(em, caseId);
    if (clock) await this.save(em, caseId, pauseClock(clock, cal, now), cal, now, sink);
  }

  /** Back from awaiting information: resume the stage's clock (its due date moves by the pause), or start one. */
  async resume(
    em: EntityManager,
    caseId: string,
    stage: CaseState,
    now: Date,
    cal: BusinessCalendar,
    sink?: ClockSink,
    snap?: SlaConfigSnapshot,
  ): Promise<TimerSpec[]> {
    const clock = await this.sla.clock(em, caseId);
    const policy = await this.policy(em, stage, snap);
    if (!clock || clock.stage !== stage || !policy) return this.enter(em, caseId, stage, now, cal, sink, snap);
    const next = resumeClock(clock, policy, cal, now);
    await this.save(em, caseId, next.clock, cal, now, sink);
    return next.timers;
  }

  /** The researcher's reminders before the reply is due, and the lapse. */
  async informationTimers(em: EntityManager, replyByInstant: Date, now: Date, cal: BusinessCalendar, snap?: SlaConfigSnapshot): Promise<TimerSpec[]> {
    const s = snap ? snap.settings : await this.sla.settings(em);
    return informationTimers(replyByInstant, s.informationReminders, cal, now);
  }

  /**
   * A changed policy moves the due dates of every open clock of its stage: the ladder's
   * pending rows are cancelled and new rows inserted (a row's due time never changes).
   */
  async applyPolicy(em: EntityManager, policy: StageSlaPolicy, now: Date): Promise<{ moved: number }> {
    const cal = await this.calendar(em);
    let moved = 0;
    for (const row of await this.sla.lockCasesWithClock(em, policy.stage)) {
      const clock = await this.sla.clock(em, row.id);
      if (!clock) continue;
      const next = reanchorClock(clock, policy, cal, now);
      if (clock.anchorAt && row.state === policy.stage) {
        await this.timers.cancelLadderTimers(em, row.id);
        await this.timers.insert(em, row.id, policy.stage, now, next.timers);
        moved++;
      }
      await this.save(em, row.id, next.clock, cal, now);
    }
    return { moved };
  }

  async view(em: EntityManager, caseId: string, now = new Date()): Promise<SlaView | null> {
    const clock = await this.sla.clock(em, caseId);
    if (!clock || !isSlaStage(clock.stage)) return null;
    return slaView(clock, await this.calendar(em), now);
  }

  /** The view of a clock the caller already read, with the calendar at `version` (no read while cached). */
  async viewOf(em: EntityManager, clock: SlaClock | null, version: number, now = new Date()): Promise<SlaView | null> {
    if (!clock || !isSlaStage(clock.stage)) return null;
    return slaView(clock, (await this.atVersion(em, version)).calendar, now);
  }
}
