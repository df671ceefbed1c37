/**
 * What GET /api/ui-config says about sign-in methods. Imports nothing, so the web app
 * takes its type from here instead of restating it.
 */

/** `on`: everyone may use a password; `off`: nobody; `admins`: only administrators (break-glass). */
export type LocalLogin = 'on' | 'off' | 'admins';

export interface SsoUiConfig {
  /** Whether the password form is shown: `admins` keeps it behind a break-glass link. */
  localLogin: LocalLogin;
  /** One "Sign in with <institution>" button each; empty when single sign-on is off. */
  sso: { protocol: 'oidc' | 'saml'; label: string; loginUrl: string; logoutUrl: string | null }[];
}
