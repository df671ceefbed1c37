import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import {
  DUE_DILIGENCE_STATUS_LABELS,
  DUE_DILIGENCE_STATUSES,
  ORGANISATION_DOCUMENT_KIND_LABELS,
  ORGANISATION_DOCUMENT_SCHEMA,
  ORGANISATION_LINK_ROLE_LABELS,
} from '@app/domain/partners';
import { useAuth } from '../auth';
import { downloadFile } from '../api/download';
import { ATTACHMENT_STATUS_LABELS, ATTACHMENT_STATUS_TAGS, fileSize } from '../components/Documents';
import { ErrorSummary, Select, Spinner, SuccessBanner, SummaryList, Textarea, TextInput, usePageTitle } from '../components/govuk';
import { SchemaForm } from '../components/SchemaForm';
import { formatDate, labelOf, OUTCOME_LABELS, stateLabel, stateTagClass } from '../labels';

type Page = Schemas['OrganisationPage'];

/** The partner register: search organisations (staff). */
export function OrganisationsPage() {
  usePageTitle('Organisations');
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Schemas['OrganisationListRow'][] | null>(null);
  const [error, setError] = useState('');
  const search = (text: string) =>
    unwrap(api.GET('/api/organisations', { params: { query: { q: text || undefined, limit: 100 } } })).then(
      (r) => setItems(r.items),
      (e) => setError(errorMessage(e)),
    );
  useEffect(() => void search(''), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void search(q.trim());
  };
  return (
    <>
      <h1 className="govuk-heading-l">Organisations</h1>
      <p className="govuk-body">Partners, funders and parent organisations across every case, one record each.</p>
      {error && <ErrorSummary errors={[{ href: '', message: error }]} />}
      <form onSubmit={submit} className="tr-search">
        <TextInput id="org-q" label="Search by name, country or identifier" value={q} onChange={setQ} width="20" />
        <button type="submit" className="govuk-button govuk-button--secondary">
          Search
        </button>
      </form>
      {!items ? (
        <Spinner />
      ) : items.length === 0 ? (
        <p className="govuk-body">No organisation matches.</p>
      ) : (
        <table className="govuk-table" aria-label="Organisations">
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th className="govuk-table__header">Organisation</th>
              <th className="govuk-table__header">Country</th>
              <th className="govuk-table__header">Role</th>
              <th className="govuk-table__header">Due diligence</th>
              <th className="govuk-table__header govuk-table__header--numeric">Cases</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {items.map((o) => (
              <tr className="govuk-table__row" key={o.id}>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/organisations/${o.id}`}>
                    {o.name}
                  </Link>
                </td>
                <td className="govuk-table__cell">{o.country ?? ''}</td>
                <td className="govuk-table__cell">{o.roles.map((r) => labelOf(ORGANISATION_LINK_ROLE_LABELS, r)).join(', ')}</td>
                <td className="govuk-table__cell">{ddText(o.ddStatus, o.ddExpiresOn)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{o.caseCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function ddText(status: string, expiresOn: string | null): string {
  const label = labelOf(DUE_DILIGENCE_STATUS_LABELS, status);
  return expiresOn ? `${label} until ${formatDate(expiresOn)}` : label;
}

/** One organisation: cases, screening history, parents, due diligence, documents, duplicates (staff). */
export function OrganisationPage() {
  const { id } = useParams();
  const { has } = useAuth();
  const officer = has('rsdo_officer', 'rsdo_lead');
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [dd, setDd] = useState({ status: '', reason: '', expiresOn: '' });
  const [docFile, setDocFile] = useState<File | null>(null);
  // A new key draws an empty document form (and file input) after a document is added.
  const [docFormKey, setDocFormKey] = useState(0);
  usePageTitle(page ? page.organisation.name : 'Organisation');
  useEffect(() => {
    if (!id) return;
    unwrap(api.GET('/api/organisations/{id}', { params: { path: { id } } })).then(setPage, (e) => setError(errorMessage(e)));
  }, [id]);

  if (error && !page)
    return (
      <>
        <h1 className="govuk-heading-l">Organisation</h1>
        <ErrorSummary errors={[{ href: '', message: error }]} />
      </>
    );
  if (!page || !id) return <Spinner />;
  const o = page.organisation;
  const run = async (what: string, p: Promise<Page>) => {
    setError('');
    setDone('');
    try {
      setPage(await p);
      setDone(what);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const saveDd = (e: FormEvent) => {
    e.preventDefault();
    if (!dd.status) return setError('Choose a due-diligence status.');
    void run(
      'The due-diligence status is saved.',
      unwrap(
        api.POST('/api/organisations/{id}/due-diligence', {
          params: { path: { id } },
          body: { status: dd.status as Schemas['Organisation']['ddStatus'], reason: dd.reason, expiresOn: dd.expiresOn.trim() || null },
        }),
      ),
    );
  };
  /** The form's fields are the API's body schema (SchemaForm); the file goes beside them as multipart (stored, then virus-scanned). */
  const addDoc = async (body: Record<string, unknown>) => {
    const form = new FormData();
    if (docFile) form.append('file', docFile);
    for (const [k, v] of Object.entries(body)) form.append(k, String(v));
    setError('');
    setDone('');
    const saved = await unwrap(api.POST('/api/organisations/{id}/documents', { params: { path: { id } }, body: body as never, bodySerializer: () => form }));
    setPage(saved);
    if (saved.message) setError(saved.message);
    else setDone(docFile ? `${docFile.name} is uploaded and scanned clean.` : 'The document is recorded.');
    setDocFile(null);
    setDocFormKey((k) => k + 1);
  };
  const downloadDoc = (docId: string) => downloadFile(`/api/organisations/${id}/documents/${docId}/content`, {}).catch((err) => setError(errorMessage(err)));
  const merge = (dupId: string, name: string) => {
    if (!window.confirm(`Merge ${name} into ${o.name}? Its cases will show here.`)) return;
    void run(
      `${name} is merged into this record.`,
      unwrap(api.POST('/api/organisations/{id}/merge', { params: { path: { id: dupId } }, body: { intoId: id } })),
    );
  };

  return (
    <>
      {done && <SuccessBanner>{done}</SuccessBanner>}
      {error && <ErrorSummary errors={[{ href: '', message: error }]} />}
      <span className="govuk-caption-l">Organisation</span>
      <h1 className="govuk-heading-l">{o.name}</h1>
      {o.mergedIntoId && (
        <p className="govuk-body">
          This record was merged: see{' '}
          <Link className="govuk-link" to={`/organisations/${o.mergedIntoId}`}>
            the organisation it is now part of
          </Link>
          .
        </p>
      )}
      <SummaryList
        rows={[
          { key: 'Country', value: o.country ?? '' },
          { key: 'Due diligence', value: <span data-testid="dd-status">{ddText(o.ddStatus, o.ddExpiresOn)}</span> },
          ...(o.ddReason ? [{ key: 'Reason', value: `${o.ddReason}${o.ddSetByName ? ` (${o.ddSetByName}, ${formatDate(o.ddSetAt)})` : ''}` }] : []),
          {
            key: 'Parent organisation',
            value: o.parentId ? (
              <Link className="govuk-link" to={`/organisations/${o.parentId}`}>
                {o.parentName}
              </Link>
            ) : (
              <span className="govuk-hint">None recorded</span>
            ),
          },
          ...(page.children.length ? [{ key: 'Owns or controls', value: page.children.map((c) => c.name).join(', ') }] : []),
          { key: 'ROR id', value: o.rorId ?? '' },
          { key: 'Company number', value: o.companyNumber ?? '' },
          { key: 'Website', value: o.websiteDomain ?? '' },
        ]}
      />

      <h2 className="govuk-heading-m">Cases</h2>
      <table className="govuk-table" aria-label="Cases with this organisation">
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th className="govuk-table__header">Case</th>
            <th className="govuk-table__header">As</th>
            <th className="govuk-table__header">State</th>
            <th className="govuk-table__header">Outcome and conditions</th>
            <th className="govuk-table__header">Submitted</th>
            <th className="govuk-table__header">Closed</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {page.cases.map((c) => (
            <tr className="govuk-table__row" key={c.id}>
              <td className="govuk-table__cell">
                <Link className="govuk-link" to={`/cases/${c.id}`}>
                  {c.reference}
                </Link>{' '}
                {c.title}
              </td>
              <td className="govuk-table__cell">{c.roles.map((r) => labelOf(ORGANISATION_LINK_ROLE_LABELS, r)).join(', ')}</td>
              <td className="govuk-table__cell">
                <strong className={stateTagClass(c.state)}>{stateLabel(c.state)}</strong>
              </td>
              <td className="govuk-table__cell">
                {c.outcome ? labelOf(OUTCOME_LABELS, c.outcome) : ''}
                {(c.conditions as { text?: string }[]).length > 0 && (
                  <ul className="govuk-list govuk-list--bullet govuk-body-s">
                    {(c.conditions as { text?: string }[]).map((x, i) => (
                      <li key={i}>{x.text}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="govuk-table__cell">{formatDate(c.submittedAt)}</td>
              <td className="govuk-table__cell">{formatDate(c.closedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 className="govuk-heading-m">Screening history</h2>
      {page.screening.length === 0 ? (
        <p className="govuk-body">No screening hit on this organisation.</p>
      ) : (
        <ul className="govuk-list govuk-list--bullet">
          {page.screening.map((h) => (
            <li key={h.id}>
              {formatDate(h.createdAt)}: "{h.subject}" matched {h.matchedName} on {h.sourceList} (score {h.score.toFixed(2)}), case {h.reference}
              {h.flagStatus ? `, ${h.flagStatus}` : ''}
            </li>
          ))}
        </ul>
      )}

      <h2 className="govuk-heading-m">Due-diligence history</h2>
      {page.dueDiligence.length === 0 ? (
        <p className="govuk-body">Not assessed yet.</p>
      ) : (
        <ul className="govuk-list govuk-list--bullet">
          {page.dueDiligence.map((x) => (
            <li key={x.id}>
              {formatDate(x.setAt)}: {ddText(x.status, x.expiresOn)} by {x.setByName}: {x.reason}
            </li>
          ))}
        </ul>
      )}
      {officer && !o.mergedIntoId && (
        <form onSubmit={saveDd} aria-label="Set due-diligence status">
          <Select
            id="dd-status-input"
            label="Due-diligence status"
            value={dd.status}
            onChange={(v) => setDd({ ...dd, status: v })}
            options={DUE_DILIGENCE_STATUSES.map((s) => ({ value: s, label: DUE_DILIGENCE_STATUS_LABELS[s] }))}
          />
          <Textarea id="dd-reason" label="Reason" value={dd.reason} onChange={(v) => setDd({ ...dd, reason: v })} rows={3} />
          <TextInput
            id="dd-expires"
            label="Until (YYYY-MM-DD)"
            hint="Required for cleared: the date the clearance lasts until."
            value={dd.expiresOn}
            onChange={(v) => setDd({ ...dd, expiresOn: v })}
            width="10"
          />
          <button type="submit" className="govuk-button">
            Save status
          </button>
        </form>
      )}

      <h2 className="govuk-heading-m">Documents</h2>
      {page.documents.length === 0 ? (
        <p className="govuk-body">No documents recorded.</p>
      ) : (
        <table className="govuk-table" aria-label="Documents">
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Document
              </th>
              <th scope="col" className="govuk-table__header">
                Kind
              </th>
              <th scope="col" className="govuk-table__header">
                File
              </th>
              <th scope="col" className="govuk-table__header">
                Added
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {page.documents.map((x) => (
              <tr className="govuk-table__row" key={x.id}>
                <td className="govuk-table__cell">
                  {x.downloadable && x.fileName ? (
                    <button type="button" className="govuk-link tr-link-button" onClick={() => void downloadDoc(x.id)}>
                      {x.title}
                      <span className="govuk-visually-hidden"> (download {x.fileName})</span>
                    </button>
                  ) : (
                    x.title
                  )}
                  {x.reference ? ` (${x.reference})` : ''}
                  {x.documentDate ? <span className="govuk-body-s">{`, dated ${formatDate(x.documentDate)}`}</span> : null}
                </td>
                <td className="govuk-table__cell">{labelOf(ORGANISATION_DOCUMENT_KIND_LABELS, x.kind)}</td>
                <td className="govuk-table__cell">
                  {x.status && x.fileName ? (
                    <>
                      {x.fileName}, {fileSize(x.sizeBytes ?? 0)}
                      <br />
                      <strong className={`govuk-tag ${ATTACHMENT_STATUS_TAGS[x.status]}`}>{ATTACHMENT_STATUS_LABELS[x.status]}</strong>
                    </>
                  ) : (
                    'No file: a record of where it is kept'
                  )}
                </td>
                <td className="govuk-table__cell">
                  {formatDate(x.addedAt)} by {x.addedByName}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {officer && !o.mergedIntoId && (
        <SchemaForm
          key={docFormKey}
          id="doc"
          label="Add a document"
          schema={ORGANISATION_DOCUMENT_SCHEMA}
          enumLabels={{ kind: ORGANISATION_DOCUMENT_KIND_LABELS }}
          submitLabel="Add document"
          onSubmit={addDoc}
          intro={
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="doc-file">
                File (optional)
              </label>
              <div id="doc-file-hint" className="govuk-hint">
                PDF, Word, Excel, text or image files. Every file is scanned for viruses before anyone can download it.
              </div>
              <input
                className="govuk-file-upload"
                id="doc-file"
                name="doc-file"
                type="file"
                aria-describedby="doc-file-hint"
                onChange={(e) => setDocFile(e.target.files?.[0] ?? null)}
              />
            </div>
          }
        />
      )}

      {page.duplicates.length > 0 && (
        <>
          <h2 className="govuk-heading-m">Possible duplicates</h2>
          <ul className="govuk-list">
            {page.duplicates.map((x) => (
              <li key={x.id}>
                <Link className="govuk-link" to={`/organisations/${x.id}`}>
                  {x.name}
                </Link>{' '}
                {x.country ?? ''} ({x.reasons.join(', ')})
                {officer && (
                  <>
                    {' '}
                    <button type="button" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0" onClick={() => merge(x.id, x.name)}>
                      Merge into this record
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
