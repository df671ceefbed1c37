import { DomainError, ErrorCode } from './errors';
import { effectiveRoles, isRole, isStaff, landingPageFor, ROLE_LANDING, type Role } from './roles';
import { CASE_STATES, FINAL_STATES, OPEN_STATES, TERMINAL_STATES } from './states';

describe('effectiveRoles and isStaff', () => {
  it.each<[Role[], Role[], boolean]>([
    [['researcher'], ['researcher'], false],
    [['researcher', 'department_head'], ['researcher', 'department_head'], false],
    [['rsdo_officer'], ['rsdo_officer'], true],
    [['rsdo_lead'], ['rsdo_lead', 'rsdo_officer'], true],
    [['export_control'], ['export_control'], true],
    [['admin'], ['admin'], true],
    [[], [], false],
  ])('%j → %j, staff %s', (given, effective, staff) => {
    const roles = effectiveRoles(given);
    expect([...roles].sort()).toEqual([...effective].sort());
    expect(isStaff(roles)).toBe(staff);
  });

  it('recognises role names', () => {
    expect(isRole('rsdo_lead')).toBe(true);
    expect(isRole('superuser')).toBe(false);
  });
});

describe('states', () => {
  it('splits every state into open or terminal', () => {
    expect([...OPEN_STATES, ...TERMINAL_STATES].sort()).toEqual([...CASE_STATES].sort());
    expect(TERMINAL_STATES).toEqual(['approved', 'suspended', 'rejected', 'withdrawn', 'revoked', 'closed']);
    expect(FINAL_STATES).toEqual(['rejected', 'withdrawn', 'revoked', 'closed']);
  });
});

describe('DomainError', () => {
  it('carries its code and details and is an Error', () => {
    const e = new DomainError(ErrorCode.STALE_VERSION, 'The case changed.', { version: 4 });
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.message, e.details, e.name]).toEqual(['STALE_VERSION', 'The case changed.', { version: 4 }, 'DomainError']);
  });

  it('uses the names as values', () => {
    for (const [k, v] of Object.entries(ErrorCode)) expect(v).toBe(k);
  });
});

describe('landingPageFor', () => {
  it('sends each role to where its work is', () => {
    expect(landingPageFor(['researcher'])).toBe('my_cases');
    expect(landingPageFor(['rsdo_officer'])).toBe('work_queue');
    expect(landingPageFor(['export_control'])).toBe('export_queue');
    expect(landingPageFor(['department_head'])).toBe('sign_off');
    expect(landingPageFor(['rsdo_lead'])).toBe('sign_off');
    expect(landingPageFor(['admin'])).toBe('administration');
  });

  it('picks the lowest rank for several roles, ignores unknown roles, and answers null for none', () => {
    expect(landingPageFor(['researcher', 'department_head'])).toBe('sign_off');
    expect(landingPageFor(['admin', 'rsdo_officer'])).toBe('work_queue');
    expect(landingPageFor(['wizard', 'researcher'])).toBe('my_cases');
    expect(landingPageFor(['wizard'])).toBeNull();
    expect(landingPageFor([])).toBeNull();
    const ranks = Object.values(ROLE_LANDING).map((l) => l.rank);
    expect(new Set(ranks).size).toBe(ranks.length);
  });
});
