import { ActionBody, Effect } from './types';
import { assertStaffUser } from './shared';

export const assign: Effect<ActionBody<'assign'>> = async ({ em, c, body, deps }) => {
  const name = await assertStaffUser(deps, em, body.assigneeId, 'rsdo_officer', 'assigneeId', c.ownerId);
  const previous = c.assigneeId;
  c.assigneeId = body.assigneeId;
  return { payload: { assigneeId: body.assigneeId, assigneeName: name, previousAssigneeId: previous } };
};
