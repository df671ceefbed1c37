import { DomainError, ErrorCode } from '@app/domain';
import { ActionBody, Effect } from './types';

export const flag: Effect<ActionBody<'flag'>> = async ({ em, c, body, user, deps }) => {
  const row = await deps.cases.addFlag(em, { caseId: c.id, kind: 'manual', blocking: body.blocking, reason: body.reason, raisedById: user.id });
  return { payload: { flagId: row.id, blocking: body.blocking, reason: body.reason } };
};

export const clearFlag: Effect<ActionBody<'clear_flag'>> = async ({ em, c, body, user, deps }) => {
  const ok = await deps.cases.resolveFlag(em, c.id, body.flagId, user.id, body.resolution, body.reason);
  if (!ok)
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `flagId: there is no open flag ${body.flagId} on this case.`, {
      fields: [{ field: 'flagId', message: 'is not an open flag of this case' }],
    });
  await deps.screening.onFlagCleared(em, c, body.flagId, body.resolution, user.id, body.reason);
  return { payload: { flagId: body.flagId, resolution: body.resolution, reason: body.reason } };
};
