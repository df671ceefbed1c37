import type { Role } from './roles';
import { isStaff } from './roles';

/**
 * Who sees which case, and how much of it: the one rule. The SQL predicate in
 * libs/persistence (case.repository.ts `visibilitySql`) states the same rule for lists;
 * test/e2e/access.e2e-spec.ts and access-matrix.e2e-spec.ts hold both to it.
 *
 * - The owner always sees their case, and always as the researcher (even if they are
 *   also staff or a signer): nobody reads colleagues' assessment of their own case.
 * - The research team (the principal investigator and co-investigators named on the case
 *   with a user account, partners.ts TEAM_ROLES) see it as the owner does, from the draft on.
 * - Nobody else sees a case before it was submitted (`submittedAt`), in any state: a
 *   draft withdrawn before submission stays private.
 * - Staff (officers, lead, export control, admin) see every submitted case, staff view.
 * - A department head or their delegate active today sees a case while it waits for
 *   their sign-off, unless the owner heads that department (then the RSDO lead signs).
 * - A head sees their department's cases that were signed off; anyone who signed sees
 *   what they signed.
 */
export interface AccessPerson {
  id: string;
  roles: ReadonlySet<Role>;
  /** Departments this person heads, and those they deputise for today. */
  headOf: readonly string[];
  delegateFor: readonly string[];
}

export interface AccessCase {
  ownerId: string;
  state: string;
  submittedAt: Date | string | null;
  departmentId: string | null;
  signedBy: readonly string[];
  /** The current head of the case's department (null: none). */
  departmentHeadId: string | null;
  /** Users on the research team (PI and co-investigators named on the case); absent = none. */
  teamIds?: readonly string[];
}

/** `none`: answer 404 as for a missing case. */
export type CaseView = 'none' | 'researcher' | 'staff';

export function caseAccess(p: AccessPerson, c: AccessCase): CaseView {
  if (c.ownerId === p.id) return 'researcher';
  if (c.teamIds?.includes(p.id)) return 'researcher';
  if (c.submittedAt === null) return 'none';
  if (isStaff(p.roles)) return 'staff';
  if (mustSign(p, c)) return 'staff';
  if (c.signedBy.includes(p.id)) return 'staff';
  if (c.departmentId !== null && p.headOf.includes(c.departmentId) && c.signedBy.length > 0) return 'staff';
  return 'none';
}

/** The acting signer of a case waiting for the department's sign-off. */
export function mustSign(p: AccessPerson, c: AccessCase): boolean {
  if (c.state !== 'head_sign_off' || c.departmentId === null) return false;
  if (c.departmentHeadId === null || c.departmentHeadId === c.ownerId) return false;
  return p.headOf.includes(c.departmentId) || p.delegateFor.includes(c.departmentId);
}

/** The parts of a case each view shows. */
export interface CaseParts {
  internalNotes: boolean;
  writeInternalNotes: boolean;
  flags: boolean;
  risk: boolean;
  screening: boolean;
  triageReasoning: boolean;
  deliveryLog: boolean;
  internalAttachments: boolean;
  timers: boolean;
  /** Similar past cases at triage (the precedent panel). */
  precedents: boolean;
}

const STAFF_PARTS: CaseParts = {
  internalNotes: true,
  writeInternalNotes: true,
  flags: true,
  risk: true,
  screening: true,
  triageReasoning: true,
  deliveryLog: true,
  internalAttachments: true,
  timers: true,
  precedents: true,
};
const RESEARCHER_PARTS: CaseParts = {
  internalNotes: false,
  writeInternalNotes: false,
  flags: false,
  risk: false,
  screening: false,
  triageReasoning: false,
  deliveryLog: false,
  internalAttachments: false,
  timers: false,
  precedents: false,
};

export function caseParts(view: Exclude<CaseView, 'none'>): CaseParts {
  return view === 'staff' ? STAFF_PARTS : RESEARCHER_PARTS;
}

/** Who a new attachment is shown to when the uploader does not say: the owner's uploads to the researcher, staff uploads internal. */
export const ATTACHMENT_VISIBILITIES = ['internal', 'researcher'] as const;
export type AttachmentVisibility = (typeof ATTACHMENT_VISIBILITIES)[number];
export function defaultAttachmentVisibility(view: Exclude<CaseView, 'none'>): AttachmentVisibility {
  return view === 'staff' ? 'internal' : 'researcher';
}
