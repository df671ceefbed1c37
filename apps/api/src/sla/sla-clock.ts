import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import {
  atRiskFrom, BusinessCalendar, CaseState, dueAt, informationTimers, isSlaStage, pauseClock, reanchorClock, resumeClock, SlaClock,
  slaStateOf, slaView, SlaView, StageSlaPolicy, startClock, TimerSpec, usedAt,
} from '@app/domain';
import { ClockDerived, SlaRepository, TimerRepository } from '@app/persistence';

/**
 * The SLA clock of a case, moved inside the command's transaction (the case row is
 * locked by the caller). Shared by CaseService (transitions) and the admin API (a
 * policy change moves every open clock of its stage).
 */
export class SlaClocks {
  constructor(
    private readonly config: AppConfig,
    private readonly sla: SlaRepository,
    private readonly timers: TimerRepository,
  ) {}

  calendar(em: EntityManager): Promise<BusinessCalendar> {
    return this.sla.calendar(em, this.config.timezone, this.config.holidayDivision);
  }

  private derived(clock: SlaClock, cal: BusinessCalendar, now: Date): ClockDerived {
    return { dueAt: dueAt(clock, cal), atRiskFrom: atRiskFrom(clock, cal), state: slaStateOf(clock, usedAt(clock, cal, now)) };
  }

  private async save(em: EntityManager, caseId: string, clock: SlaClock | null, cal: BusinessCalendar, now: Date): Promise<void> {
    await this.sla.saveClock(em, caseId, clock, clock ? this.derived(clock, cal, now) : { dueAt: null, atRiskFrom: null, state: null });
  }

  async clear(em: EntityManager, caseId: string): Promise<void> {
    await this.sla.saveClock(em, caseId, null, { dueAt: null, atRiskFrom: null, state: null });
  }

  /** Entering a stage: a fresh clock and its ladder, or no clock where the stage has no policy. */
  async enter(em: EntityManager, caseId: string, stage: CaseState, now: Date, cal: BusinessCalendar): Promise<TimerSpec[]> {
    const policy = await this.sla.policy(em, stage);
    if (!policy) {
      await this.clear(em, caseId);
      return [];
    }
    const { clock, timers } = startClock(policy, cal, now);
    await this.save(em, caseId, clock, cal, now);
    return timers;
  }

  /** Awaiting information: the time used is kept; the caller has cancelled the stage's timers. */
  async pause(em: EntityManager, caseId: string, now: Date, cal: BusinessCalendar): Promise<void> {
    const clock = await this.sla.clock(em, caseId);
    if (clock) await this.save(em, caseId, pauseClock(clock, cal, now), cal, now);
  }

  /** Back from awaiting information: resume the stage's clock (its due date moves by the pause), or start one. */
  async resume(em: EntityManager, caseId: string, stage: CaseState, now: Date, cal: BusinessCalendar): Promise<TimerSpec[]> {
    const clock = await this.sla.clock(em, caseId);
    const policy = await this.sla.policy(em, stage);
    if (!clock || clock.stage !== stage || !policy) return this.enter(em, caseId, stage, now, cal);
    const next = resumeClock(clock, policy, cal, now);
    await this.save(em, caseId, next.clock, cal, now);
    return next.timers;
  }

  /** The researcher's reminders before the reply is due, and the lapse. */
  async informationTimers(em: EntityManager, replyByInstant: Date, now: Date, cal: BusinessCalendar): Promise<TimerSpec[]> {
    const s = await this.sla.settings(em);
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
}
