import { DomainError, ErrorCode } from '@app/domain';
import { ActionBody, Effect } from './types';
import { decisionFrom, decisionTimers, licenceTimers, outcomeOf } from './shared';

/** An officer approving a low-risk case records the decision; the lead may keep the proposed one. */
export const approve: Effect<ActionBody<'approve'>> = async ({ c, body, deps, facts }) => {
  if (facts.hardFlags?.length && !body.comment?.trim()) {
    throw new DomainError(ErrorCode.COMMENT_REQUIRED, `comment: give the reason for approving a case with a hard risk flag (${facts.hardFlags.join(', ')}).`);
  }
  if (c.state === 'triaged') {
    if (!body.decisionText?.trim()) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'decisionText: an officer approving a low-risk case must record the decision text.', {
        fields: [{ field: 'decisionText', message: 'is required' }],
      });
    }
    c.decision = decisionFrom({ ...body, decisionText: body.decisionText });
  } else {
    c.decision = body.decisionText ? decisionFrom({ ...body, decisionText: body.decisionText }) : c.proposedDecision;
  }
  c.outcome = outcomeOf(c.decision);
  return { payload: { decision: c.decision, comment: body.comment ?? null }, caseTimers: [...decisionTimers(deps, c.decision), ...licenceTimers(deps, c)] };
};

export const reject: Effect<ActionBody<'reject'>> = async ({ c, body }) => {
  c.rejection = { reasonCategory: body.reasonCategory, reasonText: body.reasonText };
  c.outcome = 'rejected';
  return { payload: { reasonCategory: body.reasonCategory, reasonText: body.reasonText } };
};

export const withdraw: Effect<ActionBody<'withdraw'>> = async ({ c, body }) => {
  c.outcome = 'withdrawn';
  return { payload: { reason: body.reason ?? null } };
};

export const recordConditionMet: Effect<ActionBody<'record_condition_met'>> = async ({ em, c, body, user, now, deps }) => {
  const conditions = c.decision?.conditions ?? [];
  const cond = conditions[body.conditionIndex];
  if (!cond)
    throw new DomainError(
      ErrorCode.VALIDATION_FAILED,
      `conditionIndex: the decision has ${conditions.length} condition(s); there is no condition ${body.conditionIndex}.`,
    );
  if (cond.metAt) throw new DomainError(ErrorCode.CONFLICT, `Condition ${body.conditionIndex} ("${cond.text}") was already recorded as met.`);
  c.decision = {
    ...c.decision!,
    conditions: conditions.map((x, i) => (i === body.conditionIndex ? { ...x, metAt: now.toISOString(), metById: user.id, note: body.note } : x)),
  };
  const closedTimers = await deps.timers.cancelConditionTimer(em, c.id, body.conditionIndex);
  return { payload: { conditionIndex: body.conditionIndex, condition: cond.text, note: body.note ?? null, closedTimerIds: closedTimers } };
};
