import type { FromSchema } from 'json-schema-to-ts';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { ACTION_BODY_SCHEMAS, ActionName, CaseFacts, CaseState, TimerSpec } from '@app/domain';
import { CaseEntity, CaseRepository, OrganisationRepository, TimerRepository, UserRepository } from '@app/persistence';
import { CurrentUser } from '../../common/request-context';
import { CaseCommit } from '@app/persistence';
import { SlaClocks } from '@app/persistence';
import { CaseScreening } from '@app/screening';

/** The body of an action, derived from its JSON Schema (the one the API validates with and serves). */
export type ActionBodies = { [A in ActionName]: FromSchema<(typeof ACTION_BODY_SCHEMAS)[A]> };
export type ActionBody<A extends ActionName> = ActionBodies[A];

/** What effects may use beyond the case: repositories, the SLA clocks, screening, the commit (for linked drafts). */
export interface EffectDeps {
  config: AppConfig;
  users: UserRepository;
  cases: CaseRepository;
  timers: TimerRepository;
  clocks: SlaClocks;
  commit: CaseCommit;
  screening: CaseScreening;
  /** The partner register: links a case's partners, parents and funders to organisations. */
  organisations: OrganisationRepository;
  /** Today in the institution's zone (YYYY-MM-DD). */
  today(): string;
}

/** One action being applied: the locked case (the effect changes it in place), its validated body, who, and when. */
export interface EffectContext<Body> {
  em: EntityManager;
  c: CaseEntity;
  body: Body;
  user: CurrentUser;
  facts: CaseFacts;
  /** The state the case moves to (decided by the transition table). */
  to: CaseState;
  now: Date;
  deps: EffectDeps;
}

export interface EffectResult {
  /** What the audit event records beyond actor/action/from/to. */
  payload: Record<string, unknown>;
  /** Case-scoped timers this action opens (stage timers follow from the new state). */
  caseTimers?: TimerSpec[];
}

/** Per-action changes to the case beyond its state. Runs under the row lock, inside the command's transaction. */
export type Effect<Body> = (ctx: EffectContext<Body>) => Promise<EffectResult>;

/** Every action has exactly one effect, taking that action's body: a new action without one does not compile. */
export type EffectRegistry = { [A in ActionName]: Effect<ActionBody<A>> };
