/** Opens Bull Board (a page of its own, outside this app): asks the API for a board session cookie, then goes there. */
import { useEffect, useState } from 'react';
import { api, errorMessage, unwrap } from '../api/client';
import { ErrorSummary, Spinner, usePageTitle } from '../components/govuk';

export function QueueBoardPage() {
  usePageTitle('Queues');
  const [error, setError] = useState('');
  useEffect(() => {
    unwrap<{ url: string }>(api.POST('/api/admin/queue-board/session')).then(
      (r) => window.location.assign(r.url),
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);
  return (
    <>
      <h1 className="govuk-heading-l">Queues</h1>
      {error ? <ErrorSummary errors={[{ href: '', message: error }]} /> : <Spinner label="Opening the queue board…" />}
    </>
  );
}
