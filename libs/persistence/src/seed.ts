import { hash } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import type { Role } from '@app/domain';

export const DEMO_PASSWORD = 'demo1234';

export interface DemoAccount {
  email: string;
  name: string;
  roles: Role[];
  department: 'PHYS' | 'CHEM' | null;
  what: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'researcher@example.ac.uk', name: 'Rosalind Price', roles: ['researcher'], department: 'PHYS', what: 'researcher, Physics' },
  { email: 'researcher2@example.ac.uk', name: 'Chidi Okafor', roles: ['researcher'], department: 'CHEM', what: 'researcher, Chemistry' },
  { email: 'officer@example.ac.uk', name: 'Olivia Grant', roles: ['rsdo_officer'], department: null, what: 'RSDO officer' },
  { email: 'officer2@example.ac.uk', name: 'Owen Marsh', roles: ['rsdo_officer'], department: null, what: 'RSDO officer' },
  { email: 'export@example.ac.uk', name: 'Esther Kaur', roles: ['export_control'], department: null, what: 'export-control officer' },
  {
    email: 'head.physics@example.ac.uk',
    name: 'Harriet Boyd',
    roles: ['researcher', 'department_head'],
    department: 'PHYS',
    what: 'head of Physics, also a researcher',
  },
  { email: 'head.chemistry@example.ac.uk', name: 'Hamid Rahimi', roles: ['researcher', 'department_head'], department: 'CHEM', what: 'head of Chemistry' },
  { email: 'rsdo.lead@example.ac.uk', name: 'Leah Fraser', roles: ['rsdo_lead'], department: null, what: 'RSDO lead' },
  { email: 'admin@example.ac.uk', name: 'Adam Ellis', roles: ['admin'], department: null, what: 'administrator' },
];

/** Seeds demo departments and accounts on an empty database (demo mode only). Returns false when users exist. */
export async function seedDemo(ownerDs: DataSource): Promise<boolean> {
  return ownerDs.transaction(async (em) => {
    await em.query('LOCK TABLE app_user IN EXCLUSIVE MODE');
    const [{ n }] = await em.query<{ n: number }[]>('SELECT count(*)::int AS n FROM app_user');
    if (n > 0) return false;
    const depts: Record<string, string> = {};
    for (const [code, name] of [
      ['PHYS', 'Physics'],
      ['CHEM', 'Chemistry'],
    ]) {
      const [row] = await em.query<{ id: string }[]>('INSERT INTO department (code, name) VALUES ($1, $2) RETURNING id', [code, name]);
      depts[code] = row.id;
    }
    const passwordHash = await hash(DEMO_PASSWORD);
    const ids: Record<string, string> = {};
    for (const a of DEMO_ACCOUNTS) {
      const [row] = await em.query<{ id: string }[]>(
        'INSERT INTO app_user (email, name, password_hash, roles, department_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [a.email, a.name, passwordHash, a.roles, a.department ? depts[a.department] : null],
      );
      ids[a.email] = row.id;
    }
    await em.query('UPDATE department SET head_user_id = $1 WHERE code = $2', [ids['head.physics@example.ac.uk'], 'PHYS']);
    await em.query('UPDATE department SET head_user_id = $1 WHERE code = $2', [ids['head.chemistry@example.ac.uk'], 'CHEM']);
    return true;
  });
}
