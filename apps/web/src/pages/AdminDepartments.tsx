import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { ErrorSummary, Select, Spinner, SuccessBanner, TextInput, usePageTitle, type FieldError } from '../components/govuk';
import { DateFields, EMPTY_DATE, toIsoDate, type DateParts } from '../components/DateFields';
import { formatDate } from '../labels';

type DepartmentView = Schemas['Department'];
type UserView = Schemas['UserView'];
type StaffMember = Schemas['StaffMember'];

export function AdminDepartmentsPage() {
  usePageTitle('Departments');
  const [departments, setDepartments] = useState<DepartmentView[] | null>(null);
  const [users, setUsers] = useState<UserView[]>([]);
  const [people, setPeople] = useState<StaffMember[]>([]);
  const [heads, setHeads] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [form, setForm] = useState({ code: '', name: '' });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const load = () =>
    unwrap(api.GET('/api/departments')).then(
      (r) => {
        setDepartments(r.items);
        setHeads(Object.fromEntries(r.items.map((d) => [d.id, d.headUserId ?? ''])));
      },
      (e) => setError(errorMessage(e)),
    );
  useEffect(() => {
    void load();
    unwrap(api.GET('/api/admin/users')).then(
      (r) => setUsers(r.items.filter((u) => u.active)),
      () => undefined,
    );
    unwrap(api.GET('/api/staff')).then(
      (r) => setPeople(r.items),
      () => undefined,
    );
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
      {!departments ? (
        <Spinner />
      ) : (
        departments.map((d) => (
          <section key={d.id} className="govuk-!-margin-bottom-6" aria-labelledby={`dept-${d.id}`}>
            <h2 className="govuk-heading-m" id={`dept-${d.id}`}>
              {d.name} <span className="govuk-caption-m">{d.code}</span>
            </h2>
            <p className="govuk-body">Head: {d.headName ?? 'none'}</p>
            <Delegates
              department={d}
              people={people}
              onChanged={async (message) => {
                setError('');
                setDone(message);
                await load();
              }}
            />
            <div className="tr-inline-form">
              <Select
                id={`head-${d.id}`}
                label={`Head of ${d.name}`}
                value={heads[d.id] ?? ''}
                onChange={(v) => setHeads({ ...heads, [d.id]: v })}
                options={users.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))}
              />
              <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void setHead(d)}>
                Save head<span className="govuk-visually-hidden"> of {d.name}</span>
              </button>
            </div>
          </section>
        ))
      )}
      <h2 className="govuk-heading-m">Add a department</h2>
      <form onSubmit={create} noValidate>
        <ErrorSummary errors={errors} />
        <TextInput
          id="dept-code"
          label="Code"
          hint="2 to 20 letters or digits, such as MATH"
          width="10"
          value={form.code}
          onChange={(v) => setForm({ ...form, code: v })}
          error={errors.find((x) => x.href === 'dept-code')?.message}
        />
        <TextInput
          id="dept-name"
          label="Name"
          value={form.name}
          onChange={(v) => setForm({ ...form, name: v })}
          error={errors.find((x) => x.href === 'dept-name')?.message}
        />
        <button type="submit" className="govuk-button">
          Add department
        </button>
      </form>
    </>
  );
}

/** A department's delegates (who sign for the head between two dates): listed with revoke, and added by name. */
function Delegates({ department: d, people, onChanged }: { department: DepartmentView; people: StaffMember[]; onChanged(message: string): Promise<void> }) {
  const [userId, setUserId] = useState('');
  const [starts, setStarts] = useState<DateParts>(EMPTY_DATE);
  const [ends, setEnds] = useState<DateParts>(EMPTY_DATE);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const id = `delegate-${d.id}`;
  const live = (d.delegates ?? []).filter((x) => !x.revokedAt);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const startsOn = toIsoDate(starts);
    const endsOn = toIsoDate(ends);
    const errs: FieldError[] = [];
    if (!userId) errs.push({ href: `${id}-user`, message: `Choose who signs for the head of ${d.name}` });
    if (!startsOn) errs.push({ href: `${id}-starts`, message: 'Enter the first day as a real date, such as 1 7 2027' });
    if (!endsOn) errs.push({ href: `${id}-ends`, message: 'Enter the last day as a real date, such as 31 8 2027' });
    else if (startsOn && endsOn < startsOn) errs.push({ href: `${id}-ends`, message: 'The last day must be the same as or after the first day' });
    setErrors(errs);
    if (errs.length || !startsOn || !endsOn) return;
    try {
      const r = await unwrap(api.POST('/api/departments/{id}/delegates', { params: { path: { id: d.id } }, body: { userId, startsOn, endsOn } }));
      setUserId('');
      setStarts(EMPTY_DATE);
      setEnds(EMPTY_DATE);
      await onChanged(`${r.name ?? 'The delegate'} signs for the head of ${d.name} from ${formatDate(r.startsOn)} to ${formatDate(r.endsOn)}.`);
    } catch (err) {
      setErrors([{ href: `${id}-user`, message: errorMessage(err) }]);
    }
  };
  const revoke = async (delegationId: string, name: string) => {
    try {
      await unwrap(api.DELETE('/api/departments/{id}/delegates/{delegateId}', { params: { path: { id: d.id, delegateId: delegationId } } }));
      await onChanged(`${name} no longer signs for the head of ${d.name}.`);
    } catch (err) {
      setErrors([{ href: '', message: errorMessage(err) }]);
    }
  };
  return (
    <>
      {live.length === 0 ? (
        <p className="govuk-body">Delegates: none</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">Delegates of the head of {d.name}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Name', 'From', 'To'].map((h) => (
                <th scope="col" className="govuk-table__header" key={h}>
                  {h}
                </th>
              ))}
              <th scope="col" className="govuk-table__header">
                <span className="govuk-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {live.map((x) => (
              <tr className="govuk-table__row" key={x.id}>
                <td className="govuk-table__cell">{x.name ?? 'Unknown user'}</td>
                <td className="govuk-table__cell">{formatDate(x.startsOn)}</td>
                <td className="govuk-table__cell">{formatDate(x.endsOn)}</td>
                <td className="govuk-table__cell">
                  <button
                    type="button"
                    className="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                    onClick={() => void revoke(x.id, x.name ?? 'The delegate')}
                  >
                    Revoke
                    <span className="govuk-visually-hidden">
                      {' '}
                      {x.name} for {d.name}
                    </span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">Add a delegate for {d.name}</span>
        </summary>
        <div className="govuk-details__text">
          <form onSubmit={add} noValidate>
            <ErrorSummary errors={errors} />
            <Select
              id={`${id}-user`}
              label={`Delegate for ${d.name}`}
              hint="They sign for the head between the dates below"
              value={userId}
              onChange={setUserId}
              options={people.map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }))}
              error={errors.find((x) => x.href === `${id}-user`)?.message}
            />
            <DateFields
              id={`${id}-starts`}
              legend="From"
              hint="The first day they sign, for example 1 7 2027"
              value={starts}
              onChange={setStarts}
              error={errors.find((x) => x.href === `${id}-starts`)?.message}
            />
            <DateFields
              id={`${id}-ends`}
              legend="To"
              hint="The last day they sign, for example 31 8 2027"
              value={ends}
              onChange={setEnds}
              error={errors.find((x) => x.href === `${id}-ends`)?.message}
            />
            <button type="submit" className="govuk-button govuk-button--secondary">
              Add delegate<span className="govuk-visually-hidden"> for {d.name}</span>
            </button>
          </form>
        </div>
      </details>
    </>
  );
}
