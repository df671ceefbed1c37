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
