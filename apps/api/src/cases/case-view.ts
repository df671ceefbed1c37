import { firsOutstanding, FirsRecord, firsRequirement, SlaView } from '@app/domain';
import { CaseEntity, CaseEventEntity, CaseFlagEntity, CaseRiskAssessmentEntity, CaseScreeningHitRow, CaseTimerEntity } from '@app/persistence';

/** What staff see of screening and scoring, when the caller loads it (ScreeningRepository). */
export interface ScreeningView {
  assessment: CaseRiskAssessmentEntity | null;
  hits: CaseScreeningHitRow[];
}

/**
 * Fields only the research office (and the acting signer) see: their assessment of the
 * case, including, when `screening` is given, the factors that fired and every hit.
 */
export function caseView(
  c: CaseEntity,
  extra: { flags: CaseFlagEntity[]; timers: CaseTimerEntity[]; full: boolean; sla?: SlaView | null; screening?: ScreeningView },
) {
  const full = extra.full;
  const base = {
    id: c.id,
    reference: c.reference,
    title: c.title,
    state: c.state,
    outcome: c.outcome,
    version: c.version,
    ownerId: c.ownerId,
    departmentId: c.departmentId,
    assigneeId: c.assigneeId,
    parentCaseId: c.parentCaseId,
    questionnaireVersion: c.questionnaireVersion,
    answers: c.answers,
    returnState: c.returnState,
    informationRequest: c.informationRequest,
    proposedDecision: c.proposedDecision,
    decision: c.decision,
    rejection: c.rejection,
    submittedAt: c.submittedAt,
    closedAt: c.closedAt,
    stageEnteredAt: c.stageEnteredAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    firs: firsView(c),
  };
  if (!full) return base;
  return {
    ...base,
    riskLevel: c.riskLevel,
    proposedRiskLevel: c.proposedRiskLevel,
    triage: c.triage,
    triageStale: c.triageStale,
    triagedById: c.triagedById,
    exportReviewRequired: c.exportReviewRequired,
    exportReviewCompleted: c.exportReviewCompleted,
    exportReviewerId: c.exportReviewerId,
    exportAssessment: c.exportAssessment,
    flags: extra.flags,
    ...(extra.screening
      ? {
          riskAssessment: extra.screening.assessment
            ? {
                ...extra.screening.assessment.assessment,
                trigger: extra.screening.assessment.trigger,
                questionnaireVersion: extra.screening.assessment.questionnaireVersion,
                at: extra.screening.assessment.createdAt,
              }
            : null,
          screeningHits: extra.screening.hits,
        }
      : {}),
    timers: extra.timers.map((t) => ({ id: t.id, kind: t.kind, scope: t.scope, stage: t.stage, dueAt: t.dueAt, status: t.status })),
    sla: slaBlock(extra.sla ?? null),
  };
}

/**
 * The Foreign Influence Registration Scheme prompt: whether it applies, why, and whether
 * approval still waits for it (libs/domain/src/firs.ts). The researcher sees it too, so
 * the case can ask for the registration before the activity starts.
 */
function firsView(c: CaseEntity) {
  const req = firsRequirement(c.answers);
  if (!req.required) return { required: false, reasons: [], outstanding: false };
  return { required: true, reasons: req.reasons, outstanding: firsOutstanding(c.answers, c.triage?.firs as FirsRecord | undefined) !== null };
}

/** Researchers see their case's story, without internal notes, flags or triage reasoning. */
const INTERNAL_ACTIONS = new Set(['flag', 'clear_flag', 'confirm_flag', 'rescreen']);
/** Payload keys the research office's scoring and screening add to researcher actions. */
const INTERNAL_PAYLOAD_KEYS: Partial<Record<string, string[]>> = {
  submit: ['rulesVersion', 'proposedRiskLevel', 'proposedRoute', 'score', 'screeningHits'],
  respond: ['rescored'],
};
const INTERNAL_PAYLOAD_ACTIONS = new Set(['triage', 'retriage', 'complete_export_review', 'assign', 'start_export_review']);

export function eventView(e: CaseEventEntity, full: boolean) {
  const view = {
    id: e.id,
    seq: e.seq,
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    actorId: e.actorId,
    createdAt: e.createdAt,
    payload: e.payload,
    hash: e.hash,
  };
  if (full) return view;
  if (INTERNAL_ACTIONS.has(e.action) || (e.action === 'add_note' && e.payload.visibility === 'internal')) return null;
  if (INTERNAL_PAYLOAD_ACTIONS.has(e.action)) return { ...view, payload: {} };
  const hidden = INTERNAL_PAYLOAD_KEYS[e.action];
  if (hidden) return { ...view, payload: Object.fromEntries(Object.entries(e.payload).filter(([k]) => !hidden.includes(k))) };
  return view;
}

/** The service level of the stage the case is in: target, business (or elapsed) time used, time paused, due date, state. */
function slaBlock(v: SlaView | null) {
  if (!v) return null;
  return {
    stage: v.stage,
    clock: v.mode,
    targetMs: v.targetMs,
    usedMs: v.usedMs,
    pausedMs: v.pausedMs,
    paused: v.paused,
    dueAt: v.dueAt ? v.dueAt.toISOString() : null,
    state: v.state,
  };
}
