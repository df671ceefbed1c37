import { AppConfig, SsoUiConfig } from '@app/config';

/** The sign-in methods GET /api/ui-config announces to the web app. */
export function ssoUiConfig(config: AppConfig): SsoUiConfig {
  const { oidc, saml, institutionName, localLogin } = config.sso;
  const label = `Sign in with ${institutionName}`;
  const sso: SsoUiConfig['sso'] = [];
  if (oidc) sso.push({ protocol: 'oidc', label, loginUrl: '/api/auth/oidc/login', logoutUrl: '/api/auth/oidc/logout' });
  if (saml) sso.push({ protocol: 'saml', label: oidc ? `${label} (SAML)` : label, loginUrl: '/api/auth/saml/login', logoutUrl: null });
  return { localLogin, sso };
}
