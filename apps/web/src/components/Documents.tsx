/**
 * A case's documents (POST/GET /api/cases/:id/attachments, GET /api/attachments/:id/content):
 * upload with a type (and, for staff, who may read it), the list with each file's virus
 * scan status, and download of clean files. A file is quarantined until the scan passes.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage, unwrap, type Schemas } from '../api/client';
import { downloadFile } from '../api/download';
import { formatDateTime } from '../labels';
import { ErrorSummary, Radios, Select, type FieldError } from './govuk';

type Attachment = Schemas['Attachment'];
export const ATTACHMENT_KIND_LABELS: Record<Attachment['kind'], string> = {
  agreement: 'Collaboration agreement',
  partner_questionnaire: "Partner's due-diligence questionnaire",
  licence: 'Export licence',
  other: 'Other document',
};
export const ATTACHMENT_STATUS_LABELS: Record<Attachment['status'], string> = {
  pending: 'Quarantined: waiting for the virus scan',
  clean: 'Scanned: no virus found',
  infected: 'Quarantined: a virus was found; it cannot be downloaded',
  scan_failed: 'Quarantined: the virus scan failed',
};
export const ATTACHMENT_STATUS_TAGS: Record<Attachment['status'], string> = {
  pending: 'govuk-tag--yellow',
  clean: 'govuk-tag--green',
  infected: 'govuk-tag--red',
  scan_failed: 'govuk-tag--orange',
};

export const fileSize = (n: number) => (n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function Documents({ caseId, staff }: { caseId: string; staff: boolean }) {
  const [items, setItems] = useState<Attachment[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<Attachment['kind'] | ''>('');
  const [visibility, setVisibility] = useState<Attachment['visibility']>(staff ? 'internal' : 'researcher');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  const load = () =>
    unwrap(api.GET('/api/cases/{id}/attachments', { params: { path: { id: caseId } } })).then(
      (r) => setItems(r.items),
      () => undefined,
    );
  useEffect(() => {
    void load();
  }, [caseId]);
  // While a scan is running, look again every few seconds so the status changes by itself.
  useEffect(() => {
    if (!items.some((a) => a.status === 'pending')) return;
    const t = setTimeout(() => void load(), 3000);
    return () => clearTimeout(t);
  }, [items]);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    const errs: FieldError[] = [];
    if (!file) errs.push({ href: 'document-file', message: 'Choose a file to upload' });
    if (!kind) errs.push({ href: 'document-kind', message: 'Choose the type of document' });
    setErrors(errs);
    if (errs.length || !file || !kind) return;
    setBusy(true);
    try {
      const form = new FormData();
      form.append('file', file);
      form.append('kind', kind);
      form.append('visibility', visibility);
      const saved = await unwrap(
        api.POST('/api/cases/{id}/attachments', {
          params: { path: { id: caseId } },
          body: { file: '', kind, visibility },
          bodySerializer: () => form,
        }),
      );
      setDone(`${saved.fileName} uploaded. It can be downloaded once the virus scan has passed.`);
      setFile(null);
      setKind('');
      setInputKey((k) => k + 1);
      await load();
    } catch (err) {
      setErrors([{ href: 'document-file', message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };
  const download = (a: Attachment) =>
    downloadFile(`/api/attachments/${a.id}/content`, {}).catch((err) => setErrors([{ href: '', message: errorMessage(err) }]));
  const fileError = errors.find((x) => x.href === 'document-file')?.message;

  return (
    <section aria-labelledby="documents-heading">
      <h2 className="govuk-heading-m" id="documents-heading">
        Documents
      </h2>
      {items.length === 0 ? (
        <p className="govuk-body">No documents yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Documents on this case</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                File
              </th>
              <th scope="col" className="govuk-table__header">
                Type
              </th>
              <th scope="col" className="govuk-table__header">
                Status
              </th>
              <th scope="col" className="govuk-table__header">
                Uploaded
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {items.map((a) => (
              <tr className="govuk-table__row" key={a.id}>
                <td className="govuk-table__cell">
                  {a.downloadable ? (
                    <button type="button" className="govuk-link tr-link-button" onClick={() => void download(a)}>
                      {a.fileName}
                      <span className="govuk-visually-hidden"> (download)</span>
                    </button>
                  ) : (
                    a.fileName
                  )}
                  <br />
                  <span className="govuk-body-s">
                    {fileSize(a.sizeBytes)}
                    {staff ? ` · ${a.visibility === 'internal' ? 'research office only' : 'the researcher can see it'}` : ''}
                  </span>
                </td>
                <td className="govuk-table__cell">{ATTACHMENT_KIND_LABELS[a.kind]}</td>
                <td className="govuk-table__cell">
                  <strong className={`govuk-tag ${ATTACHMENT_STATUS_TAGS[a.status]}`}>{ATTACHMENT_STATUS_LABELS[a.status]}</strong>
                </td>
                <td className="govuk-table__cell">{formatDateTime(a.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={upload} noValidate>
        <ErrorSummary errors={errors} />
        {done && (
          <p className="govuk-body" role="status">
            {done}
          </p>
        )}
        <div className={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label govuk-label--s" htmlFor="document-file">
            Upload a document
          </label>
          <div id="document-file-hint" className="govuk-hint">
            PDF, Word, Excel, text or image files. Every file is scanned for viruses before anyone can download it.
          </div>
          {fileError && (
            <p id="document-file-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {fileError}
            </p>
          )}
          <input
            key={inputKey}
            className={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`}
            id="document-file"
            name="document-file"
            type="file"
            aria-describedby={`document-file-hint${fileError ? ' document-file-error' : ''}`}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <Select
          id="document-kind"
          label="Type of document"
          value={kind}
          error={errors.find((x) => x.href === 'document-kind')?.message}
          options={Object.entries(ATTACHMENT_KIND_LABELS).map(([value, label]) => ({ value, label }))}
          onChange={(v) => setKind(v as Attachment['kind'] | '')}
        />
        {staff && (
          <Radios
            id="document-visibility"
            label="Who can read it"
            inline
            value={visibility}
            onChange={(v) => setVisibility(v as Attachment['visibility'])}
            options={[
              { value: 'internal', label: 'Research office only' },
              { value: 'researcher', label: 'Also the researcher' },
            ]}
          />
        )}
        <button type="submit" className="govuk-button govuk-button--secondary" disabled={busy}>
          Upload document
        </button>
      </form>
    </section>
  );
}
