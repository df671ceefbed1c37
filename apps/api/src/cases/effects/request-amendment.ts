import { openLinkedDraft } from '../linked-case';
import { ActionBody, Effect } from './types';

/** An amendment opens a draft linked to the approved case, pre-filled from it. */
export const requestAmendment: Effect<ActionBody<'request_amendment'>> = async ({ em, c, body, user, now, deps }) => {
  const linked = await openLinkedDraft(deps.commit, em, c, user.id, now, { kind: 'amendment', description: body.description, changeType: body.changeType });
  return { payload: { linkedCaseId: linked.id, linkedReference: linked.reference, description: body.description, changeType: body.changeType ?? null } };
};
