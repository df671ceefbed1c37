/**
 * Response shapes of the API (apps/api/src/cases/case-view.ts and friends). The
 * OpenAPI document describes paths, parameters and request bodies; it does not yet
 * declare response bodies, so these are written here until it does.
 */
import type { JsonSchema } from '../../../../libs/domain/src/action-schemas';
import type { CaseAnswers } from '../../../../libs/domain/src/questionnaire';
import type { SsoUiConfig } from '../../../../libs/config/src/sso-ui';

export type { JsonSchema, CaseAnswers };

export interface Me {
  id: string;
  email: string;
  name: string;
  roles: string[];
  departmentId: string | null;
}

export interface Condition {
  text: string;
  dueDate?: string;
  metAt?: string;
}
export interface Decision {
  decisionText?: string;
  text?: string;
  conditions?: Condition[];
  reviewDate?: string;
  [k: string]: unknown;
}

export interface CaseFlag {
  id: string;
  reason: string;
  blocking: boolean;
  status?: string;
  resolvedAt?: string | null;
  [k: string]: unknown;
}

export interface RiskFactor {
  code?: string;
  label?: string;
  description?: string;
  weight?: number;
  [k: string]: unknown;
}
export interface ScreeningHit {
  list?: string;
  name?: string;
  matched?: string;
  score?: number;
  /** as the API sends them (screening.repository hitsForCase) */
  sourceList?: string;
  entryName?: string;
  matchedName?: string;
  matchedNameType?: string;
  subject?: string;
  birthDates?: string[] | null;
  nationalities?: string[] | null;
  identifiers?: { type: string; value: string; country?: string | null }[] | null;
  explanation?: HitExplanation | null;
  [k: string]: unknown;
}
/** libs/domain MatchExplanation: why a hit scored what it did. */
export interface HitExplanation {
  name: { score: number; aligned: { query: string | null; listed: string | null; score: number }[] };
  alias: { type: string; adjustment: number };
  country: { query: string | null; listed: string[]; match: boolean | null; adjustment: number };
  birthDate: { query: string | null; listed: string[]; match: boolean | null; adjustment: number };
  identifiers: { matched: string[]; adjustment: number };
  score: number;
}

export interface CaseView {
  id: string;
  reference: string;
  title: string | null;
  state: string;
  outcome: string | null;
  version: number;
  ownerId: string;
  departmentId: string | null;
  assigneeId: string | null;
  answers: CaseAnswers;
  returnState: string | null;
  informationRequest: { question: string; replyBy?: string; askedBy?: string; askedAt?: string } | null;
  proposedDecision: Decision | null;
  decision: Decision | null;
  rejection: { reasonCategory: string; reasonText: string } | null;
  submittedAt: string | null;
  closedAt: string | null;
  stageEnteredAt: string | null;
  createdAt: string;
  updatedAt: string;
  // staff and the acting signer only
  riskLevel?: string | null;
  proposedRiskLevel?: string | null;
  triage?: Record<string, unknown> | null;
  triageStale?: boolean;
  exportReviewRequired?: boolean | null;
  exportReviewCompleted?: boolean;
  exportAssessment?: { assessment?: string; outcome?: string } | null;
  flags?: CaseFlag[];
  timers?: { id: string; kind: string; scope: string; stage: string | null; dueAt: string; status: string }[];
  // issue 6 (questionnaire definition, risk, screening): drawn only when present
  riskFactors?: RiskFactor[];
  screeningHits?: ScreeningHit[];
}

export interface CaseListRow {
  id: string;
  reference: string;
  title: string | null;
  state: string;
  riskLevel: string | null;
  ownerId: string;
  ownerName: string;
  departmentId: string | null;
  departmentName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  version: number;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CaseEvent {
  id: string;
  seq: number;
  action: string;
  fromState: string | null;
  toState: string | null;
  actorId: string | null;
  createdAt: string;
  payload: Record<string, unknown>;
}

export interface AvailableAction {
  name: string;
  label: string;
  schema: JsonSchema;
}

export interface Note {
  id: string;
  body: string;
  visibility: 'internal' | 'researcher';
  authorId?: string;
  authorName?: string;
  createdAt: string;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  roles: string[];
  departmentId: string | null;
  department: { id: string; code: string; name: string } | null;
  active: boolean;
  passwordSet?: boolean;
  emailFlagged?: boolean;
  [k: string]: unknown;
}

export interface DepartmentView {
  id: string;
  code: string;
  name: string;
  headUserId: string | null;
  headName?: string | null;
  delegates?: { id: string; userId: string; name: string | null; startsOn: string; endsOn: string }[];
  [k: string]: unknown;
}

/** localLogin and sso: see libs/config/src/sso-ui.ts (single sign-on). */
export interface UiConfig extends SsoUiConfig {
  demo: boolean;
  demoAccounts: { email: string; name: string; what: string }[];
  demoPassword: string | null;
}
