import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { ErrorSummary, Select, Spinner, SuccessBanner, TextInput, usePageTitle, type FieldError } from '../components/govuk';
import { formatDate } from '../labels';

type DepartmentView = Schemas['Department'];
type UserView = Schemas['UserView'];

export function AdminDepartmentsPage() {
  usePageTitle('Departments');
  const [departments, setDepartments] = useState<DepartmentView[] | null>(null);
  const [users, setUsers] = useState<UserView[]>([]);
  const [heads, setHeads] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [form, setForm] = useState({ code: '', name: '' });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const load = () => unwrap(api.GET('/api/departments')).then((r) => {
    setDepartments(r.items);
    setHeads(Object.fromEntries(r.items.map((d) => [d.id, d.headUserId ?? ''])));
  }, (e) => setError(errorMessage(e)));
  useEffect(() => {
    void load();
    unwrap(api.GET('/api/admin/users')).then((r) => setUsers(r.items.filter((u) => u.active)), () => undefined);
  }, []);

  const setHead = async (d: DepartmentView) => {
    setError('');
    setDone('');
    if (!heads[d.id]) return setError(`Choose a head for ${d.name}.`);
    try {
      await unwrap(api.PUT('/api/admin/departments/{id}/head', { params: { path: { id: d.id } }, body: { userId: heads[d.id] } }));
      setDone(`The head of ${d.name} is saved.`);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    const errs: FieldError[] = [];
    if (!form.code.trim()) errs.push({ href: 'dept-code', message: 'Enter a short code, such as MATH' });
    if (!form.name.trim()) errs.push({ href: 'dept-name', message: 'Enter the department name' });
    setErrors(errs);
    if (errs.length) return;
    try {
      await unwrap(api.POST('/api/admin/departments', { body: { code: form.code.trim(), name: form.name.trim() } }));
      setDone(`${form.name.trim()} is added.`);
      setForm({ code: '', name: '' });
      await load();
    } catch (err) {
      setErrors([{ href: 'dept-code', message: errorMessage(err) }]);
    }
  };

  return (
    <>
      {done && <SuccessBanner>{done}</SuccessBanner>}
      <h1 className="govuk-heading-l">Departments and heads</h1>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      {!departments ? <Spinner /> : departments.map((d) => (
        <section key={d.id} className="govuk-!-margin-bottom-6" aria-labelledby={`dept-${d.id}`}>
          <h2 className="govuk-heading-m" id={`dept-${d.id}`}>{d.name} <span className="govuk-caption-m">{d.code}</span></h2>
          <p className="govuk-body">Head: {d.headName ?? 'none'}</p>
          {d.delegates && d.delegates.length > 0 && (
            <p className="govuk-body">Delegates: {d.delegates.map((x) => `${x.name ?? x.userId} (${formatDate(x.startsOn)} to ${formatDate(x.endsOn)})`).join('; ')}</p>
          )}
          <div className="tr-inline-form">
            <Select id={`head-${d.id}`} label={`Head of ${d.name}`} value={heads[d.id] ?? ''} onChange={(v) => setHeads({ ...heads, [d.id]: v })}
              options={users.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))} />
            <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void setHead(d)}>Save head<span className="govuk-visually-hidden"> of {d.name}</span></button>
          </div>
        </section>
      ))}
      <h2 className="govuk-heading-m">Add a department</h2>
      <form onSubmit={create} noValidate>
        <ErrorSummary errors={errors} />
        <TextInput id="dept-code" label="Code" hint="2 to 20 letters or digits, such as MATH" width="10" value={form.code} onChange={(v) => setForm({ ...form, code: v })} error={errors.find((x) => x.href === 'dept-code')?.message} />
        <TextInput id="dept-name" label="Name" value={form.name} onChange={(v) => setForm({ ...form, name: v })} error={errors.find((x) => x.href === 'dept-name')?.message} />
        <button type="submit" className="govuk-button">Add department</button>
      </form>
    </>
  );
}
