/** Mail health (admins): open operator alarms first (SMTP authentication refused and the like), then deliveries by status. */
import { useEffect, useState } from 'react';
import { DELIVERY_STATUS_LABELS, DELIVERY_STATUSES, MAIL_ALARM_LABELS } from '@app/domain/notifications';
import { api, errorMessage, unwrap } from '../api/client';
import type { Schemas } from '../api/client';
import { ErrorSummary, Spinner, usePageTitle } from '../components/govuk';
import { formatDateTime, labelOf } from '../labels';

type MailStatus = Schemas['MailStatus'];

export function AdminMailPage() {
  usePageTitle('Mail status');
  const [status, setStatus] = useState<MailStatus | null>(null);
  const [error, setError] = useState('');
  const load = () => unwrap(api.GET('/api/admin/mail/status')).then(setStatus, (e: unknown) => setError(errorMessage(e)));
  useEffect(() => {
    void load();
  }, []);

  const open = status?.alarms.filter((a) => !a.clearedAt) ?? [];
  const cleared = status?.alarms.filter((a) => a.clearedAt) ?? [];
  return (
    <>
      <h1 className="govuk-heading-l">Mail status</h1>
      <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
      {!status ? (
        !error && <Spinner />
      ) : (
        <>
          {status.status === 'ok' ? (
            <div className="govuk-panel govuk-panel--confirmation" role="status">
              <h2 className="govuk-panel__title">Mail is working</h2>
              <div className="govuk-panel__body">No open alarms</div>
            </div>
          ) : (
            <div className="govuk-warning-text" role="alert">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                {status.openAlarms === 1 ? '1 mail alarm is open' : `${status.openAlarms} mail alarms are open`}: emails may not be reaching people. Fix the
                cause below; the alarm clears when mail is sent again.
              </strong>
            </div>
          )}
          {open.length > 0 && (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">Open alarms</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  {['Alarm', 'What happened', 'First seen', 'Last seen', 'Times'].map((h) => (
                    <th scope="col" className="govuk-table__header" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {open.map((a) => (
                  <tr className="govuk-table__row" key={a.kind}>
                    <td className="govuk-table__cell">
                      <strong className="govuk-tag govuk-tag--red">{labelOf(MAIL_ALARM_LABELS, a.kind)}</strong>
                    </td>
                    <td className="govuk-table__cell">{a.message}</td>
                    <td className="govuk-table__cell">{formatDateTime(a.firstSeenAt)}</td>
                    <td className="govuk-table__cell">{formatDateTime(a.lastSeenAt)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{a.occurrences}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">Emails by status</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Status
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Emails
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {DELIVERY_STATUSES.map((s) => (
                <tr className="govuk-table__row" key={s}>
                  <th scope="row" className="govuk-table__header">
                    {DELIVERY_STATUS_LABELS[s]}
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{status.deliveries[s] ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cleared.length > 0 && (
            <>
              <h2 className="govuk-heading-m">Cleared alarms</h2>
              <ul className="govuk-list govuk-list--bullet">
                {cleared.map((a) => (
                  <li key={a.kind}>
                    {labelOf(MAIL_ALARM_LABELS, a.kind)}: {a.message} (cleared {formatDateTime(a.clearedAt)})
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void load()}>
            Check again
          </button>
        </>
      )}
    </>
  );
}
