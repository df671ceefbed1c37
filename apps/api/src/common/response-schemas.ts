import { ACTING_ROLES, SLA_STATES } from '@app/domain';
import { ApiResponse } from '@nestjs/swagger';
import { ADMIN_RESPONSE_SCHEMAS } from './admin-response-schemas';
import { ATTACHMENT_KINDS, ATTACHMENT_STATUSES } from '@app/persistence';
import { ACTION_BODY_SCHEMAS, ATTACHMENT_VISIBILITIES, LIST_CHANGE_KINDS, SCREENING_LIST_KINDS, QUESTION_KINDS, REPORT_NAMES, CASE_STATES, OUTCOMES, RISK_FACTOR_NAMES, RISK_LEVELS, TRIAGE_ROUTES } from '@app/domain';
import { CONFLICT_KINDS, DUE_DILIGENCE_STATUSES, ORGANISATION_DOCUMENT_KINDS, ORGANISATION_LINK_ROLES, PERSON_ROLES } from '@app/domain';

/**
 * Response bodies of the API as JSON Schemas, registered under components.schemas by
 * buildOpenApi (bootstrap.ts). The web client's response types are generated from them
 * (`npm run api:types`), and test/e2e/contract.e2e-spec.ts validates live responses
 * against them with ajv, so the web, the document and the API cannot drift apart.
 * Enumerations come from libs/domain.
 */
type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const nstr: Schema = { type: ['string', 'null'] };
const uuid: Schema = { type: 'string', format: 'uuid' };
const nuuid: Schema = { type: ['string', 'null'], format: 'uuid' };
const time: Schema = { type: 'string', format: 'date-time' };
const ntime: Schema = { type: ['string', 'null'], format: 'date-time' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const obj: Schema = { type: 'object', additionalProperties: true };
const nobj: Schema = { type: ['object', 'null'], additionalProperties: true };
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (name: string): Schema => ({ oneOf: [ref(name), { type: 'null' }] });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const e = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
const ne = (values: readonly string[]): Schema => ({ type: ['string', 'null'], enum: [...values, null] });
/** An object whose every listed property is required (null where it may be absent). */
const shape = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});

/** What complete_export_review recorded: its body (without expectedVersion), by whom and when (effects/export-review.ts). */
function exportAssessmentSchema(): Schema {
  const b = ACTION_BODY_SCHEMAS.complete_export_review as unknown as { properties: Record<string, Schema>; required?: string[] };
  const { expectedVersion: _v, ...properties } = b.properties;
  return { type: 'object', properties: { ...properties, byId: uuid, at: time }, required: [...(b.required ?? []).filter((k) => k !== 'expectedVersion'), 'byId', 'at'] };
}

/** The organisation page's parts (issue 19); a merge answers with the page of the organisation merged into. */
function organisationPage(): Record<string, Schema> {
  return {
    organisation: ref('Organisation'), cases: arr(ref('OrganisationCase')), children: arr(shape({ id: uuid, name: str, country: nstr })),
    screening: arr(ref('OrganisationScreeningHit')), dueDiligence: arr(ref('DueDiligenceRecord')), documents: arr(ref('OrganisationDocument')),
    duplicates: arr(shape({ id: uuid, name: str, country: nstr, reasons: arr(str) })),
  };
}

export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  Me: shape({ id: uuid, email: str, name: str, roles: arr(str), departmentId: nuuid }),
  Condition: shape({ text: str, dueDate: str, metAt: str }, ['dueDate', 'metAt']),
  Decision: {
    ...shape({ decisionText: str, text: str, conditions: arr(ref('Condition')), reviewDate: str }, ['decisionText', 'text', 'conditions', 'reviewDate']),
    additionalProperties: true,
  },
  InformationRequest: { ...shape({ question: str, replyBy: str, askedBy: str, askedAt: str }, ['replyBy', 'askedBy', 'askedAt']), additionalProperties: true },
  Rejection: { ...shape({ reasonCategory: str, reasonText: str }), additionalProperties: true },
  Firs: shape({ required: bool, reasons: arr(str), outstanding: bool }),
  CaseFlag: shape({
    id: uuid, caseId: uuid, kind: str, blocking: bool, reason: str, status: e(['open', 'cleared', 'confirmed']),
    raisedById: nuuid, raisedAt: time, resolvedById: nuuid, resolvedAt: ntime, resolution: nstr, resolutionReason: nstr,
  }),
  RiskFactor: shape({ factor: e(RISK_FACTOR_NAMES), score: int, weight: num, points: num, reasons: arr(str) }),
  HardFlag: shape({ code: str, reason: str }),
  RiskAssessment: {
    ...shape({
      rulesVersion: str, level: e(RISK_LEVELS), score: num, maxScore: num, route: e(TRIAGE_ROUTES), exportIndicator: bool,
      exportReasons: arr(str), hardFlags: arr(ref('HardFlag')), factors: arr(ref('RiskFactor')), summary: str,
      trigger: str, questionnaireVersion: int, at: time,
    }),
    additionalProperties: true,
  },
  ScreeningHit: shape({
    id: uuid, subject: str, subjectKind: e(['organisation', 'individual', 'parent']), partnerIndex: int, entryId: uuid, listVersionId: uuid,
    listKind: str, sourceList: str, entryName: str, matchedName: str, matchedNameType: str, score: num, countryMatch: { type: ['boolean', 'null'] },
    explanation: obj, partyType: str, birthDates: { type: ['array', 'null'], items: str }, nationalities: { type: ['array', 'null'], items: str },
    identifiers: { type: ['array', 'null'], items: shape({ type: str, value: str, country: nstr }, ['country']) },
    programmes: { type: ['array', 'null'], items: str }, flagId: nuuid, flagStatus: nstr, rating: nstr, createdAt: time,
  }, ['explanation']),
  CaseTimer: shape({ id: str, kind: str, scope: str, stage: nstr, dueAt: time, status: str }),
  SlaBlock: shape({ stage: str, clock: e(['elapsed', 'business']), targetMs: num, usedMs: num, pausedMs: num, paused: bool, dueAt: ntime, state: e(SLA_STATES) }),
  ExportAssessment: exportAssessmentSchema(),
  CaseView: shape(
    {
      id: uuid, reference: str, title: nstr, state: e(CASE_STATES), outcome: ne(OUTCOMES), version: int,
      ownerId: uuid, departmentId: nuuid, assigneeId: nuuid, parentCaseId: nuuid, questionnaireVersion: int,
      answers: obj, returnState: nstr, informationRequest: nullable('InformationRequest'), proposedDecision: nullable('Decision'),
      decision: nullable('Decision'), rejection: nullable('Rejection'), submittedAt: ntime, closedAt: ntime, stageEnteredAt: ntime,
      createdAt: time, updatedAt: time, firs: ref('Firs'),
      // The research office (and the acting signer) only:
      riskLevel: ne(RISK_LEVELS), proposedRiskLevel: ne(RISK_LEVELS), triage: nobj, triageStale: bool, triagedById: nuuid,
      exportReviewRequired: { type: ['boolean', 'null'] }, exportReviewCompleted: bool, exportReviewerId: nuuid, exportAssessment: nullable('ExportAssessment'),
      flags: arr(ref('CaseFlag')), riskAssessment: nullable('RiskAssessment'), screeningHits: arr(ref('ScreeningHit')),
      timers: arr(ref('CaseTimer')), sla: nullable('SlaBlock'),
    },
    ['riskLevel', 'proposedRiskLevel', 'triage', 'triageStale', 'triagedById', 'exportReviewRequired', 'exportReviewCompleted', 'exportReviewerId',
      'exportAssessment', 'flags', 'riskAssessment', 'screeningHits', 'timers', 'sla'],
  ),
  CaseListRow: shape({
    id: uuid, reference: str, title: nstr, state: e(CASE_STATES), riskLevel: ne(RISK_LEVELS), ownerId: uuid, ownerName: str,
    departmentId: nuuid, departmentName: nstr, assigneeId: nuuid, assigneeName: nstr, createdAt: str, updatedAt: str, submittedAt: nstr, version: int,
    slaState: ne(SLA_STATES), slaDueAt: nstr, slaPaused: bool,
  }, ['riskLevel', 'slaState', 'slaDueAt', 'slaPaused']), // absent on the caller's own cases: a researcher is not shown the risk level or SLA (libs/domain access.ts)
  CaseListPage: shape({ items: arr(ref('CaseListRow')), nextCursor: nstr }),
  CaseEvent: shape({
    id: str, seq: int, action: str, fromState: nstr, toState: nstr, actorId: nuuid, createdAt: time, payload: obj, hash: nstr,
    actorName: nstr, actorRole: ne(ACTING_ROLES), // who acted, and in what role (null: the system)
  }, ['hash']),
  CaseEventList: shape({ items: arr(ref('CaseEvent')) }),
  AvailableAction: shape({ name: str, label: str, schema: obj }),
  BlockedAction: shape({ name: str, label: str, code: str, message: str }),
  AvailableActionList: shape({ items: arr(ref('AvailableAction')), blocked: arr(ref('BlockedAction')) }),
  ActionResult: shape({ case: ref('CaseView'), event: shape({ id: str, seq: int, action: str, fromState: nstr, toState: nstr }) }),
  Note: shape({ id: uuid, caseId: uuid, authorId: nuuid, visibility: e(['internal', 'researcher']), body: str, createdAt: time, authorName: nstr, authorRole: ne(ACTING_ROLES) }),
  NoteList: shape({ items: arr(ref('Note')) }),
  Delegation: shape({ id: uuid, departmentId: uuid, userId: uuid, name: nstr, startsOn: str, endsOn: str, createdById: nuuid, revokedAt: ntime }),
  Department: shape({ id: uuid, code: str, name: str, headUserId: nuuid, headName: nstr, delegates: arr(ref('Delegation')) }, ['headName', 'delegates']),
  DepartmentList: shape({ items: arr(ref('Department')) }),
  UserView: shape({
    id: uuid, email: str, name: str, roles: arr(str), active: bool, departmentId: nuuid,
    department: { oneOf: [shape({ id: uuid, code: str, name: str }), { type: 'null' }] },
    emailFlagged: bool, emailFlagReason: nstr, passwordSet: bool, createdAt: time,
  }),
  UserList: shape({ items: arr(ref('UserView')) }),
  StaffMember: shape({ id: uuid, name: str, email: str, roles: arr(str) }),
  StaffList: shape({ items: arr(ref('StaffMember')) }),
  Invitation: shape({ user: ref('UserView'), invitationUrl: str }),
  QuestionOption: shape({ value: str, label: str, description: str }, ['description']),
  Question: shape({ id: str, kind: e(QUESTION_KINDS), label: str, why: str, required: bool, options: arr(ref('QuestionOption')), checklist: bool }, ['options', 'checklist']),
  QuestionnaireSection: shape({ id: str, title: str, questions: arr(ref('Question')) }),
  Questionnaire: shape({ version: int, title: str, sections: arr(ref('QuestionnaireSection')) }),
  QuestionnaireVersions: shape({ current: int, versions: arr(shape({ version: int, title: str })) }),
  Attachment: shape({
    id: uuid, caseId: uuid, kind: e(ATTACHMENT_KINDS), visibility: e(ATTACHMENT_VISIBILITIES), fileName: str, contentType: str, sizeBytes: int,
    status: e(ATTACHMENT_STATUSES), uploadedById: nuuid, createdAt: time, scannedAt: ntime, downloadable: bool,
  }),
  AttachmentList: shape({ items: arr(ref('Attachment')) }),
  ReportTable: shape({
    name: e(REPORT_NAMES), title: str, description: str,
    columns: arr(shape({ key: str, label: str, kind: e(['text', 'number', 'percent', 'days']) })),
    rows: arr({ type: 'object', additionalProperties: { type: ['string', 'number', 'null'] } }),
  }),
  ReportsResponse: shape({ range: shape({ from: str, to: str }), generatedAt: str, tables: arr(ref('ReportTable')) }),
  // The partner register and people (issue 19).
  OrganisationListRow: shape({ id: uuid, name: str, country: nstr, ddStatus: e(DUE_DILIGENCE_STATUSES), ddExpiresOn: nstr, caseCount: int, roles: arr(e(ORGANISATION_LINK_ROLES)) }),
  OrganisationList: shape({ items: arr(ref('OrganisationListRow')) }),
  Organisation: shape({
    id: uuid, name: str, country: nstr, rorId: nstr, companyNumber: nstr, websiteDomain: nstr, parentId: nuuid, parentName: nstr, mergedIntoId: nuuid,
    ddStatus: e(DUE_DILIGENCE_STATUSES), ddReason: nstr, ddExpiresOn: nstr, ddSetById: nuuid, ddSetByName: nstr, ddSetAt: ntime, createdAt: time,
  }),
  OrganisationCase: shape({
    id: uuid, reference: str, title: str, state: e(CASE_STATES), outcome: ne(OUTCOMES), roles: arr(e(ORGANISATION_LINK_ROLES)), namesGiven: arr(str),
    conditions: arr(obj), decisionText: nstr, reviewDate: nstr, submittedAt: ntime, closedAt: ntime,
  }),
  OrganisationScreeningHit: shape({ id: uuid, caseId: uuid, reference: str, subject: str, sourceList: str, entryName: str, matchedName: str, score: num, flagStatus: nstr, createdAt: time }),
  DueDiligenceRecord: shape({ id: uuid, status: e(DUE_DILIGENCE_STATUSES), reason: str, expiresOn: nstr, setById: uuid, setByName: str, setAt: time }),
  OrganisationDocument: shape({ id: uuid, kind: e(ORGANISATION_DOCUMENT_KINDS), title: str, reference: nstr, documentDate: nstr, addedById: uuid, addedByName: str, addedAt: time }),
  OrganisationPage: shape(organisationPage()),
  OrganisationMerge: shape({ ...organisationPage(), movedCases: int }),
  CaseOrganisation: shape({ organisationId: uuid, name: str, country: nstr, role: e(ORGANISATION_LINK_ROLES), partyIndex: int, nameGiven: str, ddStatus: e(DUE_DILIGENCE_STATUSES), ddExpiresOn: nstr }),
  Precedent: shape({
    id: uuid, reference: str, title: str, state: e(CASE_STATES), outcome: ne(OUTCOMES), matchedOn: arr(str), conditions: arr(obj), decisionText: nstr,
    rejectionText: nstr, triageComment: nstr, riskLevel: ne(RISK_LEVELS), closedAt: ntime,
  }),
  Precedents: shape({ organisations: arr(ref('CaseOrganisation')), items: arr(ref('Precedent')) }),
  CasePerson: shape({
    id: uuid, caseId: uuid, name: str, role: e(PERSON_ROLES), affiliation: nstr, nationalities: arr(str), userId: nuuid, userName: nstr, confirmedAt: ntime,
    atas: { oneOf: [shape({ certificateReference: str, issuedOn: str, expiresOn: str }), { type: 'null' }] }, atasRequired: bool,
    conflicts: arr(shape({ kind: e(CONFLICT_KINDS), description: str })), addedById: uuid, createdAt: time,
  }),
  CasePeople: shape({ items: arr(ref('CasePerson')), atasOutstanding: nstr, piConfirmationOutstanding: nstr }),
  /** GET /api/ui-config (web-ui.ts, served before Nest's routes): sign-in methods and the demo accounts. */
  ScreeningSource: shape({
    id: uuid, name: str, listKind: e(SCREENING_LIST_KINDS), location: nstr, cadenceMinutes: { type: ['integer', 'null'] }, publisherUrl: nstr, enabled: bool,
    createdAt: time, lastRunAt: ntime, lastError: nstr, currentVersionId: nuuid, currentEntries: { type: ['integer', 'null'] }, currentImportedAt: ntime,
  }),
  ScreeningSourceList: shape({ items: arr(ref('ScreeningSource')) }),
  ScreeningVersion: {
    ...shape({
      id: uuid, sourceId: uuid, listKind: e(SCREENING_LIST_KINDS), source: str, sha256: str, publishedAt: nstr, entryCount: int, nameCount: int, isCurrent: bool,
      importedAt: time, previousVersionId: nuuid, addedCount: { type: ['integer', 'null'] }, removedCount: { type: ['integer', 'null'] },
      changedCount: { type: ['integer', 'null'] }, rescreenedCases: { type: ['integer', 'null'] }, newHits: { type: ['integer', 'null'] },
      rememberedHits: { type: ['integer', 'null'] }, trigger: nstr, blastCount: int, sourceName: str,
    }, ['blastCount', 'sourceName']),
  },
  ScreeningVersionList: shape({ source: ref('ScreeningSource'), items: arr(ref('ScreeningVersion')) }),
  ScreeningEntryChange: shape({ field: str, added: arr(str), removed: arr(str), before: nstr, after: nstr }, ['added', 'removed', 'before', 'after']),
  ScreeningListChange: shape({
    id: str, listVersionId: uuid, change: e(LIST_CHANGE_KINDS), externalId: str, primaryName: str, entryId: uuid, previousEntryId: nuuid, changes: arr(ref('ScreeningEntryChange')),
  }),
  ScreeningVersionDiff: shape({ version: ref('ScreeningVersion'), changes: arr(ref('ScreeningListChange')) }),
  ScreeningBlastItem: shape({
    changeId: str, change: e(LIST_CHANGE_KINDS), externalId: str, primaryName: str, changes: arr(ref('ScreeningEntryChange')), caseId: uuid, reference: str, title: str,
    caseState: e(CASE_STATES), assigneeId: nuuid, subject: str, subjectKey: str, score: num,
  }),
  ScreeningBlastRadius: shape({ version: ref('ScreeningVersion'), items: arr(ref('ScreeningBlastItem')) }),
  ScreeningImportResult: shape({
    kind: e(SCREENING_LIST_KINDS), listVersionId: uuid, sha256: str, entries: int, names: int, unchanged: bool, rescreenedCases: int, newHits: int,
    rememberedHits: int, sourceId: uuid, added: int, removed: int, changed: int, blastRadius: int,
  }),
  UiConfig: shape({
    demo: bool, demoAccounts: arr(shape({ email: str, name: str, what: str })), demoPassword: nstr,
    localLogin: e(['on', 'off', 'admins']),
    sso: arr(shape({ protocol: e(['oidc', 'saml']), label: str, loginUrl: str, logoutUrl: nstr })),
  }),
  // Administration and account pages (admin-response-schemas.ts).
  ...ADMIN_RESPONSE_SCHEMAS,
};

/** The response body, naming one of RESPONSE_SCHEMAS (201 for creating POSTs). */
export const Returns = (name: string, status: 200 | 201 = 200) => {
  if (!(name in RESPONSE_SCHEMAS)) throw new Error(`No response schema called ${name}`);
  return ApiResponse({ status, description: name, schema: ref(name) as never });
};
