import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CaseState, DomainError, ErrorCode, FINAL_STATES, OutboxMessage, TERMINAL_STATES, TimerSpec } from '@app/domain';
import { CaseEntity } from '../entities/case.entity';
import { CaseEventEntity } from '../entities/event.entity';
import { AuditRepository } from '../repositories/audit.repository';
import { CaseRepository } from '../repositories/case.repository';
import { SlaRepository } from '../repositories/sla.repository';
import { TimerRepository } from '../repositories/timer.repository';
import { ClockSink, SlaClocks } from './sla-clock';

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
  /**
   * What the caller already read under the row lock (CaseRepository.commandFacts): the
   * audit chain's head and the SLA configuration's version. Without it the commit reads
   * the chain head itself and the SLA configuration uncached.
   */
  known?: { chainHead: { seq: number; hash: string } | null; slaVersion: number };
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
    throw new DomainError(
      ErrorCode.STALE_VERSION,
      `The case changed since you loaded it (it is at version ${c.version}, you sent ${expected}); reload and try again.`,
    );
  }
}

/**
 * The one path for every change to a case (API and worker; it lives in libs/persistence
 * so the worker needs nothing from apps/api). The caller holds the case row lock
 * (CaseRepository.lockById) in the transaction `em` and has applied its change to the
 * entity; `commit` then does the bookkeeping every change shares: bump the version,
 * stamp the times, refresh the search text, move the SLA clock (a transition closes the
 * stage's timers and opens the next stage's clock), write the row and the clock in one
 * UPDATE, append the audit event, and write the timers and outbox rows in one statement.
 * A triage is 3 statements here (issue 17).
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
    private readonly sla: SlaRepository,
  ) {
    this.clocks = new SlaClocks(config, sla, timers);
  }

  async commit(em: EntityManager, c: CaseEntity, change: CaseChange): Promise<CaseEventEntity> {
    const now = change.now ?? new Date();
    const from = change.from ?? c.state;
    const to = c.state;
    // The clock is decided first so its columns go out with the row.
    const sink: ClockSink = {};
    const moved = to !== from ? await this.moveTimers(em, c, from, to, now, sink, change.known?.slaVersion) : { cancel: null, specs: [] };
    if (change.rowChanged !== false) {
      c.version += 1;
      c.updatedAt = now;
      if (to !== from) c.stageEnteredAt = now;
      if (TERMINAL_STATES.includes(to) && !TERMINAL_STATES.includes(from)) c.closedAt = now;
      c.searchText = searchText(c);
      await this.cases.writeRow(em, c, sink.write);
    } else if (sink.write) {
      await this.sla.saveClock(em, c.id, sink.write.clock, sink.write);
    }
    const event = await this.audit.appendCaseEvent(
      em,
      {
        caseId: c.id,
        actorId: change.actorId,
        action: change.action,
        fromState: from,
        toState: to,
        payload: change.payload,
      },
      change.known ? change.known.chainHead : undefined,
    );
    await this.timers.writeCommand(em, {
      caseId: c.id,
      cancel: moved.cancel,
      stage: to,
      stageEnteredAt: now,
      timers: [...moved.specs, ...(change.timers ?? [])],
      eventId: event.id,
      outbox: (change.outbox ?? []).map((m) => ({ topic: m.topic, payload: m.payload })),
      now,
    });
    return event;
  }

  /** Opens a draft (a new case, or one linked to a parent) with the next reference, and audits its creation. */
  async openDraft(em: EntityManager, draft: NewDraft, actorId: string, payload: Record<string, unknown> = {}, now = new Date()): Promise<CaseEntity> {
    const reference = await this.cases.nextReference(em, DateTime.now().setZone(this.config.timezone).year);
    const c = await this.cases.create(em, {
      ...draft,
      reference,
      searchText: searchText({ reference, title: draft.title, answers: draft.answers }),
      createdAt: now,
      updatedAt: now,
      stageEnteredAt: now,
    });
    await this.audit.appendCaseEvent(em, { caseId: c.id, actorId, action: 'create', fromState: null, toState: 'draft', payload: { reference, ...payload } });
    return c;
  }

  /**
   * Leaving a stage cancels its timers; entering one starts its SLA clock and ladder.
   * Awaiting information pauses the clock (the researcher's reminders run instead);
   * returning from it resumes the clock, so the due date moves by the pause. The clock
   * goes to `sink`; the cancel and the new timers are returned for the one write.
   */
  private async moveTimers(
    em: EntityManager,
    c: CaseEntity,
    from: CaseState,
    to: CaseState,
    now: Date,
    sink: ClockSink,
    slaVersion?: number,
  ): Promise<{ cancel: 'stage' | 'all'; specs: TimerSpec[] }> {
    // Deciding a case ends every timer (the approval's own open after this); so does an
    // ending after approval (revoked). Approved <-> suspended keeps the collaboration's timers.
    if ((TERMINAL_STATES.includes(to) && !TERMINAL_STATES.includes(from)) || FINAL_STATES.includes(to)) {
      await this.clocks.clear(em, c.id, sink);
      return { cancel: 'all', specs: [] };
    }
    const snap = slaVersion !== undefined ? await this.clocks.atVersion(em, slaVersion) : undefined;
    const cal = snap ? snap.calendar : await this.clocks.calendar(em);
    const specs: TimerSpec[] = [];
    if (to === 'awaiting_information') {
      await this.clocks.pause(em, c.id, now, cal, sink);
      if (c.informationRequest)
        specs.push(...(await this.clocks.informationTimers(em, endOfBusiness(c.informationRequest.replyBy, this.config.timezone), now, cal, snap)));
    } else if (from === 'awaiting_information') {
      specs.push(...(await this.clocks.resume(em, c.id, to, now, cal, sink, snap)));
    } else {
      specs.push(...(await this.clocks.enter(em, c.id, to, now, cal, sink, snap)));
    }
    return { cancel: 'stage', specs };
  }
}
