import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import {
  ACTION_BODY_SCHEMAS,
  actionLabel,
  ActionName,
  Actor,
  actingSigners,
  availableActions,
  blockedActions,
  CaseAnswers,
  CaseFacts,
  caseAccess,
  CaseParts,
  caseParts,
  CaseView,
  decide,
  DomainError,
  ErrorCode,
  isActionName,
  isStaff,
  missingFields,
  atasOutstanding,
  piConfirmationOutstanding,
  firsOutstanding,
  FirsRecord,
  todayIn,
} from '@app/domain';
import {
  CaseEntity,
  CaseEventEntity,
  CasePersonRepository,
  CasePersonRow,
  CaseRepository,
  OrganisationRepository,
  TimerRepository,
  UserRepository,
  Viewer,
} from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { assertExpectedVersion, CaseChange, CaseCommit } from '@app/persistence';
import { ActionValidator } from './action-validator';
import { CASE_SCREENING, CaseScreening } from '@app/screening';
import { Effect, EffectDeps, EFFECTS } from './effects';
import { assertAnswers } from './effects/shared';

export interface AvailableAction {
  name: ActionName;
  label: string;
  schema: unknown;
}

/** A body the validator accepted for the action at hand (its ActionBody; the effect registry ties the two). */
type ValidatedBody = { expectedVersion?: number };

function actorOf(user: CurrentUser): Actor {
  return { id: user.id, roles: user.roles };
}

/** Hard flags that come from a screening hit (risk.ts); they lapse once every hit is cleared. */
const SCREENING_HARD_FLAGS: ReadonlySet<string> = new Set(['sanctions_match', 'entity_list_us_origin', 'watch_list_very_high']);

@Injectable()
export class CaseService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly cases: CaseRepository,
    timers: TimerRepository,
    private readonly users: UserRepository,
    private readonly validator: ActionValidator,
    @Inject(CASE_SCREENING) screening: CaseScreening,
    private readonly commit: CaseCommit,
    private readonly people: CasePersonRepository,
    organisations: OrganisationRepository,
  ) {
    this.deps = { config, users, cases, timers, clocks: commit.clocks, commit, screening, organisations, today: () => this.today() };
  }

  private readonly deps: EffectDeps;

  today(): string {
    return todayIn(this.config.timezone);
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
    return (await this.access(em, id, user, lock)).case;
  }

  /**
   * The case and how this caller sees it (libs/domain/src/access.ts: researcher view for
   * the owner, staff view for other staff and signers), or 404 as for a missing case.
   */
  async access(
    em: EntityManager,
    id: string,
    user: CurrentUser,
    lock = false,
  ): Promise<{ case: CaseEntity; view: 'researcher' | 'staff'; parts: CaseParts; teamIds: string[] }> {
    const c = lock ? await this.cases.lockById(em, id) : await this.cases.findById(em, id);
    const team: string[] = [];
    const view = c ? await this.viewOf(em, c, user, undefined, team) : 'none';
    if (!c || view === 'none') {
      throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${id} exists, or you may not see it.`);
    }
    return { case: c, view, parts: caseParts(view), teamIds: team };
  }

  /**
   * The one rule, fed only what it needs: signing facts are read only for non-staff
   * non-owners of submitted cases. `knownTeam`: the research team the caller's
   * transaction already read (no command changes it); `teamOut` receives the team used.
   */
  async viewOf(em: EntityManager, c: CaseEntity, user: CurrentUser, knownTeam?: readonly string[], teamOut?: string[]): Promise<CaseView> {
    const teamIds = c.ownerId === user.id ? [] : [...(knownTeam ?? (await this.people.teamIds(em, c.id)))];
    teamOut?.push(...teamIds);
    const base = { ownerId: c.ownerId, state: c.state, submittedAt: c.submittedAt, departmentId: c.departmentId, signedBy: c.signedBy ?? [], teamIds };
    if (c.ownerId === user.id || teamIds.includes(user.id) || c.submittedAt === null || isStaff(user.roles)) {
      return caseAccess({ id: user.id, roles: user.roles, headOf: [], delegateFor: [] }, { ...base, departmentHeadId: null });
    }
    const signing = await this.users.viewerSigning(em, user.id, this.today());
    const dept = await this.users.signingForCase(em, c.ownerId, c.departmentId);
    return caseAccess(
      { id: user.id, roles: user.roles, headOf: signing.headOf, delegateFor: signing.delegateFor },
      { ...base, departmentHeadId: dept.headUserId },
    );
  }

  async facts(em: EntityManager, c: CaseEntity): Promise<CaseFacts> {
    return (await this.factsAndHead(em, c)).facts;
  }

  /**
   * The facts the rules decide on, read in one statement (CaseRepository.commandFacts),
   * with what the commit needs from the same read: the audit chain's head and the SLA
   * configuration's version.
   */
  private async factsAndHead(em: EntityManager, c: CaseEntity): Promise<{ facts: CaseFacts; known: NonNullable<CaseChange['known']> }> {
    // Before submit the department is the owner's current one; from submit on, the snapshot.
    const f = await this.cases.commandFacts(em, c.id, c.ownerId, c.departmentId);
    // The hard flags and export indicator of the latest risk assessment (four eyes on hard flags);
    // a screening match every hit of which an officer cleared as a false positive is no match.
    const codes = (f.latestAssessment?.hardFlags ?? []).map((x) => x.code).filter((code) => f.liveScreeningFlags > 0 || !SCREENING_HARD_FLAGS.has(code));
    const facts: CaseFacts = {
      state: c.state,
      ownerId: c.ownerId,
      assigneeId: c.assigneeId,
      triagedById: c.triagedById,
      riskLevel: c.riskLevel,
      triageStale: c.triageStale,
      exportReviewRequired: c.exportReviewRequired,
      exportReviewCompleted: c.exportReviewCompleted,
      openBlockingFlags: f.openBlockingFlags,
      returnState: c.returnState,
      questionnaireMissing: missingFields(c.title, c.answers).map((p) => p.field),
      signers: actingSigners(f.signing, c.ownerId, this.today()),
      firsOutstanding: firsOutstanding(c.answers, c.triage?.firs as FirsRecord | undefined),
      suspendedById: c.suspension?.byId ?? null,
      hardFlags: [...new Set(codes)],
      exportIndicated: f.latestAssessment?.exportIndicator ?? false,
      ...this.peopleFacts(f.people, c),
    };
    return { facts, known: { chainHead: f.chainHead, slaVersion: f.slaVersion } };
  }

  /** What approval waits for from the people named on the case: ATAS certificates, and the PI's confirmation (partners.ts). */
  private peopleFacts(people: readonly CasePersonRow[], c: CaseEntity): Pick<CaseFacts, 'atasOutstanding' | 'piConfirmationOutstanding'> {
    return { atasOutstanding: atasOutstanding(people, c.answers, this.today()), piConfirmationOutstanding: piConfirmationOutstanding(people, c.ownerId) };
  }

  async createDraft(user: CurrentUser, title: string | undefined, answers: unknown): Promise<CaseEntity> {
    if (!user.roles.has('researcher')) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only researchers open cases; ask an administrator for the researcher role.');
    }
    assertAnswers(answers ?? {});
    return this.ds.transaction((em) =>
      this.commit.openDraft(em, { ownerId: user.id, title: title ?? '', answers: (answers ?? {}) as CaseAnswers, departmentId: user.departmentId }, user.id),
    );
  }

  /** The owner edits a draft; answers given replace those keys, the rest are kept. */
  async updateDraft(
    user: CurrentUser,
    id: string,
    patch: { title?: string; answers?: Record<string, unknown>; expectedVersion?: number },
  ): Promise<CaseEntity> {
    return this.ds.transaction(async (em) => {
      const c = await this.getVisible(em, id, user, true);
      if (c.ownerId !== user.id && !(await this.people.teamIds(em, c.id)).includes(user.id)) {
        throw new DomainError(ErrorCode.NOT_ALLOWED_FOR_ROLE, 'Only the researcher who owns this case, or a co-investigator named on it, may edit it.');
      }
      if (c.state !== 'draft')
        throw new DomainError(
          ErrorCode.INVALID_TRANSITION,
          `This case is ${c.state}, not a draft: it can no longer be edited. Use an amendment or answer an information request instead.`,
        );
      assertExpectedVersion(c, patch.expectedVersion);
      const answers = { ...c.answers, ...(patch.answers ?? {}) } as CaseAnswers;
      assertAnswers(answers);
      const changed = [...(patch.title !== undefined && patch.title !== c.title ? ['title'] : []), ...Object.keys(patch.answers ?? {})];
      c.title = patch.title ?? c.title;
      c.answers = answers;
      await this.commit.commit(em, c, { actorId: user.id, action: 'edit_draft', payload: { changed } });
      return c;
    });
  }

  async actionsFor(user: CurrentUser, id: string): Promise<AvailableAction[]> {
    const em = this.ds.manager;
    const c = await this.getVisible(em, id, user);
    const names = availableActions(await this.facts(em, c), actorOf(user));
    return names.map((name) => ({ name, label: actionLabel(name, c.state), schema: ACTION_BODY_SCHEMAS[name] }));
  }

  /** Actions this person could take here but that are blocked now, with the refusal's code and sentence. */
  async blockedActionsFor(user: CurrentUser, id: string) {
    const em = this.ds.manager;
    const c = await this.getVisible(em, id, user);
    return blockedActions(await this.facts(em, c), actorOf(user)).map((b) => ({ ...b, label: actionLabel(b.name, c.state) }));
  }

  /**
   * The one method that applies any transition: lock the case row, check the table and
   * guards, write the new state, append the event, cancel and open timers by scope,
   * and write outbox rows for the emails, all in one transaction.
   */
  async act(user: CurrentUser, id: string, action: string, rawBody: unknown): Promise<{ case: CaseEntity; event: CaseEventEntity; teamIds: string[] }> {
    if (!isActionName(action)) throw new DomainError(ErrorCode.UNKNOWN_ACTION, `There is no action called "${action}".`);
    // Checked against the action's JSON Schema, so it is that action's ActionBody.
    const body = this.validator.validate<ValidatedBody>(action, rawBody);
    return this.ds.transaction(async (em) => {
      const { case: c, teamIds } = await this.access(em, id, user, true);
      assertExpectedVersion(c, body.expectedVersion);
      const { facts, known } = await this.factsAndHead(em, c);
      const decision = decide(action, facts, actorOf(user));
      if (!decision.allowed) {
        const details = decision.code === ErrorCode.QUESTIONNAIRE_INCOMPLETE ? { fields: missingFields(c.title, c.answers) } : undefined;
        throw new DomainError(decision.code, decision.message, details);
      }
      const from = c.state;
      const to = decision.to;
      const now = new Date();
      const effect = await (EFFECTS[action] as unknown as Effect<ValidatedBody>)({ em, c, body, user, facts, to, now, deps: this.deps });
      c.state = to;
      const event = await this.commit.commit(em, c, {
        actorId: user.id,
        action,
        from,
        now,
        payload: effect.payload,
        timers: effect.caseTimers,
        outbox: [{ topic: 'case-event', payload: { action, fromState: from, toState: to, reference: c.reference, actorId: user.id } }],
        known,
      });
      return { case: c, event, teamIds };
    });
  }
}
