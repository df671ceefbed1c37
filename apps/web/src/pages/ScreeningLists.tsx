import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { LIST_CHANGE_LABELS, SCREENING_LIST_KIND_LABELS } from '@app/domain/list-change-kinds';
import { CREATE_SCREENING_SOURCE_SCHEMA, NULLABLE_SOURCE_FIELDS } from '@app/domain/screening-source-schema';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ErrorSummary, Spinner, SuccessBanner, usePageTitle } from '../components/govuk';
import { SchemaForm } from '../components/SchemaForm';
import { formatDate, formatDateTime, labelOf, stateLabel } from '../labels';

type Source = Schemas['ScreeningSource'];
type Version = Schemas['ScreeningVersion'];
type EntryChange = Schemas['ScreeningEntryChange'];

const FIELD_LABELS: Record<string, string> = {
  partyType: 'Party type',
  primaryName: 'Name',
  names: 'Names and aliases',
  countries: 'Countries',
  rating: 'Rating',
  birthDates: 'Birth dates',
  nationalities: 'Nationalities',
  identifiers: 'Identifiers',
  programmes: 'Programmes',
};

function cadence(minutes: number | null | undefined): string {
  if (!minutes) return 'By hand only';
  if (minutes % 1440 === 0) return minutes === 1440 ? 'Daily' : `Every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'Hourly' : `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}

function WhatChanged({ changes }: { changes: EntryChange[] }) {
  if (!changes.length) return null;
  return (
    <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0">
      {changes.map((c, i) => (
        <li key={i}>
          <strong>{FIELD_LABELS[c.field] ?? c.field}:</strong>{' '}
          {c.added || c.removed
            ? [c.added?.length ? `added ${c.added.join(', ')}` : '', c.removed?.length ? `removed ${c.removed.join(', ')}` : ''].filter(Boolean).join('; ')
            : `${c.before ?? '(none)'} → ${c.after ?? '(none)'}`}
        </li>
      ))}
    </ul>
  );
}

/** Upload a list file to one source and import it now (admin). */
function ImportNow({ source, onDone }: { source: Source; onDone(message: string): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (withFile: boolean) => {
    setError('');
    if (withFile && !file) return setError('Choose a list file to upload.');
    setBusy(true);
    try {
      const form = new FormData();
      if (withFile && file) form.append('file', file);
      const r = await unwrap(
        api.POST('/api/screening/sources/{sourceId}/import', {
          params: { path: { sourceId: source.id } },
          body: form as never,
          bodySerializer: (b: unknown) => b as FormData,
        }),
      );
      onDone(
        r.unchanged
          ? `${source.name}: the file is the version already current; nothing changed.`
          : `${source.name}: ${r.entries} entries imported (${r.added} added, ${r.removed} removed, ${r.changed} changed); ${r.rescreenedCases} cases rescreened, ${r.newHits} new hits, ${r.rememberedHits} kept quiet by remembered decisions; ${r.blastRadius} case subjects in the blast radius.`,
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="govuk-!-margin-bottom-4">
      {error && <ErrorSummary errors={[{ href: `file-${source.id}`, message: error }]} />}
      <div className="govuk-form-group">
        <label className="govuk-label" htmlFor={`file-${source.id}`}>
          Upload a file for {source.name}
        </label>
        <input className="govuk-file-upload" id={`file-${source.id}`} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <div className="govuk-button-group">
        <button type="button" className="govuk-button govuk-button--secondary" disabled={busy} onClick={() => void run(true)}>
          Import the uploaded file<span className="govuk-visually-hidden"> into {source.name}</span>
        </button>
        {source.location && (
          <button type="button" className="govuk-button govuk-button--secondary" disabled={busy} onClick={() => void run(false)}>
            Import from its location now<span className="govuk-visually-hidden"> ({source.name})</span>
          </button>
        )}
      </div>
    </div>
  );
}

/** The add and edit forms: the API's own body schemas drawn by SchemaForm, so a refusal shows beside its field. */
const KIND_LABELS = { listKind: SCREENING_LIST_KIND_LABELS };

/**
 * Change a source (admin): PATCH /api/screening/sources/{sourceId}. The form holds every field
 * with its current value, so it asks as the add form does (name and kind required; the PATCH
 * schema takes any subset); a field left empty is cleared (null).
 */
function EditSource({ source, onSaved, onCancel }: { source: Source; onSaved(message: string): void; onCancel(): void }) {
  const initial = {
    name: source.name,
    listKind: source.listKind,
    location: source.location ?? '',
    cadenceMinutes: source.cadenceMinutes ? String(source.cadenceMinutes) : '',
    publisherUrl: source.publisherUrl ?? '',
    enabled: String(source.enabled),
  };
  return (
    <>
      <h2 className="govuk-heading-m">Edit {source.name}</h2>
      <SchemaForm
        id="edit"
        label={`Edit ${source.name}`}
        schema={CREATE_SCREENING_SOURCE_SCHEMA}
        enumLabels={KIND_LABELS}
        initial={initial}
        submitLabel="Save changes"
        secondary={
          <button type="button" className="govuk-button govuk-button--secondary" onClick={onCancel}>
            Cancel
          </button>
        }
        onSubmit={async (body) => {
          const cleared = Object.fromEntries(NULLABLE_SOURCE_FIELDS.filter((k) => !(k in body)).map((k) => [k, null]));
          const saved = await unwrap(
            api.PATCH('/api/screening/sources/{sourceId}', { params: { path: { sourceId: source.id } }, body: { ...cleared, ...body } as never }),
          );
          onSaved(`${saved.name} is saved.`);
        }}
      />
    </>
  );
}

/** /screening/lists: the configured sources; the administrator adds, edits and imports them. */
export function ScreeningListsPage() {
  usePageTitle('Screening lists');
  const { has } = useAuth();
  const admin = has('admin');
  const [sources, setSources] = useState<Source[] | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  // A new key draws an empty add form after a list is added.
  const [added, setAdded] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const load = () =>
    unwrap(api.GET('/api/screening/sources')).then(
      (r) => setSources(r.items),
      (e) => setError(errorMessage(e)),
    );
  useEffect(() => {
    void load();
  }, []);

  return (
    <>
      {done && <SuccessBanner>{done}</SuccessBanner>}
      <h1 className="govuk-heading-l">Screening lists</h1>
      <p className="govuk-body">
        Each list is imported on its schedule by the worker, as a new version compared with the one before. Every import rescreens the partners and people of
        open and approved collaborations, and shows which cases its new and changed entries touch.
      </p>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      {!sources ? (
        <Spinner />
      ) : (
        <table className="govuk-table" aria-label="List sources">
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                List
              </th>
              <th scope="col" className="govuk-table__header">
                Kind
              </th>
              <th scope="col" className="govuk-table__header">
                Schedule
              </th>
              <th scope="col" className="govuk-table__header">
                Current version
              </th>
              <th scope="col" className="govuk-table__header">
                Last run
              </th>
              {admin && (
                <th scope="col" className="govuk-table__header">
                  <span className="govuk-visually-hidden">Change</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {sources.map((s) => (
              <tr key={s.id} className="govuk-table__row">
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/screening/lists/sources/${s.id}`}>
                    {s.name}
                  </Link>
                  {s.publisherUrl && (
                    <div className="govuk-body-s govuk-!-margin-bottom-0">
                      <a className="govuk-link" href={s.publisherUrl} rel="noreferrer noopener" target="_blank">
                        Publisher's page
                      </a>
                    </div>
                  )}
                </td>
                <td className="govuk-table__cell">{labelOf(SCREENING_LIST_KIND_LABELS, s.listKind)}</td>
                <td className="govuk-table__cell">
                  {s.enabled ? cadence(s.cadenceMinutes) : 'Paused'}
                  {s.location ? <div className="govuk-body-s govuk-!-margin-bottom-0">from {s.location}</div> : null}
                </td>
                <td className="govuk-table__cell">{s.currentVersionId ? `${s.currentEntries} entries, ${formatDate(s.currentImportedAt)}` : 'None yet'}</td>
                <td className="govuk-table__cell">
                  {s.lastRunAt ? formatDateTime(s.lastRunAt) : 'Never'}
                  {s.lastError && <div className="govuk-error-message">{s.lastError}</div>}
                </td>
                {admin && (
                  <td className="govuk-table__cell">
                    <button
                      type="button"
                      className="govuk-link tr-link-button"
                      onClick={() => {
                        setDone('');
                        setEditing(s.id);
                      }}
                    >
                      Edit<span className="govuk-visually-hidden"> {s.name}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && sources && editing && sources.some((s) => s.id === editing) && (
        <EditSource
          key={editing}
          source={sources.find((s) => s.id === editing)!}
          onCancel={() => setEditing(null)}
          onSaved={(m) => {
            setEditing(null);
            setDone(m);
            void load();
          }}
        />
      )}
      {admin && sources && sources.length > 0 && (
        <>
          <h2 className="govuk-heading-m">Import now</h2>
          {sources.map((s) => (
            <ImportNow
              key={s.id}
              source={s}
              onDone={(m) => {
                setDone(m);
                void load();
              }}
            />
          ))}
        </>
      )}
      {admin && (
        <>
          <h2 className="govuk-heading-m">Add a list</h2>
          <SchemaForm
            key={added}
            id="source"
            label="Add a list"
            schema={CREATE_SCREENING_SOURCE_SCHEMA}
            enumLabels={KIND_LABELS}
            initial={{ listKind: 'watch_list' }}
            submitLabel="Add list"
            onSubmit={async (body) => {
              setDone('');
              const created = await unwrap(api.POST('/api/screening/sources', { body: body as never }));
              setDone(`${created.name} is added.`);
              setAdded((n) => n + 1);
              await load();
            }}
          />
        </>
      )}
    </>
  );
}

/** /screening/lists/sources/:id: a source's versions with their counts. */
export function ScreeningSourcePage() {
  const { id } = useParams();
  const [data, setData] = useState<Schemas['ScreeningVersionList'] | null>(null);
  const [error, setError] = useState('');
  usePageTitle(data?.source.name ?? 'List versions');
  useEffect(() => {
    if (id)
      unwrap(api.GET('/api/screening/sources/{sourceId}/versions', { params: { path: { sourceId: id } } })).then(setData, (e) => setError(errorMessage(e)));
  }, [id]);
  if (error) return <ErrorSummary errors={[{ href: '', message: error }]} />;
  if (!data) return <Spinner />;
  return (
    <>
      <Link className="govuk-back-link" to="/screening/lists">
        All lists
      </Link>
      <h1 className="govuk-heading-l">{data.source.name}</h1>
      <table className="govuk-table" aria-label="Versions">
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Imported
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Entries
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Added
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Removed
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Changed
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Cases touched
            </th>
            <th scope="col" className="govuk-table__header">
              Rescreen
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {data.items.map((v: Version) => (
            <tr key={v.id} className="govuk-table__row">
              <td className="govuk-table__cell">
                <Link className="govuk-link" to={`/screening/lists/versions/${v.id}`}>
                  {formatDateTime(v.importedAt)}
                </Link>
                {v.isCurrent && <strong className="govuk-tag govuk-!-margin-left-1">Current</strong>}
              </td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{v.entryCount}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{v.addedCount ?? '–'}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{v.removedCount ?? '–'}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{v.changedCount ?? '–'}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{v.blastCount ?? 0}</td>
              <td className="govuk-table__cell">
                {v.rescreenedCases === null ? '–' : `${v.rescreenedCases} cases, ${v.newHits} new hits, ${v.rememberedHits} remembered`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** /screening/lists/versions/:id: one version's diff and its blast radius. */
export function ScreeningVersionPage() {
  const { id } = useParams();
  const { has } = useAuth();
  const [diff, setDiff] = useState<Schemas['ScreeningVersionDiff'] | null>(null);
  const [blast, setBlast] = useState<Schemas['ScreeningBlastRadius'] | null>(null);
  const [error, setError] = useState('');
  usePageTitle('Blast radius');
  useEffect(() => {
    if (!id) return;
    unwrap(api.GET('/api/screening/versions/{versionId}', { params: { path: { versionId: id } } })).then(setDiff, (e) => setError(errorMessage(e)));
    unwrap(api.GET('/api/screening/versions/{versionId}/blast-radius', { params: { path: { versionId: id } } })).then(setBlast, (e) =>
      setError(errorMessage(e)),
    );
  }, [id]);
  if (error) return <ErrorSummary errors={[{ href: '', message: error }]} />;
  if (!diff || !blast) return <Spinner />;
  const v = diff.version;
  const officer = has('rsdo_officer');
  return (
    <>
      <Link className="govuk-back-link" to={`/screening/lists/sources/${v.sourceId}`}>
        {v.sourceName ?? 'Versions'}
      </Link>
      <span className="govuk-caption-l">
        {v.sourceName} · imported {formatDateTime(v.importedAt)}
      </span>
      <h1 className="govuk-heading-l">Blast radius</h1>
      <p className="govuk-body">Every case, approved and closed ones included, whose partners or people match an entry this version added or changed.</p>
      {blast.items.length === 0 ? (
        <p className="govuk-body">No case is touched.</p>
      ) : (
        <table className="govuk-table" aria-label="Cases touched">
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Entry
              </th>
              <th scope="col" className="govuk-table__header">
                Case
              </th>
              <th scope="col" className="govuk-table__header">
                State
              </th>
              <th scope="col" className="govuk-table__header">
                Party on the case
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Score
              </th>
              <th scope="col" className="govuk-table__header">
                <span className="govuk-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {blast.items.map((b) => (
              <tr key={`${b.changeId}-${b.caseId}-${b.subjectKey}`} className="govuk-table__row">
                <td className="govuk-table__cell">
                  {b.primaryName}{' '}
                  <span className="govuk-body-s">
                    ({labelOf(LIST_CHANGE_LABELS, b.change)}, {b.externalId})
                  </span>
                  <WhatChanged changes={b.changes} />
                </td>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/cases/${b.caseId}`}>
                    {b.reference}
                  </Link>
                  <div className="govuk-body-s govuk-!-margin-bottom-0">{b.title}</div>
                </td>
                <td className="govuk-table__cell">{stateLabel(b.caseState)}</td>
                <td className="govuk-table__cell">{b.subject}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{b.score.toFixed(2)}</td>
                <td className="govuk-table__cell">
                  {b.caseState === 'approved' && officer && (
                    <Link className="govuk-link" to={`/cases/${b.caseId}/act/suspend`}>
                      Suspend approval<span className="govuk-visually-hidden"> of {b.reference}</span>
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 className="govuk-heading-m">What this version changed</h2>
      <p className="govuk-body">
        {v.entryCount} entries: {v.addedCount ?? 0} added, {v.removedCount ?? 0} removed, {v.changedCount ?? 0} changed against the version before.
        {v.publishedAt ? ` Published ${formatDate(v.publishedAt)}.` : ''}
      </p>
      {diff.changes.length > 0 && (
        <table className="govuk-table" aria-label="Changed entries">
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Change
              </th>
              <th scope="col" className="govuk-table__header">
                Entry
              </th>
              <th scope="col" className="govuk-table__header">
                What changed
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {diff.changes.map((c) => (
              <tr key={c.id} className="govuk-table__row">
                <td className="govuk-table__cell">{labelOf(LIST_CHANGE_LABELS, c.change)}</td>
                <td className="govuk-table__cell">
                  {c.primaryName} <span className="govuk-body-s">({c.externalId})</span>
                </td>
                <td className="govuk-table__cell">
                  <WhatChanged changes={c.changes} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
