/**
 * Audit chain verification (admins and the RSDO lead): the API re-hashes every case's
 * event chain and the system chain, and reports the first broken link.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { ErrorSummary, Spinner, usePageTitle } from '../components/govuk';
import { formatDateTime } from '../labels';

type AuditVerification = Schemas['AuditVerification'];

/** The reason as one sentence, ending with one full stop. */
const sentence = (s: string) => s.replace(/[.\s]+$/, '') + '.';

export function AdminAuditPage() {
  usePageTitle('Audit trail');
  const [result, setResult] = useState<{ at: string; v: AuditVerification; reference?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const verify = async () => {
    setBusy(true);
    setError('');
    setResult(null);
    try {
      const v = await unwrap(api.GET('/api/admin/audit/verify'));
      // Name the broken case by its reference where this person may open it.
      const caseId = v.firstBroken?.caseId;
      const reference = caseId
        ? await unwrap(api.GET('/api/cases/{id}', { params: { path: { id: caseId } } })).then(
            (c) => c.reference,
            () => undefined,
          )
        : undefined;
      setResult({ at: new Date().toISOString(), v, reference });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const broken = result?.v.firstBroken;
  return (
    <>
      <h1 className="govuk-heading-l">Audit trail</h1>
      <p className="govuk-body">
        Every change to a case, and every administrative change, is an event chained to the one before by a keyed hash. Verifying re-hashes every chain: an
        edited, deleted or reordered event breaks it.
      </p>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      {result && result.v.ok && (
        <div className="govuk-panel govuk-panel--confirmation" role="status">
          <h2 className="govuk-panel__title">The audit trail is intact</h2>
          <div className="govuk-panel__body">
            {result.v.eventsChecked} events in {result.v.casesChecked} case chains and the system chain verified, {formatDateTime(result.at)}
          </div>
        </div>
      )}
      {result && !result.v.ok && (
        <div className="govuk-error-summary" role="alert" aria-labelledby="audit-broken-title" tabIndex={-1}>
          <h2 className="govuk-error-summary__title" id="audit-broken-title">
            The audit trail is broken
          </h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">
              {broken?.chain === 'case' && broken.caseId ? (
                <>
                  The chain of case{' '}
                  <Link className="govuk-link" to={`/cases/${broken.caseId}`}>
                    {result.reference ?? broken.caseId}
                  </Link>{' '}
                  breaks at event {broken.seq}: {sentence(broken.reason)}
                </>
              ) : (
                <>
                  The system chain breaks at event {broken?.seq}: {sentence(broken?.reason ?? 'no reason given')}
                </>
              )}
            </p>
            <p className="govuk-body">
              {result.v.eventsChecked > 0 && `The ${result.v.eventsChecked} events in the chains checked before this one are intact. `}Do not change anything:
              report this to the information security team with the time of this check ({formatDateTime(result.at)}).
            </p>
          </div>
        </div>
      )}
      {busy ? (
        <Spinner label="Verifying every chain…" />
      ) : (
        <button type="button" className="govuk-button" onClick={() => void verify()}>
          {result ? 'Verify again' : 'Verify the audit trail'}
        </button>
      )}
    </>
  );
}
