import { useEffect, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../api/client';
import type { Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ErrorSummary, TextInput, usePageTitle, type FieldError } from '../components/govuk';
import { LocalLoginGate, SsoButtons, ssoErrorsFromUrl } from '../components/SsoSignIn';

type UiConfig = Schemas['UiConfig'];

export function SignInPage() {
  usePageTitle('Sign in');
  const { status, signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldError[]>(ssoErrorsFromUrl);
  const [busy, setBusy] = useState(false);
  const [ui, setUi] = useState<UiConfig | null>(null);

  useEffect(() => {
    // Outside the typed client on purpose: a public settings document served beside the API.
    fetch('/api/ui-config')
      .then((r) => (r.ok ? r.json() : null))
      .then(setUi)
      .catch(() => setUi(null));
  }, []);

  if (status === 'signed-in') return <Navigate to={(location.state as { from?: string } | null)?.from ?? '/'} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldError[] = [];
    if (!email.trim()) errs.push({ href: 'email', message: 'Enter your email address' });
    if (!password) errs.push({ href: 'password', message: 'Enter your password' });
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      await signIn(email.trim(), password);
      void navigate((location.state as { from?: string } | null)?.from ?? '/', { replace: true });
    } catch (err) {
      setErrors([{ href: 'email', message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };
  const errorFor = (id: string) => errors.find((e) => e.href === id)?.message;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Sign in</h1>
        <p className="govuk-body">Use your university account to open and follow Trusted Research cases.</p>
        <SsoButtons ui={ui} />
        <LocalLoginGate ui={ui}>
          <form onSubmit={submit} noValidate>
            <TextInput id="email" label="Email address" type="email" autoComplete="username" value={email} onChange={setEmail} error={errorFor('email')} />
            <TextInput
              id="password"
              label="Password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              width="20"
              error={errorFor('password')}
            />
            <button type="submit" className="govuk-button" disabled={busy}>
              Sign in
            </button>
          </form>
          <p className="govuk-body">
            <Link className="govuk-link" to="/forgot-password">
              Forgotten your password?
            </Link>
          </p>
        </LocalLoginGate>
      </div>
      {ui?.demo && ui.demoAccounts.length > 0 && ui.localLogin !== 'off' && (
        <div className="govuk-grid-column-full">
          <h2 className="govuk-heading-m">Demo accounts</h2>
          <p className="govuk-body">
            This is a demonstration. Every account's password is <code>{ui.demoPassword}</code>.
          </p>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-visually-hidden">Demo accounts</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Email
                </th>
                <th scope="col" className="govuk-table__header">
                  Name
                </th>
                <th scope="col" className="govuk-table__header">
                  Who
                </th>
                <th scope="col" className="govuk-table__header">
                  <span className="govuk-visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {ui.demoAccounts.map((a) => (
                <tr className="govuk-table__row" key={a.email}>
                  <td className="govuk-table__cell">{a.email}</td>
                  <td className="govuk-table__cell">{a.name}</td>
                  <td className="govuk-table__cell">{a.what}</td>
                  <td className="govuk-table__cell">
                    <button
                      type="button"
                      className="tr-link-button govuk-body-s"
                      onClick={() => {
                        setEmail(a.email);
                        setPassword(ui.demoPassword ?? '');
                        document.getElementById('email')?.focus();
                      }}
                    >
                      Use<span className="govuk-visually-hidden"> {a.email}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
