export const ROLES = ['researcher', 'rsdo_officer', 'rsdo_lead', 'export_control', 'department_head', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  researcher: 'Researcher',
  rsdo_officer: 'RSDO officer',
  rsdo_lead: 'RSDO lead',
  export_control: 'Export-control officer',
  department_head: 'Department head',
  admin: 'Administrator',
};

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ROLE_SET.has(value);
}

/**
 * The lead is an officer with more authority; expanding here, once, means no
 * permission check elsewhere has to remember to list both roles.
 */
export function effectiveRoles(roles: Iterable<Role>): ReadonlySet<Role> {
  const set = new Set<Role>(roles);
  if (set.has('rsdo_lead')) set.add('rsdo_officer');
  return set;
}

const STAFF_ROLES: readonly Role[] = ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'];

/** Staff see every case; everyone else sees only cases they own or must sign. */
export function isStaff(roles: ReadonlySet<Role>): boolean {
  return STAFF_ROLES.some((r) => roles.has(r));
}

/** Someone acting on a case. `roles` must already be effective (see effectiveRoles). */
export interface Actor {
  id: string;
  roles: ReadonlySet<Role>;
}

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
