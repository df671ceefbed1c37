import { ErrorCode } from './errors';
import { effectiveRoles, type Actor, type Role } from './roles';
import { CASE_STATES, type CaseState } from './states';
import { ACTIONS, TRANSITIONS, availableActions, blockedActions, decide, type ActionName, type CaseFacts } from './transitions';

const actor = (id: string, ...roles: Role[]): Actor => ({ id, roles: effectiveRoles(roles) });

const owner = actor('u-owner', 'researcher');
const other = actor('u-other', 'researcher');
const officer = actor('u-officer', 'rsdo_officer');
const lead = actor('u-lead', 'rsdo_lead');
const exportCtl = actor('u-export', 'export_control');
const signer = actor('u-head', 'researcher', 'department_head');
const headOwner = actor('u-head-owner', 'researcher', 'department_head');
const officerOwner = actor('u-officer-owner', 'researcher', 'rsdo_officer');
const admin = actor('u-admin', 'admin');

/** Facts under which only state, role and segregation decide. */
function happy(state: CaseState, overrides: Partial<CaseFacts> = {}): CaseFacts {
  const risk: Record<CaseState, CaseFacts['riskLevel']> = {
    draft: null,
    submitted: null,
    triaged: 'low',
    export_control_review: 'low',
    head_sign_off: 'medium',
    lead_review: 'high',
    awaiting_information: 'low',
    approved: 'low',
    suspended: 'low',
    rejected: 'low',
    withdrawn: null,
    revoked: 'low',
    closed: null,
  };
  const triaged = !['draft', 'submitted', 'withdrawn', 'closed'].includes(state);
  return {
    state,
    ownerId: owner.id,
    assigneeId: triaged ? officer.id : null,
    triagedById: triaged ? officer.id : null,
    riskLevel: risk[state],
    triageStale: false,
    exportReviewRequired: false,
    exportReviewCompleted: false,
    openBlockingFlags: 0,
    returnState: state === 'awaiting_information' ? 'triaged' : null,
    questionnaireMissing: [],
    signers: { userIds: [signer.id], leadSigns: false },
    ...overrides,
  };
}

/** The head and the officer who own their cases act on those cases, not on u-owner's. */
function factsFor(state: CaseState, who: Actor): CaseFacts {
  if (who === headOwner) return happy(state, { ownerId: headOwner.id, signers: { userIds: [], leadSigns: true } });
  if (who === officerOwner) return happy(state, { ownerId: officerOwner.id });
  return happy(state);
}

const outcome = (state: CaseState, action: string, who: Actor): string => {
  const d = decide(action, factsFor(state, who), who);
  return d.allowed ? `ok:${d.to}` : d.code;
};

const R = 'NOT_ALLOWED_FOR_ROLE';
const S = 'SEGREGATION_OF_DUTIES';

const COLUMNS = [owner, other, officer, lead, exportCtl, signer, headOwner, officerOwner, admin];
type Cell = string;
type Row = [CaseState, ActionName, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell];

// prettier-ignore
const MATRIX: Row[] = [
  // state                   action                    owner              other  officer                      lead                         export                       signer         headOwner          officerOwner       admin
  ['draft',                  'submit',                 'ok:submitted',    R,     R,                           R,                           R,                           R,             'ok:submitted',    'ok:submitted',    R],
  ['draft',                  'withdraw',               'ok:withdrawn',    R,     R,                           R,                           R,                           R,             'ok:withdrawn',    'ok:withdrawn',    R],

  ['submitted',              'assign',                 R,                 R,     'ok:submitted',              'ok:submitted',              R,                           R,             R,                 S,                 R],
  ['submitted',              'triage',                 R,                 R,     'ok:triaged',                'ok:triaged',                R,                           R,             R,                 S,                 R],
  ['submitted',              'reject',                 R,                 R,     'ok:rejected',               'ok:rejected',               R,                           R,             R,                 S,                 R],
  ['submitted',              'request_information',    R,                 R,     'ok:awaiting_information',   'ok:awaiting_information',   'ok:awaiting_information',   R,             R,                 S,                 R],
  ['submitted',              'withdraw',               'ok:withdrawn',    R,     R,                           R,                           R,                           R,             'ok:withdrawn',    'ok:withdrawn',    R],
  ['submitted',              'flag',                   R,                 R,     'ok:submitted',              'ok:submitted',              R,                           R,             R,                 S,                 R],
  ['submitted',              'clear_flag',             R,                 R,     'ok:submitted',              'ok:submitted',              R,                           R,             R,                 S,                 R],
  ['submitted',              'close_not_in_scope',     R,                 R,     'ok:closed',                 'ok:closed',                 R,                           R,             R,                 S,                 R],

  ['triaged',                'assign',                 R,                 R,     'ok:triaged',                'ok:triaged',                R,                           R,             R,                 S,                 R],
  ['triaged',                'retriage',               R,                 R,     'ok:triaged',                'ok:triaged',                R,                           R,             R,                 S,                 R],
  ['triaged',                'start_export_review',    R,                 R,     'ok:export_control_review',  'ok:export_control_review',  R,                           R,             R,                 S,                 R],
  ['triaged',                'request_sign_off',       R,                 R,     'ok:head_sign_off',          'ok:head_sign_off',          R,                           R,             R,                 S,                 R],
  ['triaged',                'approve',                R,                 R,     'ok:approved',               'ok:approved',               R,                           R,             R,                 S,                 R],
  ['triaged',                'reject',                 R,                 R,     'ok:rejected',               'ok:rejected',               R,                           R,             R,                 S,                 R],
  ['triaged',                'request_information',    R,                 R,     'ok:awaiting_information',   'ok:awaiting_information',   'ok:awaiting_information',   R,             R,                 S,                 R],
  ['triaged',                'withdraw',               'ok:withdrawn',    R,     R,                           R,                           R,                           R,             'ok:withdrawn',    'ok:withdrawn',    R],
  ['triaged',                'flag',                   R,                 R,     'ok:triaged',                'ok:triaged',                R,                           R,             R,                 S,                 R],
  ['triaged',                'clear_flag',             R,                 R,     'ok:triaged',                'ok:triaged',                R,                           R,             R,                 S,                 R],
  ['triaged',                'close_not_in_scope',     R,                 R,     'ok:closed',                 'ok:closed',                 R,                           R,             R,                 S,                 R],

  ['export_control_review',  'assign',                 R,                 R,     'ok:export_control_review',  'ok:export_control_review',  R,                           R,             R,                 S,                 R],
  ['export_control_review',  'complete_export_review', R,                 R,     R,                           R,                           'ok:triaged',                R,             R,                 R,                 R],
  ['export_control_review',  'reject',                 R,                 R,     'ok:rejected',               'ok:rejected',               R,                           R,             R,                 S,                 R],
  ['export_control_review',  'request_information',    R,                 R,     'ok:awaiting_information',   'ok:awaiting_information',   'ok:awaiting_information',   R,             R,                 S,                 R],
  ['export_control_review',  'withdraw',               'ok:withdrawn',    R,     R,                           R,                           R,                           R,             'ok:withdrawn',    'ok:withdrawn',    R],
  ['export_control_review',  'flag',                   R,                 R,     'ok:export_control_review',  'ok:export_control_review',  R,                           R,             R,                 S,                 R],
  ['export_control_review',  'clear_flag',             R,                 R,     'ok:export_control_review',  'ok:export_control_review',  R,                           R,             R,                 S,                 R],

  ['head_sign_off',          'assign',                 R,                 R,     'ok:head_sign_off',          'ok:head_sign_off',          R,                           R,             R,                 S,                 R],
  ['head_sign_off',          'endorse',                R,                 R,     R,                           R,                           R,                           'ok:approved', R,                 R,                 R],
  ['head_sign_off',          'decline',                R,                 R,     R,                           R,                           R,                           'ok:triaged',  R,                 R,                 R],
  ['head_sign_off',          'reject',                 R,                 R,     'ok:rejected',               'ok:rejected',               R,                           R,             R,                 S,                 R],
  ['head_sign_off',          'withdraw',               'ok:withdrawn',    R,     R,                           R,                           R,                           R,             'ok:withdrawn',    'ok:withdrawn',    R],
  ['head_sign_off',          'flag',                   R,                 R,     'ok:head_sign_off',          'ok:head_sign_off',          R,                           R,             R,                 S,                 R],
  ['head_sign_off',          'clear_flag',             R,                 R,     'ok:head_sign_off',          'ok:head_sign_off',          R,                           R,             R,                 S,                 R],

  ['lead_review',            'assign',                 R,                 R,     'ok:lead_review',            'ok:lead_review',            R,                           R,             R,                 S,                 R],
  ['lead_review',            'approve',                R,                 R,     R,                           'ok:approved',               R,                           R,             R,                 R,                 R],
  ['lead_review',            'reject',                 R,                 R,     'ok:rejected',               'ok:rejected',               R,                           R,             R,                 S,                 R],
  ['lead_review',            'withdraw',               'ok:withdrawn',    R,     R,                           R,                           R,                           R,             'ok:withdrawn',    'ok:withdrawn',    R],
  ['lead_review',            'flag',                   R,                 R,     'ok:lead_review',            'ok:lead_review',            R,                           R,             R,                 S,                 R],
  ['lead_review',            'clear_flag',             R,                 R,     'ok:lead_review',            'ok:lead_review',            R,                           R,             R,                 S,                 R],

  ['awaiting_information',   'assign',                 R,                 R,     'ok:awaiting_information',   'ok:awaiting_information',   R,                           R,             R,                 S,                 R],
  ['awaiting_information',   'reject',                 R,                 R,     'ok:rejected',               'ok:rejected',               R,                           R,             R,                 S,                 R],
  ['awaiting_information',   'respond',                'ok:triaged',      R,     R,                           R,                           R,                           R,             'ok:triaged',      'ok:triaged',      R],
  ['awaiting_information',   'extend_deadline',        R,                 R,     'ok:awaiting_information',   'ok:awaiting_information',   R,                           R,             R,                 S,                 R],
  ['awaiting_information',   'cancel_request',         R,                 R,     'ok:triaged',                'ok:triaged',                R,                           R,             R,                 S,                 R],
  ['awaiting_information',   'withdraw',               'ok:withdrawn',    R,     R,                           R,                           R,                           R,             'ok:withdrawn',    'ok:withdrawn',    R],
  ['awaiting_information',   'flag',                   R,                 R,     'ok:awaiting_information',   'ok:awaiting_information',   R,                           R,             R,                 S,                 R],
  ['awaiting_information',   'clear_flag',             R,                 R,     'ok:awaiting_information',   'ok:awaiting_information',   R,                           R,             R,                 S,                 R],

  ['approved',               'record_condition_met',   R,                 R,     'ok:approved',               'ok:approved',               R,                           R,             R,                 S,                 R],
  ['approved',               'request_amendment',      'ok:approved',     R,     R,                           R,                           R,                           R,             'ok:approved',     'ok:approved',     R],
  ['approved',               'flag',                   R,                 R,     'ok:approved',               'ok:approved',               R,                           R,             R,                 S,                 R],
  ['approved',               'clear_flag',             R,                 R,     'ok:approved',               'ok:approved',               R,                           R,             R,                 S,                 R],
  ['approved',               'suspend',                R,                 R,     'ok:suspended',              'ok:suspended',              R,                           R,             R,                 S,                 R],
  ['approved',               'revoke',                 R,                 R,     'ok:revoked',                'ok:revoked',                R,                           R,             R,                 S,                 R],

  ['suspended',              'record_condition_met',   R,                 R,     'ok:suspended',              'ok:suspended',              R,                           R,             R,                 S,                 R],
  ['suspended',              'flag',                   R,                 R,     'ok:suspended',              'ok:suspended',              R,                           R,             R,                 S,                 R],
  ['suspended',              'clear_flag',             R,                 R,     'ok:suspended',              'ok:suspended',              R,                           R,             R,                 S,                 R],
  // The RSDO lead only (an officer stopped the work over a legal concern; a senior second person restarts it).
  ['suspended',              'reinstate',              R,                 R,     R,                           'ok:approved',               R,                           R,             R,                 R,                 R],
  ['suspended',              'revoke',                 R,                 R,     'ok:revoked',                'ok:revoked',                R,                           R,             R,                 S,                 R],
];

/** Every other (state, action) pair: INVALID_TRANSITION for every actor. */
// prettier-ignore
const INVALID: Record<CaseState, ActionName[]> = {
  draft: ['assign', 'triage', 'retriage', 'start_export_review', 'complete_export_review', 'request_sign_off', 'endorse', 'decline', 'approve', 'reject', 'request_information', 'respond', 'extend_deadline', 'cancel_request', 'record_condition_met', 'request_amendment', 'flag', 'clear_flag', 'close_not_in_scope', 'suspend', 'reinstate', 'revoke'],
  submitted: ['submit', 'retriage', 'start_export_review', 'complete_export_review', 'request_sign_off', 'endorse', 'decline', 'approve', 'respond', 'extend_deadline', 'cancel_request', 'record_condition_met', 'request_amendment', 'suspend', 'reinstate', 'revoke'],
  triaged: ['submit', 'triage', 'complete_export_review', 'endorse', 'decline', 'respond', 'extend_deadline', 'cancel_request', 'record_condition_met', 'request_amendment', 'suspend', 'reinstate', 'revoke'],
  export_control_review: ['submit', 'triage', 'retriage', 'start_export_review', 'request_sign_off', 'endorse', 'decline', 'approve', 'respond', 'extend_deadline', 'cancel_request', 'record_condition_met', 'request_amendment', 'close_not_in_scope', 'suspend', 'reinstate', 'revoke'],
  head_sign_off: ['submit', 'triage', 'retriage', 'start_export_review', 'complete_export_review', 'request_sign_off', 'approve', 'request_information', 'respond', 'extend_deadline', 'cancel_request', 'record_condition_met', 'request_amendment', 'close_not_in_scope', 'suspend', 'reinstate', 'revoke'],
  lead_review: ['submit', 'triage', 'retriage', 'start_export_review', 'complete_export_review', 'request_sign_off', 'endorse', 'decline', 'request_information', 'respond', 'extend_deadline', 'cancel_request', 'record_condition_met', 'request_amendment', 'close_not_in_scope', 'suspend', 'reinstate', 'revoke'],
  awaiting_information: ['submit', 'triage', 'retriage', 'start_export_review', 'complete_export_review', 'request_sign_off', 'endorse', 'decline', 'approve', 'request_information', 'record_condition_met', 'request_amendment', 'close_not_in_scope', 'suspend', 'reinstate', 'revoke'],
  approved: ['submit', 'assign', 'triage', 'retriage', 'start_export_review', 'complete_export_review', 'request_sign_off', 'endorse', 'decline', 'approve', 'reject', 'request_information', 'respond', 'extend_deadline', 'cancel_request', 'withdraw', 'close_not_in_scope', 'reinstate'],
  suspended: ['submit', 'assign', 'triage', 'retriage', 'start_export_review', 'complete_export_review', 'request_sign_off', 'endorse', 'decline', 'approve', 'reject', 'request_information', 'respond', 'extend_deadline', 'cancel_request', 'withdraw', 'request_amendment', 'close_not_in_scope', 'suspend'],
  rejected: [...ACTIONS],
  withdrawn: [...ACTIONS],
  revoked: [...ACTIONS],
  closed: [...ACTIONS],
};

describe('the expected matrix', () => {
  it('names every (state, action) pair exactly once', () => {
    const seen = new Map<string, number>();
    const note = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    for (const [state, action] of MATRIX) note(`${state}/${action}`);
    for (const state of CASE_STATES) for (const action of INVALID[state]) note(`${state}/${action}`);
    for (const state of CASE_STATES)
      for (const action of ACTIONS) expect([`${state}/${action}`, seen.get(`${state}/${action}`)]).toEqual([`${state}/${action}`, 1]);
    expect(seen.size).toBe(CASE_STATES.length * ACTIONS.length);
  });

  it.each(MATRIX)('%s + %s', (state, action, ...expected) => {
    const actual = COLUMNS.map((who) => outcome(state, action, who));
    expect(actual).toEqual(expected);
  });

  const invalidRows = CASE_STATES.flatMap((s) => INVALID[s].map((a) => [s, a] as const));
  it.each(invalidRows)('%s + %s is invalid for everyone', (state, action) => {
    expect(COLUMNS.map((who) => outcome(state, action, who))).toEqual(COLUMNS.map(() => 'INVALID_TRANSITION'));
  });
});

describe('decide: check order and lookups', () => {
  it.each([
    ['an unknown action', 'dance', happy('triaged'), officer, 'UNKNOWN_ACTION'],
    ['an action name of another casing', 'Approve', happy('triaged'), officer, 'UNKNOWN_ACTION'],
    ['invalid transition before role', 'submit', happy('approved'), admin, 'INVALID_TRANSITION'],
    ['role before segregation', 'complete_export_review', happy('export_control_review'), officerOwner, 'NOT_ALLOWED_FOR_ROLE'],
    ['segregation before guards', 'approve', happy('triaged', { ownerId: officer.id, riskLevel: 'high' }), officer, 'SEGREGATION_OF_DUTIES'],
    ['role before guards', 'submit', happy('draft', { questionnaireMissing: ['summary'] }), other, 'NOT_ALLOWED_FOR_ROLE'],
  ] as const)('%s', (_label, action, facts, who, code) => {
    const d = decide(action, facts, who);
    expect(d).toMatchObject({ allowed: false, code });
    if (!d.allowed) expect(d.message).toMatch(/\S/);
  });

  it('has at most one row per (state, action), and approve exactly two rows', () => {
    for (const state of CASE_STATES) {
      for (const action of ACTIONS) {
        expect(TRANSITIONS.filter((r) => r.action === action && r.from.includes(state)).length).toBeLessThanOrEqual(1);
      }
    }
    expect(TRANSITIONS.filter((r) => r.action === 'approve')).toHaveLength(2);
  });
});

describe('segregation of duties', () => {
  const triagerSigner = actor('u-officer-head', 'rsdo_officer', 'department_head');
  const ownerLead = actor('u-owner-lead', 'researcher', 'rsdo_lead');
  const ownerExport = actor('u-owner-export', 'researcher', 'export_control');
  it.each([
    [
      'a signer who triaged may not endorse',
      'endorse',
      happy('head_sign_off', { triagedById: triagerSigner.id, signers: { userIds: [triagerSigner.id], leadSigns: false } }),
      triagerSigner,
    ],
    [
      'a signer who triaged may not decline',
      'decline',
      happy('head_sign_off', { triagedById: triagerSigner.id, signers: { userIds: [triagerSigner.id], leadSigns: false } }),
      triagerSigner,
    ],
    [
      'a lead who triaged may not sign for a head',
      'endorse',
      happy('head_sign_off', { triagedById: lead.id, signers: { userIds: [], leadSigns: true } }),
      lead,
    ],
    [
      'a lead who owns the case may not sign it',
      'endorse',
      happy('head_sign_off', { ownerId: ownerLead.id, signers: { userIds: [], leadSigns: true } }),
      ownerLead,
    ],
    ['a lead who owns the case may not approve it', 'approve', happy('lead_review', { ownerId: ownerLead.id }), ownerLead],
    ['a lead who owns the case may not reject it', 'reject', happy('lead_review', { ownerId: ownerLead.id }), ownerLead],
    [
      'an export officer who owns the case may not review it',
      'complete_export_review',
      happy('export_control_review', { ownerId: ownerExport.id }),
      ownerExport,
    ],
    ['an export officer who owns the case may not question it', 'request_information', happy('triaged', { ownerId: ownerExport.id }), ownerExport],
  ] as const)('%s', (_label, action, facts, who) => {
    expect(decide(action, facts, who)).toMatchObject({ allowed: false, code: 'SEGREGATION_OF_DUTIES' });
  });

  it('lets the owner who holds a staff role still act as owner', () => {
    expect(decide('withdraw', happy('triaged', { ownerId: ownerLead.id }), ownerLead)).toEqual({ allowed: true, to: 'withdrawn' });
  });
});

describe('four eyes after triage and after suspension', () => {
  const otherLead = actor('u-lead-2', 'rsdo_lead');
  it.each([
    // issue 12 defect 6: the RSDO lead who triaged may not give the final approval
    ['the lead who triaged, lead approve', 'approve', happy('lead_review', { triagedById: lead.id }), lead, S],
    ['another lead, lead approve', 'approve', happy('lead_review', { triagedById: lead.id }), otherLead, 'ok:approved'],
    [
      'the lead who triaged, endorse when leadSigns',
      'endorse',
      happy('head_sign_off', { triagedById: lead.id, signers: { userIds: [], leadSigns: true } }),
      lead,
      S,
    ],
    ['the lead who suspended, reinstate', 'reinstate', happy('suspended', { suspendedById: lead.id }), lead, S],
    ['another lead, reinstate', 'reinstate', happy('suspended', { suspendedById: lead.id }), otherLead, 'ok:approved'],
    ['any lead, reinstate after the licence timer suspended it', 'reinstate', happy('suspended', { suspendedById: null }), lead, 'ok:approved'],
    ['reinstate while a blocking flag is open', 'reinstate', happy('suspended', { openBlockingFlags: 1 }), lead, 'BLOCKING_FLAG_OPEN'],
    // Four eyes on hard flags: approve is the lead's alone, and not the triaging lead's.
    ['an officer approving a hard-flagged low case', 'approve', happy('triaged', { hardFlags: ['wmd_end_use'] }), officer, 'HARD_FLAG_LEAD_ONLY'],
    ['the lead who triaged a hard-flagged case, approve', 'approve', happy('triaged', { hardFlags: ['wmd_end_use'], triagedById: lead.id }), lead, S],
    ['another lead, hard-flagged approve', 'approve', happy('triaged', { hardFlags: ['sanctions_match'], triagedById: lead.id }), otherLead, 'ok:approved'],
    ['an officer approving without hard flags', 'approve', happy('triaged', { hardFlags: [] }), officer, 'ok:approved'],
  ] as const)('%s', (_label, action, facts, who, expected) => {
    const d = decide(action, facts, who);
    expect(d.allowed ? `ok:${d.to}` : d.code).toBe(expected);
  });
});

describe('who signs', () => {
  const delegate = actor('u-delegate', 'researcher');
  it.each([
    ['a delegate in the signer set', happy('head_sign_off', { signers: { userIds: [signer.id, delegate.id], leadSigns: false } }), delegate, 'ok:approved'],
    [
      'any rsdo_lead when the head submitted',
      happy('head_sign_off', { ownerId: headOwner.id, signers: { userIds: [], leadSigns: true } }),
      lead,
      'ok:approved',
    ],
    ['an officer when the head submitted', happy('head_sign_off', { ownerId: headOwner.id, signers: { userIds: [], leadSigns: true } }), officer, R],
    ['the head when only the lead signs', happy('head_sign_off', { signers: { userIds: [], leadSigns: true } }), signer, R],
    ['a lead when the head signs', happy('head_sign_off'), lead, R],
  ] as const)('%s', (_label, facts, who, expected) => {
    const d = decide('endorse', facts, who);
    expect(d.allowed ? `ok:${d.to}` : d.code).toBe(expected);
  });
});

describe('guards', () => {
  const cases: [string, ActionName, CaseFacts, Actor, ErrorCode][] = [
    [
      'submit with unanswered questions',
      'submit',
      happy('draft', { questionnaireMissing: ['summary', 'startDate'] }),
      owner,
      ErrorCode.QUESTIONNAIRE_INCOMPLETE,
    ],
    [
      'sign-off before a required export review',
      'request_sign_off',
      happy('triaged', { exportReviewRequired: true }),
      officer,
      ErrorCode.EXPORT_REVIEW_REQUIRED,
    ],
    ['sign-off with a blocking flag', 'request_sign_off', happy('triaged', { openBlockingFlags: 1 }), officer, ErrorCode.BLOCKING_FLAG_OPEN],
    ['sign-off on a stale triage', 'request_sign_off', happy('triaged', { triageStale: true }), officer, ErrorCode.TRIAGE_STALE],
    [
      'sign-off with every guard failing reports the export review',
      'request_sign_off',
      happy('triaged', { exportReviewRequired: true, openBlockingFlags: 2, triageStale: true }),
      officer,
      ErrorCode.EXPORT_REVIEW_REQUIRED,
    ],
    ['officer approve at medium risk', 'approve', happy('triaged', { riskLevel: 'medium' }), officer, ErrorCode.RISK_LEVEL_TOO_HIGH],
    ['officer approve at high risk', 'approve', happy('triaged', { riskLevel: 'high' }), officer, ErrorCode.RISK_LEVEL_TOO_HIGH],
    ['officer approve with no risk level', 'approve', happy('triaged', { riskLevel: null }), officer, ErrorCode.RISK_LEVEL_TOO_HIGH],
    ['officer approve on a stale triage', 'approve', happy('triaged', { triageStale: true }), officer, ErrorCode.TRIAGE_STALE],
    ['officer approve with a blocking flag', 'approve', happy('triaged', { openBlockingFlags: 1 }), officer, ErrorCode.BLOCKING_FLAG_OPEN],
    ['officer approve before a required export review', 'approve', happy('triaged', { exportReviewRequired: true }), officer, ErrorCode.EXPORT_REVIEW_REQUIRED],
    [
      'officer approve with every guard failing reports the risk',
      'approve',
      happy('triaged', { riskLevel: 'medium', triageStale: true, openBlockingFlags: 1, exportReviewRequired: true }),
      officer,
      ErrorCode.RISK_LEVEL_TOO_HIGH,
    ],
    ['endorse that would approve, with a blocking flag', 'endorse', happy('head_sign_off', { openBlockingFlags: 1 }), signer, ErrorCode.BLOCKING_FLAG_OPEN],
    ['lead approve with a blocking flag', 'approve', happy('lead_review', { openBlockingFlags: 1 }), lead, ErrorCode.BLOCKING_FLAG_OPEN],
    [
      'officer approve while FIRS registration is outstanding',
      'approve',
      happy('triaged', { firsOutstanding: 'Foreign Influence Registration Scheme: partner MSU (RU) ...' }),
      officer,
      ErrorCode.FIRS_REGISTRATION_REQUIRED,
    ],
    [
      'sign-off while FIRS registration is outstanding',
      'request_sign_off',
      happy('triaged', { firsOutstanding: 'Foreign Influence Registration Scheme: partner MSU (RU) ...' }),
      officer,
      ErrorCode.FIRS_REGISTRATION_REQUIRED,
    ],
    [
      'lead approve while FIRS registration is outstanding',
      'approve',
      happy('lead_review', { firsOutstanding: 'Foreign Influence Registration Scheme: partner MSU (RU) ...' }),
      lead,
      ErrorCode.FIRS_REGISTRATION_REQUIRED,
    ],
    ['respond without a remembered state', 'respond', happy('awaiting_information', { returnState: null }), owner, ErrorCode.INVALID_TRANSITION],
    [
      'cancel a request without a remembered state',
      'cancel_request',
      happy('awaiting_information', { returnState: null }),
      officer,
      ErrorCode.INVALID_TRANSITION,
    ],
  ];
  it.each(cases)('refuses %s', (_label, action, facts, who, code) => {
    expect(decide(action, facts, who)).toMatchObject({ allowed: false, code });
  });

  const passes: [string, ActionName, CaseFacts, Actor, CaseState][] = [
    [
      'sign-off after the required export review',
      'request_sign_off',
      happy('triaged', { exportReviewRequired: true, exportReviewCompleted: true }),
      officer,
      'head_sign_off',
    ],
    [
      'officer approve after the required export review',
      'approve',
      happy('triaged', { exportReviewRequired: true, exportReviewCompleted: true }),
      officer,
      'approved',
    ],
    [
      'endorse of a high-risk case with a blocking flag (it goes to the lead)',
      'endorse',
      happy('head_sign_off', { riskLevel: 'high', openBlockingFlags: 1 }),
      signer,
      'lead_review',
    ],
    ['reject with a blocking flag', 'reject', happy('triaged', { openBlockingFlags: 1 }), officer, 'rejected'],
    ['officer approve once FIRS is settled', 'approve', happy('triaged', { firsOutstanding: null }), officer, 'approved'],
    [
      'reject while FIRS registration is outstanding',
      'reject',
      happy('triaged', { firsOutstanding: 'Foreign Influence Registration Scheme: ...' }),
      officer,
      'rejected',
    ],
    ['retriage of a stale triage', 'retriage', happy('triaged', { triageStale: true }), officer, 'triaged'],
    ['withdraw of an incomplete draft', 'withdraw', happy('draft', { questionnaireMissing: ['summary'] }), owner, 'withdrawn'],
  ];
  it.each(passes)('allows %s', (_label, action, facts, who, to) => {
    expect(decide(action, facts, who)).toEqual({ allowed: true, to });
  });
});

describe('where endorse leads', () => {
  it.each([
    ['low', 'approved'],
    ['medium', 'approved'],
    ['high', 'lead_review'],
  ] as const)('risk %s → %s', (riskLevel, to) => {
    expect(decide('endorse', happy('head_sign_off', { riskLevel }), signer)).toEqual({ allowed: true, to });
  });
});

describe('returning from awaiting_information', () => {
  it.each([
    ['respond', 'submitted', owner],
    ['respond', 'triaged', owner],
    ['respond', 'export_control_review', owner],
    ['cancel_request', 'submitted', officer],
    ['cancel_request', 'triaged', officer],
    ['cancel_request', 'export_control_review', officer],
  ] as const)('%s returns to %s', (action, returnState, who) => {
    expect(decide(action, happy('awaiting_information', { returnState }), who)).toEqual({ allowed: true, to: returnState });
  });

  it('extend_deadline stays put', () => {
    expect(decide('extend_deadline', happy('awaiting_information'), officer)).toEqual({ allowed: true, to: 'awaiting_information' });
  });
});

describe('availableActions', () => {
  it.each([
    ['owner, draft', happy('draft'), owner, ['submit', 'withdraw']],
    ['owner, incomplete draft', happy('draft', { questionnaireMissing: ['title'] }), owner, ['withdraw']],
    ['owner, triaged', happy('triaged'), owner, ['withdraw']],
    ['other researcher, triaged', happy('triaged'), other, []],
    [
      'officer, triaged',
      happy('triaged'),
      officer,
      ['assign', 'retriage', 'start_export_review', 'request_sign_off', 'approve', 'reject', 'request_information', 'flag', 'clear_flag', 'close_not_in_scope'],
    ],
    [
      'officer, triaged at medium risk',
      happy('triaged', { riskLevel: 'medium' }),
      officer,
      ['assign', 'retriage', 'start_export_review', 'request_sign_off', 'reject', 'request_information', 'flag', 'clear_flag', 'close_not_in_scope'],
    ],
    ['officer who owns it, triaged', happy('triaged', { ownerId: officerOwner.id }), officerOwner, ['withdraw']],
    ['export control, under review', happy('export_control_review'), exportCtl, ['complete_export_review', 'request_information']],
    ['signer, head sign-off', happy('head_sign_off'), signer, ['endorse', 'decline']],
    ['lead, lead review', happy('lead_review'), lead, ['assign', 'approve', 'reject', 'flag', 'clear_flag']],
    ['owner, awaiting information', happy('awaiting_information'), owner, ['respond', 'withdraw']],
    ['officer, approved', happy('approved'), officer, ['record_condition_met', 'flag', 'clear_flag', 'suspend', 'revoke']],
    ['officer, suspended', happy('suspended'), officer, ['record_condition_met', 'flag', 'clear_flag', 'revoke']],
    ['lead, suspended', happy('suspended'), lead, ['record_condition_met', 'flag', 'clear_flag', 'reinstate', 'revoke']],
    ['owner, suspended', happy('suspended'), owner, []],
    ['owner, approved', happy('approved'), owner, ['request_amendment']],
    ['admin, triaged', happy('triaged'), admin, []],
    ['officer, rejected', happy('rejected'), officer, []],
  ] as const)('%s', (_label, facts, who, expected) => {
    expect(availableActions(facts, who)).toEqual(expected);
  });
});

describe('blockedActions', () => {
  it("lists an action blocked by an open blocking flag with the refusal, and not the actions that are not this person's", () => {
    const facts = happy('triaged', { openBlockingFlags: 2 });
    const blocked = blockedActions(facts, officer);
    const approve = blocked.find((b) => b.name === 'approve');
    expect(approve?.message).toMatch(/2 open blocking flag/);
    expect(approve?.code).toBe((decide('approve', facts, officer) as { code: string }).code);
    expect(blocked.map((b) => b.name)).not.toContain('endorse'); // a signer's action, not the officer's
    expect(blocked.map((b) => b.name)).not.toContain('submit'); // not possible in this state
    // Nothing is both available and blocked.
    expect(blocked.filter((b) => availableActions(facts, officer).includes(b.name))).toEqual([]);
  });

  it('lists submit for an incomplete draft, with the questionnaire sentence', () => {
    const blocked = blockedActions(happy('draft', { questionnaireMissing: ['title'] }), owner);
    expect(blocked.map((b) => b.name)).toEqual(['submit']);
    expect(blocked[0].code).toBe('QUESTIONNAIRE_INCOMPLETE');
  });

  it('lists nothing when every possible action is allowed', () => {
    expect(blockedActions(happy('draft'), owner)).toEqual([]);
  });
});
