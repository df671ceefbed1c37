import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CaseState, DomainError, ErrorCode, OutboxMessage, TERMINAL_STATES, TimerSpec } from '@app/domain';
import {
  AuditRepository, CaseEntity, CaseEventEntity, CaseRepository, OutboxRepository, SlaRepository, TimerRepository,
} from '@app/persistence';
import { SlaClocks } from '../sla/sla-clock';

/** An outbox message of a change (topic and typed payload); the case and the event it follows are filled in by the commit. */
export type OutboxDraft = OutboxMessage;

/** One change to a case, as the audit trail records it. */
export interface CaseChange {
  actorId: string | null;
  /** The audit action (a transition's name, or a side action: add_note, rescreen, …). */
  action: string;
  payload: Record<string, unknown>;
  /** The state before the change; the case's `state` is the state after. Defaults to no transition. */
  from?: CaseState;
  now?: Date;
  /**
   * False when only a row beside the case changed (a note, an attachment): the case row
   * keeps its version. Otherwise the version is bumped and the row written.
   */
  rowChanged?: boolean;
  /** Case-scoped timers the change opens (a stage's own timers follow from the transition). */
  timers?: TimerSpec[];
  /** The emails the change causes, relayed by the worker after commit. */
  outbox?: OutboxDraft[];
}

/** What a new draft is made of; the commit gives it its reference. */
export type NewDraft = Pick<CaseEntity, 'ownerId' | 'title' | 'answers' | 'departmentId'> & Partial<Pick<CaseEntity, 'parentCaseId'>>;

/** Text the case list searches: reference, title, partner names and countries. */
export function searchText(c: Pick<CaseEntity, 'reference' | 'title' | 'answers'>): string {
  const partners = (c.answers.partners ?? []).map((p) => `${p.name} ${p.country}`).join(' ');
  return `${c.reference} ${c.title} ${partners}`.toLowerCase();
}

/** Reply-by dates end at close of business in the institution's zone. */
export function endOfBusiness(date: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).set({ hour: 17, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

/**
 * Optimistic concurrency: a client that sent the version it last saw is refused if the
 * case moved on. Called under the row lock, before anything else is decided.
 */
export function assertExpectedVersion(c: Pick<CaseEntity, 'version'>, expected: number | undefined): void {
  if (expected !== undefined && expected !== c.version) {
    throw new DomainError(ErrorCode.STALE_VERSION, `The case changed since you loaded it (it is at version ${c.version}, you sent ${expected}); reload and try again.`);
  }
}

/**
 * The one path for every change to a case. The caller holds the case row lock
 * (CaseRepository.lockById) in the transaction `em` and has applied its change to the
 * entity; `commit` then does the bookkeeping every change shares, in this order:
 * bump the version, stamp the times, refresh the search text, write the row, append the
 * audit event, move the timers (a transition closes the stage's timers and opens the
 * next stage's SLA clock), and write the outbox rows for the worker.
 *
 * Nothing else calls AuditRepository.appendCaseEvent or bumps a case version
 * (test/unit/architecture.spec.ts keeps it so).
 */
@Injectable()
export class CaseCommit {
  /** The SLA clock of the stage a case is in (see apps/api/src/sla). */
  readonly clocks: SlaClocks;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cases: CaseRepository,
    private readonly audit: AuditRepository,
    private readonly timers: TimerRepository,
    private readonly outbox: OutboxRepository,
    sla: SlaRepository,
  ) {
    this.clocks = new SlaClocks(config, sla, timers);
  }

  async commit(em: EntityManager, c: CaseEntity, change: CaseChange): Promise<CaseEventEntity> {
    const now = change.now ?? new Date();
    const from = change.from ?? c.state;
    const to = c.state;
    if (change.rowChanged !== false) {
      c.version += 1;
      c.updatedAt = now;
      if (to !== from) c.stageEnteredAt = now;
      if (TERMINAL_STATES.includes(to) && !TERMINAL_STATES.includes(from)) c.closedAt = now;
      c.searchText = searchText(c);
      await this.cases.update(em, c);
    }
    const event = await this.audit.appendCaseEvent(em, {
      caseId: c.id, actorId: change.actorId, action: change.action, fromState: from, toState: to, payload: change.payload,
    });
    if (to !== from) await this.moveTimers(em, c, from, to, now);
    await this.timers.insert(em, c.id, to, now, change.timers ?? []);
    for (const m of change.outbox ?? []) await this.outbox.add(em, { ...m, caseId: c.id, eventId: event.id });
    return event;
  }

  /** Opens a draft (a new case, or one linked to a parent) with the next reference, and audits its creation. */
  async openDraft(em: EntityManager, draft: NewDraft, actorId: string, payload: Record<string, unknown> = {}, now = new Date()): Promise<CaseEntity> {
    const reference = await this.cases.nextReference(em, DateTime.now().setZone(this.config.timezone).year);
    const c = await this.cases.create(em, {
      ...draft, reference, searchText: searchText({ reference, title: draft.title, answers: draft.answers }),
      createdAt: now, updatedAt: now, stageEnteredAt: now,
    });
    await this.audit.appendCaseEvent(em, { caseId: c.id, actorId, action: 'create', fromState: null, toState: 'draft', payload: { reference, ...payload } });
    return c;
  }

  /**
   * Leaving a stage cancels its timers; entering one starts its SLA clock and ladder.
   * Awaiting information pauses the clock (the researcher's reminders run instead);
   * returning from it resumes the clock, so the due date moves by the pause.
   */
  private async moveTimers(em: EntityManager, c: CaseEntity, from: CaseState, to: CaseState, now: Date): Promise<void> {
    if (TERMINAL_STATES.includes(to) && !TERMINAL_STATES.includes(from)) {
      await this.timers.cancelAllTimers(em, c.id);
      await this.clocks.clear(em, c.id);
      return;
    }
    await this.timers.cancelStageTimers(em, c.id);
    const cal = await this.clocks.calendar(em);
    const specs: TimerSpec[] = [];
    if (to === 'awaiting_information') {
      await this.clocks.pause(em, c.id, now, cal);
      if (c.informationRequest) specs.push(...await this.clocks.informationTimers(em, endOfBusiness(c.informationRequest.replyBy, this.config.timezone), now, cal));
    } else if (from === 'awaiting_information') {
      specs.push(...await this.clocks.resume(em, c.id, to, now, cal));
    } else {
      specs.push(...await this.clocks.enter(em, c.id, to, now, cal));
    }
    await this.timers.insert(em, c.id, to, now, specs);
  }
}
