/**
 * The research office's work queue: views (unassigned, mine, awaiting researcher),
 * filters, text search, sort, keyset paging, and saved filters (kept in this browser
 * until the API stores them). SLA views (breaching soon, breached) read the API's `sla` filter;
 * every row shows its due date and SLA status.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { useAuth } from '../auth';
import { CaseTable } from '../components/CaseTable';
import { downloadFile } from '../api/download';
import { ErrorSummary, Spinner, TextInput, usePageTitle } from '../components/govuk';
import { DepartmentFilter, FilterSelect } from '../components/FilterSelect';
import { STATE_LABELS } from '../labels';

type CaseListRow = Schemas['CaseListRow'];

const VIEWS = [
  { value: 'open', label: 'All open cases' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'mine', label: 'Assigned to me' },
  { value: 'awaiting', label: 'Awaiting researcher' },
  { value: 'breaching', label: 'Breaching soon' },
  { value: 'breached', label: 'SLA breached' },
  { value: 'all', label: 'All cases, including closed' },
];
const OPEN_STATES = ['submitted', 'triaged', 'export_control_review', 'head_sign_off', 'lead_review', 'awaiting_information'];
const SAVED_KEY = 'tr.savedFilters';
/** The orders the list offers beyond the default (oldest submitted first). */
const SORT_LABELS = { created: 'Newest first', updated: 'Recently changed', due: 'SLA due soonest' } as const;

interface Saved {
  name: string;
  query: string;
}
const readSaved = (): Saved[] => {
  try {
    return JSON.parse(localStorage.getItem(SAVED_KEY) ?? '[]') as Saved[];
  } catch {
    return [];
  }
};

function listQuery(p: URLSearchParams) {
  const view = p.get('view') ?? 'open';
  const state = p.get('state') || (view === 'awaiting' ? 'awaiting_information' : view === 'all' ? '' : OPEN_STATES.join(','));
  return {
    state: state || undefined,
    assignee: view === 'unassigned' ? 'none' : view === 'mine' ? 'me' : undefined,
    department: p.get('department') || undefined,
    q: p.get('q') || undefined,
    // The SLA views: the stage's service level (the API's `sla` filter), soonest due first.
    sla: view === 'breaching' ? ('at_risk' as const) : view === 'breached' ? ('breached' as const) : undefined,
    sort: (p.get('sort') as 'created' | 'updated' | 'age' | 'due' | null) ?? (view === 'breaching' || view === 'breached' ? 'due' : 'age'),
    limit: Number(p.get('limit') ?? 25),
  };
}

export function QueuePage() {
  usePageTitle('Work queue');
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState(() => Object.fromEntries(params.entries()) as Record<string, string>);
  const [rows, setRows] = useState<CaseListRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState<Saved[]>(readSaved);
  const [saveName, setSaveName] = useState('');
  const [status, setStatus] = useState('');

  const load = async (cursor: string | undefined) => {
    setError('');
    setRows(null);
    try {
      const page = await unwrap(api.GET('/api/cases', { params: { query: { ...listQuery(params), cursor } } }));
      setRows(page.items);
      setNext(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
      setRows([]);
    }
  };
  useEffect(() => {
    setForm(Object.fromEntries(params.entries()));
    setCursors([undefined]);
    void load(undefined);
  }, [params]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const clean = Object.fromEntries(Object.entries(form).filter(([, v]) => v));
    setParams(clean);
  };
  const set = (k: string) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const nextPage = () => {
    setCursors((c) => [...c, next!]);
    void load(next!);
  };
  const prevPage = () => {
    const c = cursors.slice(0, -1);
    setCursors(c);
    void load(c[c.length - 1]);
  };
  const saveFilter = (e: FormEvent) => {
    e.preventDefault();
    if (!saveName.trim()) return setStatus('Enter a name for the filter.');
    const list = [...saved.filter((s) => s.name !== saveName.trim()), { name: saveName.trim(), query: params.toString() }];
    localStorage.setItem(SAVED_KEY, JSON.stringify(list));
    setSaved(list);
    setSaveName('');
    setStatus(`Filter "${saveName.trim()}" saved.`);
  };
  const removeSaved = (name: string) => {
    const list = saved.filter((s) => s.name !== name);
    localStorage.setItem(SAVED_KEY, JSON.stringify(list));
    setSaved(list);
    setStatus(`Filter "${name}" removed.`);
  };

  const view = params.get('view') ?? 'open';
  return (
    <>
      <h1 className="govuk-heading-l">Work queue</h1>
      <nav aria-label="Queue views">
        <ul className="govuk-list tr-inline-form">
          {VIEWS.map((v) => (
            <li key={v.value}>
              <a
                className="govuk-link"
                href={`?view=${v.value}`}
                aria-current={view === v.value ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  setParams({ view: v.value });
                }}
              >
                {view === v.value ? <strong>{v.label}</strong> : v.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form className="tr-filters" onSubmit={apply} role="search" aria-label="Filter cases">
        <div className="tr-inline-form">
          <TextInput id="q" label="Search" hint="Reference, title or partner" value={form.q ?? ''} onChange={set('q')} width="20" />
          <FilterSelect name="state" label="State" filters={form} set={set} placeholder="Any in this view" labels={STATE_LABELS} />
          <DepartmentFilter filters={form} set={set} />
          <FilterSelect name="sort" label="Sort by" filters={form} set={set} placeholder="Oldest submitted first" labels={SORT_LABELS} />
          <button type="submit" className="govuk-button">
            Apply filters
          </button>
        </div>
      </form>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      {rows === null ? (
        <Spinner />
      ) : rows.length === 0 ? (
        <p className="govuk-body">No cases match.</p>
      ) : (
        <CaseTable
          caption={VIEWS.find((v) => v.value === view)?.label ?? 'Cases'}
          rows={rows}
          meId={me?.id}
          columns={['reference', 'title', 'state', 'risk', 'owner', 'department', 'assignee', 'submitted', 'due', 'sla']}
        />
      )}
      <div className="govuk-button-group">
        {(['csv', 'xlsx'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="govuk-button govuk-button--secondary"
            onClick={() => {
              const { limit: _l, ...q } = listQuery(params);
              downloadFile('/api/reports/case-list', { ...q, format }).catch((e: unknown) => setError(errorMessage(e)));
            }}
          >
            Download these cases as {format.toUpperCase()}
          </button>
        ))}
      </div>
      <nav className="govuk-pagination govuk-pagination--block" aria-label="Pages of results">
        {cursors.length > 1 && (
          <div className="govuk-pagination__prev">
            <button type="button" className="govuk-button govuk-button--secondary" onClick={prevPage}>
              Previous page
            </button>
          </div>
        )}
        {next && (
          <div className="govuk-pagination__next">
            <button type="button" className="govuk-button govuk-button--secondary" onClick={nextPage}>
              Next page
            </button>
          </div>
        )}
      </nav>
      <h2 className="govuk-heading-m">Saved filters</h2>
      <p className="govuk-body-s" role="status">
        {status}
      </p>
      {saved.length > 0 && (
        <ul className="govuk-list">
          {saved.map((s) => (
            <li key={s.name}>
              <a
                className="govuk-link"
                href={`?${s.query}`}
                onClick={(e) => {
                  e.preventDefault();
                  setParams(new URLSearchParams(s.query));
                }}
              >
                {s.name}
              </a>{' '}
              <button type="button" className="tr-link-button govuk-body-s" onClick={() => removeSaved(s.name)}>
                Remove<span className="govuk-visually-hidden"> {s.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={saveFilter} className="tr-inline-form">
        <TextInput id="save-name" label="Save the current filter as" value={saveName} onChange={setSaveName} width="20" />
        <button type="submit" className="govuk-button govuk-button--secondary">
          Save filter
        </button>
      </form>
    </>
  );
}
