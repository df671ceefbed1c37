import { assessmentProblems, DomainError, ErrorCode, licenceGate } from '@app/domain';
import { ActionBody, Effect } from './types';
import { assertStaffUser, licenceTimers } from './shared';

export const startExportReview: Effect<ActionBody<'start_export_review'>> = async ({ em, c, body, deps }) => {
  const name = await assertStaffUser(deps, em, body.reviewerId, 'export_control', 'reviewerId', c.ownerId);
  c.exportReviewerId = body.reviewerId;
  return { payload: { reviewerId: body.reviewerId, reviewerName: name, note: body.note ?? null } };
};

/** The assessment must be consistent, and a licence still awaited holds the stage. */
export const completeExportReview: Effect<ActionBody<'complete_export_review'>> = async ({ c, body, user, now, deps }) => {
  const problems = assessmentProblems(body);
  if (problems.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, problems.map((p) => p.message).join(' '), { fields: problems });
  const held = licenceGate(body.outcome);
  if (held) throw new DomainError(ErrorCode.LICENCE_NOT_GRANTED, held);
  const { expectedVersion: _v, ...recorded } = body;
  c.exportAssessment = { ...recorded, byId: user.id, at: now.toISOString() };
  c.exportReviewCompleted = true;
  return { payload: { ...recorded }, caseTimers: licenceTimers(deps, c) };
};
