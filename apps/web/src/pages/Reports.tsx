/**
 * The reporting dashboard (staff): every report over a date range and filters, each as a
 * chart and the same figures as a table, with CSV and XLSX downloads. The filters live in
 * the URL, so a view can be bookmarked or sent to a colleague.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import { downloadFile } from '../api/download';
import { ErrorSummary, Spinner, TextInput, usePageTitle } from '../components/govuk';
import { DepartmentFilter, FilterSelect } from '../components/FilterSelect';
import { ReportChart } from '../components/ReportChart';
import { formatDate, formatDateTime, NSI_AREA_LABELS, OUTCOME_LABELS, RISK_LEVEL_LABELS } from '../labels';
import { COUNTRY_OPTIONS } from '../countries';
import { REPORT_FILTERS, type ReportQuery, type ReportsResponse, type ReportTable } from '../../../../libs/domain/src/reports';

const query = (p: URLSearchParams): ReportQuery => Object.fromEntries(REPORT_FILTERS.map((k) => [k, p.get(k) ?? '']).filter(([, v]) => v !== ''));

function cell(v: string | number | null, kind: string): string {
  if (v === null || v === undefined) return '–';
  if (kind === 'percent') return `${v}%`;
  return String(v);
}

function ReportSection({ table, q }: { table: ReportTable; q: ReportQuery }) {
  const [error, setError] = useState('');
  const download = (format: 'csv' | 'xlsx') => {
    setError('');
    downloadFile(`/api/reports/${table.name}`, { ...q, format }).catch((e: unknown) => setError(errorMessage(e)));
  };
  const id = `report-${table.name}`;
  return (
    <section className="tr-report" aria-labelledby={id} data-report={table.name}>
      <h2 className="govuk-heading-m" id={id}>
        {table.title}
      </h2>
      <p className="govuk-body-s">{table.description}</p>
      {table.rows.length === 0 ? <p className="govuk-body">No cases match.</p> : <ReportChart table={table} />}
      {/* A wide table (volumes: one column per state) scrolls within the page, by keyboard too. */}
      <div className="tr-table-scroll" tabIndex={0}>
        <table className="govuk-table tr-report-table">
          <caption className="govuk-table__caption govuk-table__caption--s">{table.title}: figures</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {table.columns.map((c) => (
                <th key={c.key} scope="col" className={`govuk-table__header${c.kind === 'text' ? '' : ' govuk-table__header--numeric'}`}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {table.rows.map((r, i) => (
              <tr className="govuk-table__row" key={i}>
                {table.columns.map((c, j) =>
                  j === 0 ? (
                    <th key={c.key} scope="row" className="govuk-table__header">
                      {cell(r[c.key], c.kind)}
                    </th>
                  ) : (
                    <td key={c.key} className={`govuk-table__cell${c.kind === 'text' ? '' : ' govuk-table__cell--numeric'}`}>
                      {cell(r[c.key], c.kind)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && <p className="govuk-error-message">{error}</p>}
      <div className="govuk-button-group">
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => download('csv')}>
          Download CSV<span className="govuk-visually-hidden"> of {table.title}</span>
        </button>
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => download('xlsx')}>
          Download XLSX<span className="govuk-visually-hidden"> of {table.title}</span>
        </button>
      </div>
    </section>
  );
}

export function ReportsPage() {
  usePageTitle('Reports');
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<Record<string, string>>(() => query(params));
  const [data, setData] = useState<ReportsResponse | null>(null);
  const [error, setError] = useState('');
  const q = query(params);
  const key = new URLSearchParams(q).toString();

  useEffect(() => {
    setData(null);
    setError('');
    setForm(q);
    unwrap(api.GET('/api/reports', { params: { query: q } })).then(setData, (e: unknown) => setError(errorMessage(e)));
  }, [key]);

  const set = (k: string) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setParams(new URLSearchParams(Object.entries(form).filter(([, v]) => v)));
  };

  return (
    <>
      <h1 className="govuk-heading-l">Reports</h1>
      <form className="tr-filters" onSubmit={apply} role="search" aria-label="Filter reports">
        <div className="tr-inline-form">
          <TextInput id="from" label="From" hint="YYYY-MM-DD" type="date" value={form.from ?? data?.range.from ?? ''} onChange={set('from')} width="10" />
          <TextInput id="to" label="To" hint="YYYY-MM-DD" type="date" value={form.to ?? data?.range.to ?? ''} onChange={set('to')} width="10" />
          <DepartmentFilter filters={form} set={set} />
          <FilterSelect name="country" label="Partner country" filters={form} set={set} options={COUNTRY_OPTIONS} />
          <FilterSelect name="nsiArea" label="NSI area" filters={form} set={set} labels={NSI_AREA_LABELS} />
          <FilterSelect name="riskTier" label="Risk tier" filters={form} set={set} labels={RISK_LEVEL_LABELS} />
          <FilterSelect name="outcome" label="Outcome" filters={form} set={set} labels={OUTCOME_LABELS} />
          <button type="submit" className="govuk-button">
            Apply filters
          </button>
        </div>
      </form>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      {!data && !error && <Spinner label="Counting…" />}
      {data && (
        <>
          <p className="govuk-body" role="status">
            Cases submitted from {formatDate(data.range.from)} to {formatDate(data.range.to)}; open backlog and re-reviews as of now. Figures as of{' '}
            {formatDateTime(data.generatedAt)}.
          </p>
          {data.tables.map((t) => (
            <ReportSection key={t.name} table={t} q={q} />
          ))}
        </>
      )}
    </>
  );
}
