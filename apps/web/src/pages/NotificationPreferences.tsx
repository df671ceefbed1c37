/** Each person's email settings: a mode per category. Decision emails and what you must act on are always sent. */
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  DIGEST_MODE_LABELS,
  PREFERENCE_CATEGORIES,
  PREFERENCE_CATEGORY_HINTS,
  PREFERENCE_CATEGORY_LABELS,
  PREFERENCE_CATEGORY_MODES,
  PREFERENCE_MODE_LABELS,
  type PreferenceCategory,
  type PreferenceMode,
} from '@app/domain/notifications';
import { api, errorMessage, unwrap } from '../api/client';
import { ErrorSummary, Radios, Spinner, SuccessBanner, usePageTitle } from '../components/govuk';

type Modes = Record<PreferenceCategory, PreferenceMode>;

export function NotificationPreferencesPage() {
  usePageTitle('Email notifications');
  const [modes, setModes] = useState<Modes | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  useEffect(() => {
    unwrap(api.GET('/api/me/notification-preferences')).then(
      (r) => setModes(r.preferences),
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!modes) return;
    setError('');
    setDone('');
    try {
      const r = await unwrap(
        api.PUT('/api/me/notification-preferences', {
          body: { case_updates: modes.case_updates, reminders: modes.reminders, digest: modes.digest === 'off' ? 'off' : 'immediate' },
        }),
      );
      setModes(r.preferences);
      setDone('Your email settings are saved.');
      window.scrollTo(0, 0);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done && <SuccessBanner>{done}</SuccessBanner>}
        <h1 className="govuk-heading-l">Email notifications</h1>
        <ErrorSummary errors={error ? [{ href: '', message: error }] : []} />
        <p className="govuk-body">
          Choose how we email you. Decisions on your cases, requests for information, sign-off requests and escalations are always emailed straight away.
        </p>
        {!modes ? (
          !error && <Spinner />
        ) : (
          <form onSubmit={save} noValidate>
            {PREFERENCE_CATEGORIES.map((c) => (
              <Radios
                key={c}
                id={`pref-${c}`}
                label={PREFERENCE_CATEGORY_LABELS[c]}
                hint={PREFERENCE_CATEGORY_HINTS[c]}
                value={modes[c]}
                onChange={(v) => setModes({ ...modes, [c]: v as PreferenceMode })}
                options={PREFERENCE_CATEGORY_MODES[c].map((m) => ({
                  value: m,
                  label: c === 'digest' && (m === 'immediate' || m === 'off') ? DIGEST_MODE_LABELS[m] : PREFERENCE_MODE_LABELS[m],
                }))}
              />
            ))}
            <button type="submit" className="govuk-button">
              Save email settings
            </button>
          </form>
        )}
        <p className="govuk-body">
          <Link className="govuk-link" to="/account/password">
            Change your password
          </Link>
        </p>
      </div>
    </div>
  );
}
