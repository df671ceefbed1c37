import { DomainError, ErrorCode } from '@app/domain';
import { ActionBody, Effect } from './types';

/** Triage and re-triage: an override of the proposed level needs a comment. */
export const triage: Effect<ActionBody<'triage' | 'retriage'>> = async ({ c, body, user, now, facts }) => {
  const proposed = c.proposedRiskLevel;
  // Four eyes on hard flags (issue 13): below high only by the RSDO lead, with a reason.
  const hard = facts.hardFlags ?? [];
  if (hard.length && body.riskLevel !== 'high') {
    if (!user.roles.has('rsdo_lead')) {
      throw new DomainError(
        ErrorCode.HARD_FLAG_LEAD_ONLY,
        `riskLevel: this case has a hard risk flag (${hard.join(', ')}), so only an RSDO lead may triage it below high.`,
      );
    }
    if (!body.comment?.trim()) {
      throw new DomainError(
        ErrorCode.COMMENT_REQUIRED,
        `comment: give the reason for triaging a case with a hard risk flag (${hard.join(', ')}) as ${body.riskLevel}.`,
      );
    }
  }
  if (facts.exportIndicated && body.exportControlRelevant === false && !body.comment?.trim()) {
    throw new DomainError(
      ErrorCode.COMMENT_REQUIRED,
      'comment: the proposal says export control is relevant; explain why you set exportControlRelevant to false.',
    );
  }
  if (proposed && proposed !== body.riskLevel && !body.comment?.trim()) {
    throw new DomainError(ErrorCode.COMMENT_REQUIRED, `comment: explain why you set ${body.riskLevel} when the system proposed ${proposed}.`);
  }
  const record = {
    riskLevel: body.riskLevel,
    route: body.route ?? null,
    exportControlRelevant: body.exportControlRelevant,
    comment: body.comment ?? null,
    byId: user.id,
    at: now.toISOString(),
    proposedRiskLevel: proposed,
  };
  c.triage = { ...record, firs: body.firs ?? c.triage?.firs ?? null };
  c.riskLevel = body.riskLevel;
  c.triagedById = user.id;
  c.triageStale = false;
  c.exportReviewRequired = body.exportControlRelevant;
  if (!c.assigneeId) c.assigneeId = user.id;
  return { payload: { riskLevel: record.riskLevel, route: record.route, exportControlRelevant: record.exportControlRelevant, comment: record.comment } };
};
