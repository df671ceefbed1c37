import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import {
  ACTION_BODY_SCHEMAS, ACTION_LABELS, ActionName, Actor, actingSigners, answerProblems, availableActions, CaseAnswers,
  CaseFacts, CaseState, decide, DomainError, ErrorCode, isActionName, isStaff,
  missingFields, RiskLevel, TERMINAL_STATES, TimerSpec,
  assessmentProblems, ExportAssessmentInput, licenceGate, licenceReminderDate, firsOutstanding, FirsRecord,
} from '@app/domain';
import {
  AuditRepository, CaseEntity, CaseEventEntity, CaseRepository, OutboxRepository, ProposedDecision, SlaRepository, TimerRepository,
  UserRepository, Viewer, DecisionTimerRepository,
} from '@app/persistence';
import { SlaClocks } from '../sla/sla-clock';
import { CurrentUser } from '../common/request-context';
import { ActionValidator } from './action-validator';
import { ScreeningService } from '../screening/screening.service';
import { openLinkedDraft } from '../re-review/linked-case';

type Body = Record<string, any>; // validated against ACTION_BODY_SCHEMAS before use

interface Effect {
  /** What the audit event records beyond actor/action/from/to. */
  payload: Record<string, unknown>;
  /** Case-scoped timers this action opens (stage timers follow from the new state). */
  caseTimers?: TimerSpec[];
}

export interface AvailableAction {
  name: ActionName;
  label: string;
  schema: unknown;
}

function actorOf(user: CurrentUser): Actor {
  return { id: user.id, roles: user.roles };
}

/** Reply-by dates end at close of business in the institution's zone. */
function endOfBusiness(date: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).set({ hour: 17, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

function searchText(c: CaseEntity): string {
  const partners = (c.answers.partners ?? []).map((p) => `${p.name} ${p.country}`).join(' ');
  return `${c.reference} ${c.title} ${partners}`.toLowerCase();
}

@Injectable()
export class CaseService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly cases: CaseRepository,
    private readonly audit: AuditRepository,
    private readonly timers: TimerRepository,
    private readonly outbox: OutboxRepository,
    private readonly users: UserRepository,
    private readonly validator: ActionValidator,
    private readonly screening: ScreeningService,
    sla: SlaRepository,
    private readonly decisionTimerRows: DecisionTimerRepository,
  ) {
    this.clocks = new SlaClocks(config, sla, timers);
  }

  /** The SLA clock of the stage a case is in (see apps/api/src/sla). */
  readonly clocks: SlaClocks;

  today(): string {
    return DateTime.now().setZone(this.config.timezone).toISODate()!;
  }

  async viewer(em: EntityManager, user: CurrentUser): Promise<Viewer> {
    const today = this.today();
    if (isStaff(user.roles)) return { id: user.id, staff: true, today };
    const signing = await this.users.viewerSigning(em, user.id, today);
    // A head who has since handed the department over still sees what they signed.
    return { id: user.id, staff: false, today, signing: { ...signing, hasSigned: signing.hasSigned || user.roles.has('department_head') } };
  }

  /** Loads a case the user may see, or answers 404 as if it did not exist. */
  async getVisible(em: EntityManager, id: string, user: CurrentUser, lock = false): Promise<CaseEntity> {
    const c = lock ? await this.cases.lockById(em, id) : await this.cases.findById(em, id);
    // Staff visibility needs nothing beyond the row itself; everyone else's is the SQL rule.
    const visible = c && (isStaff(user.roles)
      ? c.state !== 'draft' || c.ownerId === user.id
      : c.ownerId === user.id || (await this.cases.isVisible(em, id, await this.viewer(em, user))));
    if (!c || !visible) {
      throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${id} exists, or you may not see it.`);
    }
    return c;
  }

  async facts(em: EntityManager, c: CaseEntity): Promise<CaseFacts> {
    // Before submit the department is the owner's current one; from submit on, the snapshot.
    const signing = await this.users.signingForCase(em, c.ownerId, c.departmentId);
    return {
      state: c.state,
      ownerId: c.ownerId,
      assigneeId: c.assigneeId,
      triagedById: c.triagedById,
      riskLevel: c.riskLevel,
      triageStale: c.triageStale,
      exportReviewRequired: c.exportReviewRequired,
      exportReviewCompleted: c.exportReviewCompleted,
      openBlockingFlags: await this.cases.openBlockingFlagCount(em, c.id),
      returnState: c.returnState,
      questionnaireMissing: missingFields(c.title, c.answers).map((p) => p.field),
      signers: actingSigners(signing, c.ownerId, this.today()),
      firsOutstanding: firsOutstanding(c.answers, c.triage?.firs as FirsRecord | undefined),
    };
  }

  async createDraft(user: CurrentUser, title: string | undefined, answers: unknown): Promise<CaseEntity> {
    if (!user.roles.has('researcher')) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only researchers open cases; ask an administrator for the researcher role.');
    }
    this.assertAnswers(answers ?? {});
    return this.ds.transaction(async (em) => {
      const now = new Date();
      const reference = await this.cases.nextReference(em, DateTime.now().setZone(this.config.timezone).year);
      const c = await this.cases.create(em, {
        reference, ownerId: user.id, title: title ?? '', answers: (answers ?? {}) as CaseAnswers,
        departmentId: user.departmentId, createdAt: now, updatedAt: now, stageEnteredAt: now,
      });
      c.searchText = searchText(c);
      await this.cases.save(em, c);
      await this.audit.appendCaseEvent(em, { caseId: c.id, actorId: user.id, action: 'create', fromState: null, toState: 'draft', payload: { reference } });
      return c;
    });
  }

  private assertAnswers(answers: unknown): void {
    const problems = answerProblems(answers);
    if (problems.length) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, problems.map((p) => p.message).join(' '), { fields: problems });
    }
  }

  /** The owner edits a draft; answers given replace those keys, the rest are kept. */
  async updateDraft(user: CurrentUser, id: string, patch: { title?: string; answers?: Record<string, unknown>; expectedVersion?: number }): Promise<CaseEntity> {
    return this.ds.transaction(async (em) => {
      const c = await this.getVisible(em, id, user, true);
      if (c.ownerId !== user.id) throw new DomainError(ErrorCode.NOT_ALLOWED_FOR_ROLE, 'Only the researcher who owns this case may edit it.');
      if (c.state !== 'draft') throw new DomainError(ErrorCode.INVALID_TRANSITION, `This case is ${c.state}, not a draft: it can no longer be edited. Use an amendment or answer an information request instead.`);
      if (patch.expectedVersion !== undefined && patch.expectedVersion !== c.version) {
        throw new DomainError(ErrorCode.STALE_VERSION, `The case changed since you loaded it (version ${c.version}, you had ${patch.expectedVersion}); reload and try again.`);
      }
      const answers = { ...c.answers, ...(patch.answers ?? {}) } as CaseAnswers;
      this.assertAnswers(answers);
      const changed = [...(patch.title !== undefined && patch.title !== c.title ? ['title'] : []), ...Object.keys(patch.answers ?? {})];
      c.title = patch.title ?? c.title;
      c.answers = answers;
      c.searchText = searchText(c);
      c.version += 1;
      c.updatedAt = new Date();
      await this.cases.save(em, c);
      await this.audit.appendCaseEvent(em, { caseId: c.id, actorId: user.id, action: 'edit_draft', fromState: 'draft', toState: 'draft', payload: { changed } });
      return c;
    });
  }

  async actionsFor(user: CurrentUser, id: string): Promise<AvailableAction[]> {
    const em = this.ds.manager;
    const c = await this.getVisible(em, id, user);
    const names = availableActions(await this.facts(em, c), actorOf(user));
    return names.map((name) => ({ name, label: ACTION_LABELS[name], schema: ACTION_BODY_SCHEMAS[name] }));
  }

  /**
   * The one method that applies any transition: lock the case row, check the table and
   * guards, write the new state, append the event, cancel and open timers by scope,
   * and write outbox rows for the emails, all in one transaction.
   */
  async act(user: CurrentUser, id: string, action: string, rawBody: unknown): Promise<{ case: CaseEntity; event: CaseEventEntity }> {
    if (!isActionName(action)) throw new DomainError(ErrorCode.UNKNOWN_ACTION, `There is no action called "${action}".`);
    const body = this.validator.validate<Body>(action, rawBody);
    return this.ds.transaction(async (em) => {
      const c = await this.getVisible(em, id, user, true);
      if (body.expectedVersion !== undefined && body.expectedVersion !== c.version) {
        throw new DomainError(ErrorCode.STALE_VERSION, `The case changed since you loaded it (it is at version ${c.version}, you sent ${body.expectedVersion}); reload and try again.`);
      }
      const facts = await this.facts(em, c);
      const decision = decide(action, facts, actorOf(user));
      if (!decision.allowed) {
        const details = decision.code === ErrorCode.QUESTIONNAIRE_INCOMPLETE ? { fields: missingFields(c.title, c.answers) } : undefined;
        throw new DomainError(decision.code, decision.message, details);
      }
      const from = c.state;
      const to = decision.to;
      const now = new Date();
      const effect = await this.applyEffect(em, action, c, body, user, facts, to, now);
      c.state = to;
      c.version += 1;
      c.updatedAt = now;
      if (to !== from) c.stageEnteredAt = now;
      if (TERMINAL_STATES.includes(to) && !TERMINAL_STATES.includes(from)) c.closedAt = now;
      c.searchText = searchText(c);
      await this.cases.update(em, c);
      const event = await this.audit.appendCaseEvent(em, { caseId: c.id, actorId: user.id, action, fromState: from, toState: to, payload: effect.payload });
      await this.moveTimers(em, c, from, to, now, effect.caseTimers ?? []);
      await this.outbox.add(em, {
        topic: 'case-event', caseId: c.id, eventId: event.id,
        payload: { action, fromState: from, toState: to, reference: c.reference, actorId: user.id },
      });
      return { case: c, event };
    });
  }

  /**
   * Leaving a stage cancels its timers; entering one starts its SLA clock and ladder.
   * Awaiting information pauses the clock (the researcher's reminders run instead);
   * returning from it resumes the clock, so the due date moves by the pause.
   */
  private async moveTimers(em: EntityManager, c: CaseEntity, from: CaseState, to: CaseState, now: Date, caseTimers: TimerSpec[]): Promise<void> {
    const closing = TERMINAL_STATES.includes(to) && !TERMINAL_STATES.includes(from);
    if (closing) await this.timers.cancelAllTimers(em, c.id);
    else if (to !== from) await this.timers.cancelStageTimers(em, c.id);
    const specs: TimerSpec[] = [];
    if (closing) await this.clocks.clear(em, c.id);
    else if (to !== from) {
      const cal = await this.clocks.calendar(em);
      if (to === 'awaiting_information') {
        await this.clocks.pause(em, c.id, now, cal);
        if (c.informationRequest) specs.push(...await this.clocks.informationTimers(em, endOfBusiness(c.informationRequest.replyBy, this.config.timezone), now, cal));
      } else if (from === 'awaiting_information') {
        specs.push(...await this.clocks.resume(em, c.id, to, now, cal));
      } else {
        specs.push(...await this.clocks.enter(em, c.id, to, now, cal));
      }
    }
    await this.timers.insert(em, c.id, to, now, [...specs, ...caseTimers]);
  }

  private async assertStaffUser(em: EntityManager, userId: string, role: 'rsdo_officer' | 'export_control', field: string, ownerId: string): Promise<string> {
    const u = await this.users.findById(em, userId);
    const roles = new Set(u?.roles ?? []);
    const holds = role === 'rsdo_officer' ? roles.has('rsdo_officer') || roles.has('rsdo_lead') : roles.has('export_control');
    if (!u || !u.active || !holds) {
      const what = role === 'rsdo_officer' ? 'an active RSDO officer' : 'an active export-control officer';
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field}: ${userId} is not ${what}.`, { fields: [{ field, message: `must be ${what}` }] });
    }
    if (u.id === ownerId) {
      throw new DomainError(ErrorCode.SEGREGATION_OF_DUTIES, `${field}: ${u.name} submitted this case and cannot also review it.`);
    }
    return u.name;
  }

  private triageRecord(body: Body, user: CurrentUser, proposed: RiskLevel | null, now: Date) {
    if (proposed && proposed !== body.riskLevel && !body.comment?.trim()) {
      throw new DomainError(ErrorCode.COMMENT_REQUIRED, `comment: explain why you set ${body.riskLevel} when the system proposed ${proposed}.`);
    }
    return { riskLevel: body.riskLevel, route: body.route ?? null, exportControlRelevant: body.exportControlRelevant, comment: body.comment ?? null, byId: user.id, at: now.toISOString(), proposedRiskLevel: proposed };
  }

  private decisionFrom(body: Body): ProposedDecision {
    return { decisionText: body.decisionText, conditions: (body.conditions ?? []).map((x: { text: string; dueDate?: string }) => ({ ...x })), reviewDate: body.reviewDate };
  }

  private outcomeOf(d: ProposedDecision | null): string {
    return d && d.conditions.length > 0 ? 'approved_with_conditions' : 'approved';
  }

  private assertFutureDate(field: string, date: string): void {
    if (date < this.today()) throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field}: ${date} is in the past; choose today or a later date.`, { fields: [{ field, message: 'must not be in the past' }] });
  }

  /** Per-action changes to the case beyond its state. Runs under the row lock. */
  private async applyEffect(em: EntityManager, action: ActionName, c: CaseEntity, body: Body, user: CurrentUser, facts: CaseFacts, to: CaseState, now: Date): Promise<Effect> {
    switch (action) {
      case 'submit': {
        const owner = await this.users.findById(em, c.ownerId);
        c.departmentId = owner?.departmentId ?? c.departmentId; // snapshot: who signs is decided by the department at submit
        c.submittedAt = now;
        const intake = await this.screening.onSubmit(em, c, user.id);
        return { payload: { departmentId: c.departmentId, ...intake } };
      }
      case 'assign': {
        const name = await this.assertStaffUser(em, body.assigneeId, 'rsdo_officer', 'assigneeId', c.ownerId);
        const previous = c.assigneeId;
        c.assigneeId = body.assigneeId;
        return { payload: { assigneeId: body.assigneeId, assigneeName: name, previousAssigneeId: previous } };
      }
      case 'triage':
      case 'retriage': {
        const triage = this.triageRecord(body, user, c.proposedRiskLevel, now);
        c.triage = { ...triage, firs: body.firs ?? c.triage?.firs ?? null };
        c.riskLevel = body.riskLevel;
        c.triagedById = user.id;
        c.triageStale = false;
        c.exportReviewRequired = body.exportControlRelevant;
        if (!c.assigneeId) c.assigneeId = user.id;
        return { payload: { riskLevel: triage.riskLevel, route: triage.route, exportControlRelevant: triage.exportControlRelevant, comment: triage.comment } };
      }
      case 'start_export_review': {
        const name = await this.assertStaffUser(em, body.reviewerId, 'export_control', 'reviewerId', c.ownerId);
        c.exportReviewerId = body.reviewerId;
        return { payload: { reviewerId: body.reviewerId, reviewerName: name, note: body.note ?? null } };
      }
      case 'complete_export_review': {
        const input = body as ExportAssessmentInput;
        const problems = assessmentProblems(input);
        if (problems.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, problems.map((p) => p.message).join(' '), { fields: problems });
        const held = licenceGate(input.outcome);
        if (held) throw new DomainError(ErrorCode.LICENCE_NOT_GRANTED, held);
        const { expectedVersion: _v, ...recorded } = body;
        c.exportAssessment = { ...recorded, byId: user.id, at: now.toISOString() };
        c.exportReviewCompleted = true;
        return { payload: { ...recorded }, caseTimers: this.licenceTimers(c) };
      }
      case 'request_sign_off': {
        c.proposedDecision = this.decisionFrom(body);
        return { payload: { proposedDecision: c.proposedDecision, signers: facts.signers } };
      }
      case 'endorse': {
        c.signedBy = [...new Set([...c.signedBy, user.id])];
        if (to === 'approved') {
          c.decision = c.proposedDecision;
          c.outcome = this.outcomeOf(c.decision);
        }
        return {
          payload: { comment: body.comment ?? null, ...await this.signedAs(em, c, user, facts) },
          caseTimers: to === 'approved' ? [...this.decisionTimers(c.decision), ...this.licenceTimers(c)] : [],
        };
      }
      case 'decline': {
        c.signedBy = [...new Set([...c.signedBy, user.id])];
        c.triageStale = true;
        return { payload: { comment: body.comment, ...await this.signedAs(em, c, user, facts) } };
      }
      case 'approve': {
        if (c.state === 'triaged') {
          if (!body.decisionText?.trim()) {
            throw new DomainError(ErrorCode.VALIDATION_FAILED, 'decisionText: an officer approving a low-risk case must record the decision text.', { fields: [{ field: 'decisionText', message: 'is required' }] });
          }
          c.decision = this.decisionFrom(body);
        } else {
          c.decision = body.decisionText ? this.decisionFrom(body) : c.proposedDecision;
        }
        c.outcome = this.outcomeOf(c.decision);
        return { payload: { decision: c.decision, comment: body.comment ?? null }, caseTimers: [...this.decisionTimers(c.decision), ...this.licenceTimers(c)] };
      }
      case 'reject': {
        c.rejection = { reasonCategory: body.reasonCategory, reasonText: body.reasonText };
        c.outcome = body.reasonCategory === 'not_in_scope' ? 'not_in_scope' : 'rejected';
        return { payload: { reasonCategory: body.reasonCategory, reasonText: body.reasonText } };
      }
      case 'request_information': {
        this.assertFutureDate('replyBy', body.replyBy);
        c.returnState = c.state;
        c.informationRequest = { question: body.question, replyBy: body.replyBy, askedById: user.id, askedAt: now.toISOString() };
        return { payload: { question: body.question, replyBy: body.replyBy, returnState: c.state } };
      }
      case 'respond': {
        const changes = (body.changes ?? {}) as Record<string, unknown>;
        const diff: Record<string, { from: unknown; to: unknown }> = {};
        const answers = { ...c.answers } as Record<string, unknown>;
        for (const [k, v] of Object.entries(changes)) {
          if (JSON.stringify(answers[k]) !== JSON.stringify(v)) diff[k] = { from: answers[k] ?? null, to: v };
          answers[k] = v;
        }
        this.assertAnswers(answers);
        c.answers = answers as CaseAnswers;
        const question = c.informationRequest?.question ?? null;
        c.informationRequest = null;
        c.returnState = null;
        const rescored = Object.keys(diff).length ? await this.screening.onAnswersChanged(em, c, user.id, 'respond') : null;
        return { payload: { message: body.message, question, diff, ...(rescored ? { rescored } : {}) } };
      }
      case 'extend_deadline': {
        this.assertFutureDate('replyBy', body.replyBy);
        const previous = c.informationRequest?.replyBy ?? null;
        if (c.informationRequest) c.informationRequest = { ...c.informationRequest, replyBy: body.replyBy };
        // A moved deadline never reuses a timer id: cancel and insert afresh.
        await this.timers.cancelStageTimers(em, c.id);
        await this.timers.insert(em, c.id, c.state, now,
          await this.clocks.informationTimers(em, endOfBusiness(body.replyBy, this.config.timezone), now, await this.clocks.calendar(em)));
        return { payload: { replyBy: body.replyBy, previousReplyBy: previous } };
      }
      case 'cancel_request': {
        c.informationRequest = null;
        c.returnState = null;
        return { payload: { comment: body.comment ?? null } };
      }
      case 'withdraw': {
        c.outcome = 'withdrawn';
        return { payload: { reason: body.reason ?? null } };
      }
      case 'record_condition_met': {
        const conditions = c.decision?.conditions ?? [];
        const cond = conditions[body.conditionIndex];
        if (!cond) throw new DomainError(ErrorCode.VALIDATION_FAILED, `conditionIndex: the decision has ${conditions.length} condition(s); there is no condition ${body.conditionIndex}.`);
        if (cond.metAt) throw new DomainError(ErrorCode.CONFLICT, `Condition ${body.conditionIndex} ("${cond.text}") was already recorded as met.`);
        c.decision = { ...c.decision!, conditions: conditions.map((x, i) => (i === body.conditionIndex ? { ...x, metAt: now.toISOString(), metById: user.id, note: body.note } : x)) };
        const closedTimers = await this.decisionTimerRows.cancelConditionTimer(em, c.id, body.conditionIndex);
        return { payload: { conditionIndex: body.conditionIndex, condition: cond.text, note: body.note ?? null, closedTimerIds: closedTimers } };
      }
      case 'request_amendment': {
        const linked = await openLinkedDraft(
          { cases: this.cases, audit: this.audit, timezone: this.config.timezone, searchText },
          em, c, user.id, now, { kind: 'amendment', description: body.description, changeType: body.changeType },
        );
        return { payload: { linkedCaseId: linked.id, linkedReference: linked.reference, description: body.description, changeType: body.changeType ?? null } };
      }
      case 'flag': {
        const flag = await this.cases.addFlag(em, { caseId: c.id, kind: 'manual', blocking: body.blocking, reason: body.reason, raisedById: user.id });
        return { payload: { flagId: flag.id, blocking: body.blocking, reason: body.reason } };
      }
      case 'clear_flag': {
        const ok = await this.cases.resolveFlag(em, c.id, body.flagId, user.id, body.resolution, body.reason);
        if (!ok) throw new DomainError(ErrorCode.VALIDATION_FAILED, `flagId: there is no open flag ${body.flagId} on this case.`, { fields: [{ field: 'flagId', message: 'is not an open flag of this case' }] });
        return { payload: { flagId: body.flagId, resolution: body.resolution, reason: body.reason } };
      }
    }
  }

  /**
   * Who signed and for whom: the audit names the acting signer (the event's actor) and,
   * when a delegate or the RSDO lead signed, the head they acted for.
   */
  private async signedAs(em: EntityManager, c: CaseEntity, user: CurrentUser, facts: CaseFacts) {
    const head = (await this.users.departmentSigning(em, c.departmentId)).headUserId;
    const signedAs = facts.signers.leadSigns ? 'rsdo_lead' : head === user.id ? 'head' : 'delegate';
    return { signedAs, signerId: user.id, headId: head, actingForHeadId: head && head !== user.id && !facts.signers.leadSigns ? head : null, leadSigns: facts.signers.leadSigns };
  }

  /** A granted licence's expiry: a case-scoped reminder 30 days before (re-opened on approval, which closes the stage's timers). */
  private licenceTimers(c: CaseEntity): TimerSpec[] {
    const licence = (c.exportAssessment as ExportAssessmentInput | null)?.licence;
    if (c.exportAssessment?.outcome !== 'licence_granted' || !licence?.expiresOn) return [];
    return [{
      kind: 'licence_expiry', scope: 'case', dueAt: endOfBusiness(licenceReminderDate(licence.expiresOn, this.today()), this.config.timezone),
      payload: { licenceReference: licence.reference ?? null, expiresOn: licence.expiresOn },
    }];
  }

  /** Condition due dates and the re-review date become case-scoped timers. */
  private decisionTimers(d: ProposedDecision | null): TimerSpec[] {
    if (!d) return [];
    const specs: TimerSpec[] = d.conditions.flatMap((x, conditionIndex) => (x.dueDate
      ? [{ kind: 'condition_due', scope: 'case' as const, dueAt: endOfBusiness(x.dueDate, this.config.timezone), payload: { conditionIndex, condition: x.text } }]
      : []));
    const review = d.reviewDate ?? DateTime.now().setZone(this.config.timezone).plus({ months: 12 }).toISODate()!;
    specs.push({ kind: 're_review', scope: 'case', dueAt: endOfBusiness(review, this.config.timezone) });
    return specs;
  }
}
