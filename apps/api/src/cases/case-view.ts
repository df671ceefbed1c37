import { isStaff } from '@app/domain';
import { CaseEntity, CaseEventEntity, CaseFlagEntity, CaseTimerEntity } from '@app/persistence';
import { CurrentUser } from '../common/request-context';

/** Fields only the research office (and the acting signer) see: their assessment of the case. */
export function caseView(c: CaseEntity, user: CurrentUser, extra: { flags: CaseFlagEntity[]; timers: CaseTimerEntity[]; signer: boolean }) {
  const full = isStaff(user.roles) || extra.signer;
  const base = {
    id: c.id, reference: c.reference, title: c.title, state: c.state, outcome: c.outcome, version: c.version,
    ownerId: c.ownerId, departmentId: c.departmentId, assigneeId: c.assigneeId, parentCaseId: c.parentCaseId,
    questionnaireVersion: c.questionnaireVersion, answers: c.answers, returnState: c.returnState,
    informationRequest: c.informationRequest, proposedDecision: c.proposedDecision, decision: c.decision, rejection: c.rejection,
    submittedAt: c.submittedAt, closedAt: c.closedAt, stageEnteredAt: c.stageEnteredAt, createdAt: c.createdAt, updatedAt: c.updatedAt,
  };
  if (!full) return base;
  return {
    ...base,
    riskLevel: c.riskLevel, proposedRiskLevel: c.proposedRiskLevel, triage: c.triage, triageStale: c.triageStale, triagedById: c.triagedById,
    exportReviewRequired: c.exportReviewRequired, exportReviewCompleted: c.exportReviewCompleted, exportReviewerId: c.exportReviewerId,
    exportAssessment: c.exportAssessment,
    flags: extra.flags,
    timers: extra.timers.map((t) => ({ id: t.id, kind: t.kind, scope: t.scope, stage: t.stage, dueAt: t.dueAt, status: t.status })),
  };
}

/** Researchers see their case's story, without internal notes, flags or triage reasoning. */
const INTERNAL_ACTIONS = new Set(['flag', 'clear_flag']);
const INTERNAL_PAYLOAD_ACTIONS = new Set(['triage', 'retriage', 'complete_export_review', 'assign', 'start_export_review']);

export function eventView(e: CaseEventEntity, full: boolean) {
  const view = { id: e.id, seq: e.seq, action: e.action, fromState: e.fromState, toState: e.toState, actorId: e.actorId, createdAt: e.createdAt, payload: e.payload, hash: e.hash };
  if (full) return view;
  if (INTERNAL_ACTIONS.has(e.action) || (e.action === 'add_note' && e.payload.visibility === 'internal')) return null;
  if (INTERNAL_PAYLOAD_ACTIONS.has(e.action)) return { ...view, payload: {} };
  return view;
}
