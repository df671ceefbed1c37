import { DomainError, ErrorCode } from '@app/domain';
import { ActionBody, Effect } from './types';

/** Triage and re-triage: an override of the proposed level needs a comment. */
export const triage: Effect<ActionBody<'triage' | 'retriage'>> = async ({ c, body, user, now }) => {
  const proposed = c.proposedRiskLevel;
  if (proposed && proposed !== body.riskLevel && !body.comment?.trim()) {
    throw new DomainError(ErrorCode.COMMENT_REQUIRED, `comment: explain why you set ${body.riskLevel} when the system proposed ${proposed}.`);
  }
  const record = { riskLevel: body.riskLevel, route: body.route ?? null, exportControlRelevant: body.exportControlRelevant, comment: body.comment ?? null, byId: user.id, at: now.toISOString(), proposedRiskLevel: proposed };
  c.triage = { ...record, firs: body.firs ?? c.triage?.firs ?? null };
  c.riskLevel = body.riskLevel;
  c.triagedById = user.id;
  c.triageStale = false;
  c.exportReviewRequired = body.exportControlRelevant;
  if (!c.assigneeId) c.assigneeId = user.id;
  return { payload: { riskLevel: record.riskLevel, route: record.route, exportControlRelevant: record.exportControlRelevant, comment: record.comment } };
};
