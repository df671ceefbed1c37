import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { answerProblems, CaseFacts, DomainError, ErrorCode, ExportAssessmentInput, licenceReminderDate, RE_REVIEW_PERIOD_MONTHS, TimerSpec } from '@app/domain';
import { CaseEntity, ProposedDecision } from '@app/persistence';
import { CurrentUser } from '../../common/request-context';
import { endOfBusiness } from '@app/persistence';
import { EffectDeps } from './types';

/** Answers are checked against the questionnaire (the schema only says "an object"). */
export function assertAnswers(answers: unknown): void {
  const problems = answerProblems(answers);
  if (problems.length) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, problems.map((p) => p.message).join(' '), { fields: problems });
  }
}

export function assertFutureDate(deps: EffectDeps, field: string, date: string): void {
  if (date < deps.today())
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field}: ${date} is in the past; choose today or a later date.`, {
      fields: [{ field, message: 'must not be in the past' }],
    });
}

/** An officer named in a body must hold the role, be active, and not own the case (segregation of duties). */
export async function assertStaffUser(
  deps: EffectDeps,
  em: EntityManager,
  userId: string,
  role: 'rsdo_officer' | 'export_control',
  field: string,
  ownerId: string,
): Promise<string> {
  const u = await deps.users.findById(em, userId);
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

export function decisionFrom(body: {
  decisionText: string;
  conditions?: readonly { text: string; dueDate?: string; kind?: string }[];
  reviewDate?: string;
}): ProposedDecision {
  return { decisionText: body.decisionText, conditions: (body.conditions ?? []).map((x) => ({ ...x })), reviewDate: body.reviewDate };
}

export function outcomeOf(d: ProposedDecision | null): string {
  return d && d.conditions.length > 0 ? 'approved_with_conditions' : 'approved';
}

/**
 * Who signed and for whom: the audit names the acting signer (the event's actor) and,
 * when a delegate or the RSDO lead signed, the head they acted for.
 */
export async function signedAs(deps: EffectDeps, em: EntityManager, c: CaseEntity, user: CurrentUser, facts: CaseFacts) {
  const head = (await deps.users.departmentSigning(em, c.departmentId)).headUserId;
  const signedAs = facts.signers.leadSigns ? 'rsdo_lead' : head === user.id ? 'head' : 'delegate';
  return {
    signedAs,
    signerId: user.id,
    headId: head,
    actingForHeadId: head && head !== user.id && !facts.signers.leadSigns ? head : null,
    leadSigns: facts.signers.leadSigns,
  };
}

/** Reminders before a granted licence expires, in days ahead of its expiry. */
export const LICENCE_REMINDER_DAYS = [30, 7] as const;

/**
 * A granted licence's expiry: reminders 30 and 7 days before, and at the start of the day
 * after it expires a `licence_lapsed` timer the worker fires to suspend the approval if no
 * renewal (a new expiry date) is recorded by then. Case-scoped: re-opened on approval, which
 * closes the stage's timers; approved <-> suspended keeps them; revoking ends them.
 */
export function licenceTimers(deps: EffectDeps, c: CaseEntity): TimerSpec[] {
  const licence = (c.exportAssessment as ExportAssessmentInput | null)?.licence;
  if (c.exportAssessment?.outcome !== 'licence_granted' || !licence?.expiresOn) return [];
  const zone = deps.config.timezone;
  const payload = { licenceReference: licence.reference ?? null, expiresOn: licence.expiresOn };
  const reminders = [...new Set(LICENCE_REMINDER_DAYS.map((days) => licenceReminderDate(licence.expiresOn!, deps.today(), days)))];
  return [
    ...reminders.map((date) => ({ kind: 'licence_expiry', scope: 'case' as const, dueAt: endOfBusiness(date, zone), payload })),
    { kind: 'licence_lapsed', scope: 'case', dueAt: DateTime.fromISO(licence.expiresOn, { zone }).plus({ days: 1 }).startOf('day').toJSDate(), payload },
  ];
}

/** Condition due dates and the re-review date become case-scoped timers. */
export function decisionTimers(deps: EffectDeps, d: ProposedDecision | null): TimerSpec[] {
  if (!d) return [];
  const zone = deps.config.timezone;
  const specs: TimerSpec[] = d.conditions.flatMap((x, conditionIndex) =>
    x.dueDate ? [{ kind: 'condition_due', scope: 'case' as const, dueAt: endOfBusiness(x.dueDate, zone), payload: { conditionIndex, condition: x.text } }] : [],
  );
  const review = d.reviewDate ?? DateTime.now().setZone(zone).plus({ months: RE_REVIEW_PERIOD_MONTHS }).toISODate()!;
  specs.push({ kind: 're_review', scope: 'case', dueAt: endOfBusiness(review, zone) });
  return specs;
}
