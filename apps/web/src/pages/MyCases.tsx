import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { useAuth } from '../auth';
import { CaseTable } from '../components/CaseTable';
import { ErrorSummary, Spinner, SuccessBanner, useFlash, usePageTitle } from '../components/govuk';
import { TERMINAL_STATES } from '../../../../libs/domain/src/states';

/** Decided cases (approved, suspended, rejected, withdrawn, revoked, closed), from the domain's list. */
const isDecided = (state: string) => (TERMINAL_STATES as readonly string[]).includes(state);

type CaseListRow = Schemas['CaseListRow'];

export function MyCasesPage() {
  usePageTitle('My cases');
  const { me } = useAuth();
  const flash = useFlash();
  const [rows, setRows] = useState<CaseListRow[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');

  const load = async (after?: string) => {
    try {
      const page = await unwrap(api.GET('/api/cases', { params: { query: { mine: 'true', sort: 'updated', limit: 25, cursor: after } } }));
      setRows((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const open = rows?.filter((r) => !isDecided(r.state)) ?? [];
  const closed = rows?.filter((r) => isDecided(r.state)) ?? [];
  return (
    <>
      {flash && <SuccessBanner>{flash}</SuccessBanner>}
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      <h1 className="govuk-heading-l">My cases</h1>
      <p className="govuk-body">
        Tell the research office about an international collaboration before it starts. Each case shows where it is and who it is waiting on.
      </p>
      <Link to="/cases/new" role="button" className="govuk-button" draggable="false">
        Start a new case
      </Link>
      {rows === null && !error && <Spinner />}
      {rows && rows.length === 0 && <p className="govuk-body">You have no cases yet.</p>}
      {open.length > 0 && <CaseTable caption="Open cases" rows={open} meId={me?.id} columns={['reference', 'title', 'state', 'waiting', 'updated']} />}
      {closed.length > 0 && <CaseTable caption="Closed cases" rows={closed} meId={me?.id} columns={['reference', 'title', 'state', 'updated']} />}
      {cursor && (
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void load(cursor)}>
          Show more cases
        </button>
      )}
    </>
  );
}
