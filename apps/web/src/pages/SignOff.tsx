import { useEffect, useState } from 'react';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { useAuth } from '../auth';
import { CaseTable } from '../components/CaseTable';
import { ErrorSummary, Spinner, usePageTitle } from '../components/govuk';

type CaseListRow = Schemas['CaseListRow'];

/** Cases waiting for this person's sign-off: the API's visibility rules decide which (acting signer, delegate, RSDO lead). */
export function SignOffPage() {
  usePageTitle('Sign-off');
  const { me, has } = useAuth();
  const [rows, setRows] = useState<CaseListRow[] | null>(null);
  const [leadRows, setLeadRows] = useState<CaseListRow[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    unwrap(api.GET('/api/cases', { params: { query: { state: 'head_sign_off', sort: 'age', limit: 100 } } })).then(
      (p) => setRows(p.items.filter((r) => r.ownerId !== me?.id)),
      (e) => setError(errorMessage(e)),
    );
    if (has('rsdo_lead')) {
      unwrap(api.GET('/api/cases', { params: { query: { state: 'lead_review', sort: 'age', limit: 100 } } })).then(
        (p) => setLeadRows(p.items),
        () => undefined,
      );
    }
  }, [me?.id]);
  return (
    <>
      <h1 className="govuk-heading-l">Sign-off</h1>
      <p className="govuk-body">
        Cases the research office has sent for your sign-off, oldest first. Open a case to read the proposed decision, then endorse it or decline it with a
        comment.
      </p>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      {rows === null && !error ? (
        <Spinner />
      ) : rows && rows.length === 0 ? (
        <p className="govuk-body">Nothing is waiting for your sign-off.</p>
      ) : (
        rows && (
          <CaseTable caption="Waiting for sign-off" rows={rows} columns={['reference', 'title', 'owner', 'department', 'risk', 'submitted', 'due', 'sla']} />
        )
      )}
      {leadRows.length > 0 && (
        <CaseTable
          caption="Waiting for the RSDO lead"
          rows={leadRows}
          columns={['reference', 'title', 'owner', 'department', 'risk', 'submitted', 'due', 'sla']}
        />
      )}
    </>
  );
}
