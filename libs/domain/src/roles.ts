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

/** Where each role's work is: the page a person lands on after sign-in and at "/". */
export type LandingPage = 'my_cases' | 'work_queue' | 'export_queue' | 'sign_off' | 'administration';

/**
 * Each role's landing page and its rank: a person with several roles lands on the page
 * of their lowest-ranked role (a head who is also a researcher lands on sign-off; an
 * administrator who is also an officer on the queue). Typed by Role, so a new role
 * without a landing page does not compile.
 */
export const ROLE_LANDING: Record<Role, { page: LandingPage; rank: number }> = {
  rsdo_lead: { page: 'sign_off', rank: 1 },
  department_head: { page: 'sign_off', rank: 2 },
  rsdo_officer: { page: 'work_queue', rank: 3 },
  export_control: { page: 'export_queue', rank: 4 },
  admin: { page: 'administration', rank: 5 },
  researcher: { page: 'my_cases', rank: 6 },
};

/** The landing page of someone with these roles (unknown role strings are ignored); null when none is known. */
export function landingPageFor(roles: Iterable<string>): LandingPage | null {
  let best: { page: LandingPage; rank: number } | null = null;
  for (const r of roles) {
    if (!isRole(r)) continue;
    const l = ROLE_LANDING[r];
    if (!best || l.rank < best.rank) best = l;
  }
  return best?.page ?? null;
}
