import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { Checkboxes, ErrorSummary, Select, Spinner, SuccessBanner, SummaryList, TextInput, usePageTitle, type FieldError } from '../components/govuk';
import type { Role } from '@app/domain/roles';
import { labelOf, ROLE_LABELS } from '../labels';

type DepartmentView = Schemas['Department'];
type UserView = Schemas['UserView'];
type StaffMember = Schemas['StaffMember'];
type HandoverResult = Schemas['HandoverResult'];

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const roleList = (roles: string[]) => roles.map((r) => labelOf(ROLE_LABELS, r)).join(', ');

export function AdminUsersPage() {
  usePageTitle('Users');
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [departments, setDepartments] = useState<DepartmentView[]>([]);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ email: '', name: '', departmentId: '', roles: ['researcher'] as string[] });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState('');
  const load = () =>
    unwrap(api.GET('/api/admin/users')).then(
      (r) => setUsers(r.items),
      (e) => setError(errorMessage(e)),
    );
  useEffect(() => {
    void load();
    unwrap(api.GET('/api/departments')).then(
      (r) => setDepartments(r.items),
      () => undefined,
    );
  }, []);

  const invite = async (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    const errs: FieldError[] = [];
    if (!form.email.trim()) errs.push({ href: 'invite-email', message: 'Enter the email address' });
    if (!form.name.trim()) errs.push({ href: 'invite-name', message: 'Enter the name' });
    if (!form.roles.length) errs.push({ href: 'invite-roles', message: 'Choose at least one role' });
    setErrors(errs);
    if (errs.length) return;
    try {
      const r = await unwrap(
        api.POST('/api/admin/users', {
          body: {
            email: form.email.trim(),
            name: form.name.trim(),
            roles: form.roles as Role[],
            ...(form.departmentId ? { departmentId: form.departmentId } : {}),
          },
        }),
      );
      setDone(`${r.user.name} is invited; they set a password from the email.`);
      setForm({ email: '', name: '', departmentId: '', roles: ['researcher'] });
      await load();
    } catch (err) {
      setErrors([{ href: 'invite-email', message: errorMessage(err) }]);
    }
  };
  const errorFor = (id: string) => errors.find((x) => x.href === id)?.message;

  return (
    <>
      {done && <SuccessBanner>{done}</SuccessBanner>}
      <h1 className="govuk-heading-l">Users and roles</h1>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      {!users ? (
        <Spinner />
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">{users.length} accounts</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Name', 'Email', 'Roles', 'Department', 'Status'].map((h) => (
                <th scope="col" className="govuk-table__header" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {users.map((u) => (
              <tr className="govuk-table__row" key={u.id}>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/admin/users/${u.id}`}>
                    {u.name}
                  </Link>
                </td>
                <td className="govuk-table__cell">{u.email}</td>
                <td className="govuk-table__cell">{roleList(u.roles)}</td>
                <td className="govuk-table__cell">{u.department?.name ?? ''}</td>
                <td className="govuk-table__cell">
                  {!u.active ? (
                    <strong className="govuk-tag govuk-tag--red">Deactivated</strong>
                  ) : u.passwordSet === false ? (
                    <strong className="govuk-tag govuk-tag--yellow">Invited</strong>
                  ) : (
                    <strong className="govuk-tag govuk-tag--green">Active</strong>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 className="govuk-heading-m">Invite a user</h2>
      <form onSubmit={invite} noValidate className="govuk-!-width-two-thirds">
        <ErrorSummary errors={errors} />
        <TextInput
          id="invite-email"
          label="Email address"
          type="email"
          value={form.email}
          onChange={(v) => setForm({ ...form, email: v })}
          error={errorFor('invite-email')}
        />
        <TextInput id="invite-name" label="Full name" value={form.name} onChange={(v) => setForm({ ...form, name: v })} error={errorFor('invite-name')} />
        <Select
          id="invite-department"
          label="Department (optional)"
          value={form.departmentId}
          onChange={(v) => setForm({ ...form, departmentId: v })}
          placeholder="None"
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
        />
        <Checkboxes
          id="invite-roles"
          label="Roles"
          values={form.roles}
          onChange={(v) => setForm({ ...form, roles: v })}
          options={ROLE_OPTIONS}
          error={errorFor('invite-roles')}
        />
        <button type="submit" className="govuk-button">
          Send invitation
        </button>
      </form>
    </>
  );
}

export function AdminUserPage() {
  const { id } = useParams();
  const [user, setUser] = useState<UserView | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [departments, setDepartments] = useState<DepartmentView[]>([]);
  const [departmentId, setDepartmentId] = useState('');
  usePageTitle(user?.name ?? 'User');
  const load = () =>
    unwrap(api.GET('/api/admin/users')).then(
      (r) => {
        const u = r.items.find((x) => x.id === id) ?? null;
        setUser(u);
        if (u) setRoles(u.roles);
        if (u) setDepartmentId(u.departmentId ?? '');
        if (!u) setError('There is no such user.');
      },
      (e) => setError(errorMessage(e)),
    );
  useEffect(() => {
    void load();
    unwrap(api.GET('/api/departments')).then(
      (r) => setDepartments(r.items),
      () => undefined,
    );
  }, [id]);

  const run = async (what: () => Promise<unknown>, message: string) => {
    setError('');
    setDone('');
    try {
      await what();
      setDone(message);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  if (!user) return error ? <ErrorSummary errors={[{ href: '', message: error }]} /> : <Spinner />;
  const path = { params: { path: { id: user.id } } };
  return (
    <>
      <Link className="govuk-back-link" to="/admin/users">
        Back to users
      </Link>
      {done && <SuccessBanner>{done}</SuccessBanner>}
      <ErrorSummary errors={error ? [{ href: 'roles', message: error }] : []} />
      <h1 className="govuk-heading-l">{user.name}</h1>
      <SummaryList
        rows={[
          { key: 'Email', value: user.email },
          { key: 'Department', value: user.department?.name ?? 'None' },
          { key: 'Status', value: user.active ? 'Active' : 'Deactivated' },
          ...(user.emailFlagged ? [{ key: 'Email address', value: 'Flagged: mail to it bounced' }] : []),
        ]}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            () => unwrap(api.PUT('/api/admin/users/{id}/roles', { ...path, body: { roles: roles as Role[] } })),
            "Roles saved. They apply from the user's next request.",
          );
        }}
        noValidate
      >
        <Checkboxes id="roles" label="Roles" values={roles} onChange={setRoles} options={ROLE_OPTIONS} />
        <button type="submit" className="govuk-button">
          Save roles
        </button>
      </form>
      <h2 className="govuk-heading-m">Department</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            () => unwrap(api.PUT('/api/admin/users/{id}/department', { ...path, body: { departmentId: departmentId || null } })),
            departmentId
              ? `${user.name} is now in ${departments.find((d) => d.id === departmentId)?.name ?? 'the department'}.`
              : `${user.name} is in no department now.`,
          );
        }}
        noValidate
      >
        <Select
          id="department"
          label={`Department of ${user.name}`}
          hint="The head of this department signs off their cases"
          value={departmentId}
          onChange={setDepartmentId}
          placeholder="None"
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
        />
        <button type="submit" className="govuk-button govuk-button--secondary">
          Save department
        </button>
      </form>
      <Handover user={user} />
      <h2 className="govuk-heading-m">Access</h2>
      {user.active ? (
        <button
          type="button"
          className="govuk-button govuk-button--warning"
          onClick={() => void run(() => unwrap(api.POST('/api/admin/users/{id}/deactivate', path)), `${user.name} is deactivated; their sessions have ended.`)}
        >
          Deactivate {user.name}
        </button>
      ) : (
        <button
          type="button"
          className="govuk-button govuk-button--secondary"
          onClick={() => void run(() => unwrap(api.POST('/api/admin/users/{id}/reactivate', path)), `${user.name} is active again.`)}
        >
          Reactivate {user.name}
        </button>
      )}
    </>
  );
}

/** Hands a leaver's open cases to an officer or lead picked by name; shows what moved and what was skipped, and why. */
function Handover({ user }: { user: UserView }) {
  const [officers, setOfficers] = useState<StaffMember[]>([]);
  const [to, setTo] = useState('');
  const [error, setError] = useState('');
  const [result, setResult] = useState<HandoverResult | null>(null);
  useEffect(() => {
    Promise.all([
      unwrap(api.GET('/api/staff', { params: { query: { role: 'rsdo_officer' } } })),
      unwrap(api.GET('/api/staff', { params: { query: { role: 'rsdo_lead' } } })),
    ]).then(
      ([a, b]) => {
        const byId = new Map([...a.items, ...b.items].map((s) => [s.id, s]));
        byId.delete(user.id);
        setOfficers([...byId.values()].sort((x, y) => x.name.localeCompare(y.name, 'en-GB')));
      },
      () => undefined,
    );
  }, [user.id]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (!to) return setError('Choose who takes over the cases');
    setError('');
    try {
      setResult(await unwrap(api.POST('/api/admin/users/{id}/handover', { params: { path: { id: user.id } }, body: { toUserId: to } })));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const toName = officers.find((o) => o.id === to)?.name ?? 'the new officer';
  return (
    <>
      <h2 className="govuk-heading-m">Hand over open cases</h2>
      <p className="govuk-body">
        When someone leaves or moves on, give every open case assigned to them to another RSDO officer or lead. Each case records the change.
      </p>
      {result && (
        <div className="govuk-inset-text" role="status">
          <p className="govuk-body">
            {result.moved.length === 0
              ? `No open cases moved to ${toName}.`
              : `${result.moved.length === 1 ? '1 case' : `${result.moved.length} cases`} handed over to ${toName}: ${result.moved.map((m) => m.reference).join(', ')}.`}
          </p>
          {result.skipped.length > 0 && (
            <ul className="govuk-list govuk-list--bullet">
              {result.skipped.map((s) => (
                <li key={s.caseId}>
                  <Link className="govuk-link" to={`/cases/${s.caseId}`}>
                    {s.reference}
                  </Link>{' '}
                  stays: {s.reason}.
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <Select
          id="handover-to"
          label={`Who takes over the open cases of ${user.name}`}
          value={to}
          onChange={setTo}
          error={error || undefined}
          options={officers.map((o) => ({ value: o.id, label: `${o.name} (${o.email})` }))}
        />
        <button type="submit" className="govuk-button govuk-button--secondary">
          Hand over cases
        </button>
      </form>
    </>
  );
}
