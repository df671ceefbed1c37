import { ActionBody, Effect } from './types';
import { decisionFrom, decisionTimers, licenceTimers, outcomeOf, signedAs } from './shared';

export const requestSignOff: Effect<ActionBody<'request_sign_off'>> = async ({ c, body, facts }) => {
  c.proposedDecision = decisionFrom(body);
  return { payload: { proposedDecision: c.proposedDecision, signers: facts.signers } };
};

/** The last signature approves: the proposed decision becomes the decision, with its timers. */
export const endorse: Effect<ActionBody<'endorse'>> = async ({ em, c, body, user, facts, to, deps }) => {
  c.signedBy = [...new Set([...c.signedBy, user.id])];
  if (to === 'approved') {
    c.decision = c.proposedDecision;
    c.outcome = outcomeOf(c.decision);
  }
  return {
    payload: { comment: body.comment ?? null, ...(await signedAs(deps, em, c, user, facts)) },
    caseTimers: to === 'approved' ? [...decisionTimers(deps, c.decision), ...licenceTimers(deps, c)] : [],
  };
};

/** A decline sends the case back; its triage must be redone. */
export const decline: Effect<ActionBody<'decline'>> = async ({ em, c, body, user, facts, deps }) => {
  c.signedBy = [...new Set([...c.signedBy, user.id])];
  c.triageStale = true;
  return { payload: { comment: body.comment, ...(await signedAs(deps, em, c, user, facts)) } };
};
