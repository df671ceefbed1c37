import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, errorMessage, setAccessToken, unwrap } from '../api/client';
import { ErrorSummary, SuccessBanner, TextInput, usePageTitle, type FieldError } from '../components/govuk';

const RULES = 'At least 12 characters. Not a commonly used password, and not your email address. A few unrelated words work well.';

/** The page for a link that no longer works: expired, already used, or cut short when copied. */
function LinkNotValid({ what }: { what: 'invitation' | 'reset' }) {
  usePageTitle(what === 'invitation' ? 'Invitation link not valid' : 'Reset link not valid');
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">
          {what === 'invitation' ? 'This invitation link has expired or was already used' : 'This reset link has expired or was already used'}
        </h1>
        {what === 'invitation' ? (
          <p className="govuk-body">
            Invitation links work once, for 7 days. If you already set your password,{' '}
            <Link className="govuk-link" to="/sign-in">
              sign in
            </Link>
            . Otherwise ask the research office to invite you again.
          </p>
        ) : (
          <p className="govuk-body">
            Reset links work once, for one hour.{' '}
            <Link className="govuk-link" to="/forgot-password">
              Ask for a new link
            </Link>
            .
          </p>
        )}
      </div>
    </div>
  );
}

/** Set a password with a one-time token: invitation or reset. */
function SetPasswordPage({ what }: { what: 'invitation' | 'reset' }) {
  usePageTitle(what === 'invitation' ? 'Set your password' : 'Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [state, setState] = useState<'form' | 'done' | 'invalid'>(token.length >= 10 ? 'form' : 'invalid');
  const [busy, setBusy] = useState(false);

  if (state === 'invalid') return <LinkNotValid what={what} />;
  if (state === 'done') {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SuccessBanner title="Password set">Your password has been set{what === 'reset' ? ', and every other session was signed out' : ''}.</SuccessBanner>
          <h1 className="govuk-heading-l">You can now sign in</h1>
          <p className="govuk-body">
            <Link className="govuk-link" to="/sign-in">
              Sign in
            </Link>{' '}
            with your email address and the new password.
          </p>
        </div>
      </div>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldError[] = [];
    if (password.length < 12) errs.push({ href: 'password', message: 'Enter a password of at least 12 characters' });
    else if (password !== confirm) errs.push({ href: 'confirm', message: 'The two passwords are not the same' });
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      const body = { token, password };
      await unwrap(what === 'invitation' ? api.POST('/api/auth/accept-invitation', { body }) : api.POST('/api/auth/reset-password', { body }));
      setState('done');
    } catch (err) {
      if (err instanceof ApiError && /^token/.test(err.message)) setState('invalid');
      else setErrors([{ href: 'password', message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };
  const errorFor = (id: string) => errors.find((x) => x.href === id)?.message;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">{what === 'invitation' ? 'Set your password' : 'Choose a new password'}</h1>
        <form onSubmit={submit} noValidate>
          <TextInput
            id="password"
            label="New password"
            hint={RULES}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            width="20"
            error={errorFor('password')}
          />
          <TextInput
            id="confirm"
            label="Type the new password again"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={setConfirm}
            width="20"
            error={errorFor('confirm')}
          />
          <button type="submit" className="govuk-button" disabled={busy}>
            Set password
          </button>
        </form>
      </div>
    </div>
  );
}

export const AcceptInvitationPage = () => <SetPasswordPage what="invitation" />;
export const ResetPasswordPage = () => <SetPasswordPage what="reset" />;

export function ForgotPasswordPage() {
  usePageTitle('Reset your password');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) return setErrors([{ href: 'email', message: 'Enter your email address' }]);
    setBusy(true);
    try {
      const r = await unwrap<{ message: string }>(api.POST('/api/auth/forgot-password', { body: { email: email.trim() } }));
      setSent(r.message);
      setErrors([]);
    } catch (err) {
      setErrors([{ href: 'email', message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {sent ? (
          <>
            <h1 className="govuk-heading-l">Check your email</h1>
            <p className="govuk-body">{sent}</p>
          </>
        ) : (
          <>
            <h1 className="govuk-heading-l">Reset your password</h1>
            <p className="govuk-body">We will email a link to choose a new password.</p>
            <form onSubmit={submit} noValidate>
              <TextInput id="email" label="Email address" type="email" autoComplete="username" value={email} onChange={setEmail} error={errors[0]?.message} />
              <button type="submit" className="govuk-button" disabled={busy}>
                Send the link
              </button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}

/** Signed in: change the password; every other session is signed out, this one continues. */
export function ChangePasswordPage() {
  usePageTitle('Change your password');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldError[] = [];
    if (!current) errs.push({ href: 'current', message: 'Enter your current password' });
    if (next.length < 12) errs.push({ href: 'next', message: 'Enter a new password of at least 12 characters' });
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      const t = await unwrap<{ accessToken: string }>(api.POST('/api/auth/change-password', { body: { currentPassword: current, newPassword: next } }));
      setAccessToken(t.accessToken);
      setDone(true);
      setErrors([]);
    } catch (err) {
      setErrors([{ href: err instanceof ApiError && /^currentPassword/.test(err.message) ? 'current' : 'next', message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };
  const errorFor = (id: string) => errors.find((x) => x.href === id)?.message;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {done && <SuccessBanner title="Password changed">Your password has been changed; your other sessions were signed out.</SuccessBanner>}
        <h1 className="govuk-heading-l">Change your password</h1>
        <form onSubmit={submit} noValidate>
          <TextInput
            id="current"
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
            width="20"
            error={errorFor('current')}
          />
          <TextInput
            id="next"
            label="New password"
            hint={RULES}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={setNext}
            width="20"
            error={errorFor('next')}
          />
          <button type="submit" className="govuk-button" disabled={busy}>
            Change password
          </button>
        </form>
      </div>
    </div>
  );
}
