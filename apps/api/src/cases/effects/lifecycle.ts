import { SUSPENSION_REASON_LABELS } from '@app/domain';
import { ActionBody, Effect } from './types';

/**
 * After approval (issue 13, "Approved is not forever"). Suspending keeps the decision and
 * the collaboration's timers (conditions, re-review, licence, re-screening); work must stop
 * until the RSDO lead reinstates it or an officer revokes it.
 */
export const suspend: Effect<ActionBody<'suspend'>> = async ({ c, body, user, now }) => {
  c.suspension = { reasonCategory: body.reasonCategory, reasonText: body.reasonText, byId: user.id, at: now.toISOString() };
  return { payload: { reasonCategory: body.reasonCategory, reasonLabel: SUSPENSION_REASON_LABELS[body.reasonCategory], reasonText: body.reasonText } };
};

export const reinstate: Effect<ActionBody<'reinstate'>> = async ({ c, body }) => {
  const lifted = c.suspension;
  c.suspension = null;
  return { payload: { reason: body.reason, suspension: lifted } };
};

export const revoke: Effect<ActionBody<'revoke'>> = async ({ c, body }) => {
  c.outcome = 'revoked';
  return { payload: { reason: body.reason, suspension: c.suspension } };
};

/** No review needed: closed with outcome not_in_scope, distinct from a rejection. */
export const closeNotInScope: Effect<ActionBody<'close_not_in_scope'>> = async ({ c, body }) => {
  c.outcome = 'not_in_scope';
  return { payload: { reason: body.reason } };
};
