import { AccessCase, AccessPerson, caseAccess, caseParts } from './access';
import { effectiveRoles, Role } from './roles';

const person = (id: string, roles: Role[], headOf: string[] = [], delegateFor: string[] = []): AccessPerson => ({
  id,
  roles: effectiveRoles(roles),
  headOf,
  delegateFor,
});
const kase = (over: Partial<AccessCase> = {}): AccessCase => ({
  ownerId: 'owner',
  state: 'submitted',
  submittedAt: '2026-01-05T10:00:00Z',
  departmentId: 'phys',
  signedBy: [],
  departmentHeadId: 'head',
  ...over,
});

describe('caseAccess', () => {
  it('the owner sees their case as the researcher, whatever else they are', () => {
    expect(caseAccess(person('owner', ['researcher']), kase({ state: 'draft', submittedAt: null }))).toBe('researcher');
    expect(caseAccess(person('owner', ['researcher', 'rsdo_officer']), kase())).toBe('researcher');
    expect(caseAccess(person('owner', ['researcher', 'admin']), kase())).toBe('researcher');
  });

  it('nobody else sees a case never submitted, in any state', () => {
    for (const state of ['draft', 'withdrawn']) {
      for (const roles of [['rsdo_officer'], ['rsdo_lead'], ['export_control'], ['admin']] as Role[][]) {
        expect(caseAccess(person('x', roles), kase({ state, submittedAt: null }))).toBe('none');
      }
    }
  });

  it('staff see every submitted case with the staff view; other researchers nothing', () => {
    expect(caseAccess(person('o', ['rsdo_officer']), kase({ state: 'withdrawn' }))).toBe('staff');
    expect(caseAccess(person('r', ['researcher']), kase())).toBe('none');
  });

  it("the head and a delegate see a case waiting for their sign-off, not the head's own case (the lead signs that)", () => {
    const waiting = kase({ state: 'head_sign_off' });
    expect(caseAccess(person('head', ['researcher', 'department_head'], ['phys']), waiting)).toBe('staff');
    expect(caseAccess(person('del', ['researcher'], [], ['phys']), waiting)).toBe('staff');
    expect(caseAccess(person('del', ['researcher'], [], ['chem']), waiting)).toBe('none');
    const headsOwn = kase({ state: 'head_sign_off', ownerId: 'head' });
    expect(caseAccess(person('del', ['researcher'], [], ['phys']), headsOwn)).toBe('none');
    expect(caseAccess(person('lead', ['rsdo_lead']), headsOwn)).toBe('staff');
    expect(caseAccess(person('del', ['researcher'], [], ['phys']), kase({ state: 'head_sign_off', departmentHeadId: null }))).toBe('none');
  });

  it("after sign-off: the signer keeps what they signed, the head their department's signed cases, a delegate nothing else", () => {
    const signed = kase({ state: 'approved', signedBy: ['del'] });
    expect(caseAccess(person('del', ['researcher']), signed)).toBe('staff');
    expect(caseAccess(person('head', ['department_head'], ['phys']), signed)).toBe('staff');
    expect(caseAccess(person('del2', ['researcher'], [], ['phys']), signed)).toBe('none');
    expect(caseAccess(person('head', ['department_head'], ['phys']), kase({ state: 'triaged' }))).toBe('none');
  });

  it('the researcher view has none of the internal parts; the staff view all', () => {
    expect(Object.values(caseParts('researcher')).every((v) => v === false)).toBe(true);
    expect(Object.values(caseParts('staff')).every((v) => v === true)).toBe(true);
  });
});
