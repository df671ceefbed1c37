import { ROLE_LABELS, ROLES, type Role } from './roles';

/**
 * The capacity a person acted in on a case, as the timeline and notes name it: one of
 * their roles, or a department head's delegate signing for the department.
 */
export type ActingRole = Role | 'signing_delegate';
export const ACTING_ROLES: readonly ActingRole[] = [...ROLES, 'signing_delegate'];
export const ACTING_ROLE_LABELS: Record<ActingRole, string> = { ...ROLE_LABELS, signing_delegate: "Department head's delegate" };

/** Most specific first: a lead acts as the lead, a head who is also a researcher acts as the head on others' cases. */
const ACTING_ORDER: readonly Role[] = ['rsdo_lead', 'rsdo_officer', 'export_control', 'department_head', 'admin'];

/**
 * The role someone acted in: on their own case always the researcher; signing a case
 * (endorse, decline) the head, the lead or a delegate; otherwise their most specific
 * staff role. Not stored on the event: read from the person's roles now.
 */
export function actingRole(action: string, roles: readonly string[], isOwner: boolean): ActingRole {
  if (isOwner) return 'researcher';
  const has = (r: Role) => roles.includes(r);
  if (action === 'endorse' || action === 'decline') return has('department_head') ? 'department_head' : has('rsdo_lead') ? 'rsdo_lead' : 'signing_delegate';
  if (action === 'complete_export_review' && has('export_control')) return 'export_control';
  return ACTING_ORDER.find(has) ?? (has('researcher') ? 'signing_delegate' : 'researcher');
}
