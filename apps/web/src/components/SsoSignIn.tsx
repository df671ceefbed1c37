import type { ReactNode } from 'react';
import type { Schemas } from '../api/client';
import type { FieldError } from './govuk';

type UiConfig = Schemas['UiConfig'];

/** A refusal the API sent back from /api/auth/{oidc,saml}/… as ?sso_error=… */
export function ssoErrorsFromUrl(): FieldError[] {
  const message = new URLSearchParams(window.location.search).get('sso_error');
  return message ? [{ href: 'sso-sign-in', message }] : [];
}

const SSO_LOGOUT = 'tr_sso_logout';

/** Remembers, for this tab, where signing out must go to end the provider's session too. */
function rememberSsoLogout(url: string | null): void {
  if (url) sessionStorage.setItem(SSO_LOGOUT, url);
  else sessionStorage.removeItem(SSO_LOGOUT);
}

/** After the product's own sign-out: on to the provider's logout when the session began there. */
export function continueSsoLogout(): void {
  const url = sessionStorage.getItem(SSO_LOGOUT);
  if (!url) return;
  sessionStorage.removeItem(SSO_LOGOUT);
  window.location.assign(url);
}

/** "Sign in with <institution>": plain links, since the identity provider's pages are full-page navigations. */
export function SsoButtons({ ui }: { ui: UiConfig | null }) {
  if (!ui?.sso?.length) return null;
  return (
    <div id="sso-sign-in" tabIndex={-1}>
      {ui.sso.map((m) => (
        <a
          key={m.protocol}
          href={m.loginUrl}
          onClick={() => rememberSsoLogout(m.logoutUrl)}
          role="button"
          draggable="false"
          className="govuk-button govuk-button--start"
          data-module="govuk-button"
        >
          {m.label}
          <svg
            className="govuk-button__start-icon"
            xmlns="http://www.w3.org/2000/svg"
            width="17.5"
            height="19"
            viewBox="0 0 33 40"
            aria-hidden="true"
            focusable="false"
          >
            <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
          </svg>
        </a>
      ))}
    </div>
  );
}

/**
 * LOCAL_LOGIN: `on` shows the password form, `off` hides it, `admins` keeps it behind a
 * break-glass disclosure for administrators. Until the settings arrive the form shows,
 * so a failed settings request never locks anyone out.
 */
export function LocalLoginGate({ ui, children }: { ui: UiConfig | null; children: ReactNode }) {
  const mode = ui?.localLogin ?? 'on';
  if (mode === 'off') return null;
  if (mode === 'on') {
    return (
      <>
        {!!ui?.sso?.length && <p className="govuk-body">Or sign in with an email address and password.</p>}
        {children}
      </>
    );
  }
  return (
    <details className="govuk-details">
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">Administrator sign-in (break-glass)</span>
      </summary>
      <div className="govuk-details__text">
        <p className="govuk-body">Only for administrators when single sign-on is unavailable.</p>
        {children}
      </div>
    </details>
  );
}
