/**
 * Single sign-on settings (issue 20): OpenID Connect and SAML 2.0, and whether the
 * password form stays. Names are fixed so operators and checks can rely on them.
 */
import { existsSync } from 'node:fs';
import { isRole, ROLES, type Role } from '@app/domain';
import type { LocalLogin } from './sso-ui';
export type { LocalLogin, SsoUiConfig } from './sso-ui';
export const LOCAL_LOGIN_MODES: readonly LocalLogin[] = ['on', 'off', 'admins'];

/** An IdP group/attribute value and the roles it grants (a Map: keys come from operators). */
export type RoleMap = ReadonlyMap<string, readonly Role[]>;

export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  /** The claim holding group ids or names (Entra: `groups`, Google: a custom claim via a proxy). */
  roleClaim: string;
  roleMap: RoleMap;
  /** The claim whose value is a department code; unset leaves the department empty. */
  departmentClaim: string | undefined;
  scopes: string;
}

export interface SamlConfig {
  /** A file path or an https URL. */
  idpMetadata: string;
  spEntityId: string;
  roleAttribute: string;
  roleMap: RoleMap;
  departmentAttribute: string | undefined;
  /**
   * PEM files of the SP's key pair, published in its metadata for encryption: IdPs
   * (Shibboleth by default) then encrypt assertions to it. Both or neither.
   */
  spPrivateKeyFile: string | undefined;
  spCertificateFile: string | undefined;
}

export interface SsoConfig {
  localLogin: LocalLogin;
  /** Shown as "Sign in with <institution>". */
  institutionName: string;
  /** Allowed clock difference when checking ID tokens and assertions. */
  clockSkewSeconds: number;
  oidc: OidcConfig | null;
  saml: SamlConfig | null;
}

type Env = Record<string, string | undefined>;

/** `group=role,other-group=role2+role3`: roles joined by `+` when one group grants several. */
export function parseRoleMap(name: string, raw: string | undefined, problems: string[]): RoleMap {
  const map = new Map<string, Role[]>();
  if (!raw) return map;
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0 || eq === part.length - 1) {
      problems.push(`${name} entries must look like group=role (got "${part}").`);
      continue;
    }
    const key = part.slice(0, eq).trim();
    const roles: Role[] = [];
    for (const r of part
      .slice(eq + 1)
      .split('+')
      .map((s) => s.trim())) {
      if (r === 'admin') {
        problems.push(`${name} must not grant admin: administrators are made in the product, never by the identity provider alone (entry "${part}").`);
      } else if (!isRole(r)) {
        problems.push(`${name}: "${r}" is not a role; use one of ${ROLES.filter((x) => x !== 'admin').join(', ')}.`);
      } else {
        roles.push(r);
      }
    }
    map.set(key, [...(map.get(key) ?? []), ...roles]);
  }
  return map;
}

export function loadSsoConfig(env: Env, production: boolean, problems: string[]): SsoConfig {
  const urlOk = (name: string, value: string): boolean => {
    try {
      const u = new URL(value);
      if (u.protocol === 'https:' || (!production && u.protocol === 'http:')) return true;
      problems.push(`${name} must be an https:// URL${production ? ' in production' : ''} (got "${value}").`);
    } catch {
      problems.push(`${name} is not a valid URL (got "${value}").`);
    }
    return false;
  };

  let oidc: OidcConfig | null = null;
  const issuer = env.OIDC_ISSUER_URL;
  if (issuer) {
    urlOk('OIDC_ISSUER_URL', issuer);
    if (!env.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID is required when OIDC_ISSUER_URL is set (the application id registered with the provider).');
    if (production && !env.OIDC_CLIENT_SECRET) problems.push('OIDC_CLIENT_SECRET is required in production when OIDC_ISSUER_URL is set.');
    oidc = {
      issuerUrl: issuer,
      clientId: env.OIDC_CLIENT_ID ?? '',
      clientSecret: env.OIDC_CLIENT_SECRET || undefined,
      roleClaim: env.OIDC_ROLE_CLAIM || 'groups',
      roleMap: parseRoleMap('OIDC_ROLE_MAP', env.OIDC_ROLE_MAP, problems),
      departmentClaim: env.OIDC_DEPARTMENT_CLAIM || undefined,
      scopes: env.OIDC_SCOPES || 'openid email profile',
    };
    if (!oidc.scopes.split(/\s+/).includes('openid')) problems.push(`OIDC_SCOPES must include openid (got "${oidc.scopes}").`);
  } else {
    for (const n of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ROLE_MAP']) {
      if (env[n]) problems.push(`${n} is set but OIDC_ISSUER_URL is not: set the issuer to turn OpenID Connect on.`);
    }
  }

  let saml: SamlConfig | null = null;
  const metadata = env.SAML_IDP_METADATA;
  if (metadata) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(metadata)) urlOk('SAML_IDP_METADATA', metadata);
    else if (!existsSync(metadata)) problems.push(`SAML_IDP_METADATA must be a readable file or an https:// URL (no file at "${metadata}").`);
    if (!env.SAML_SP_ENTITY_ID)
      problems.push('SAML_SP_ENTITY_ID is required when SAML_IDP_METADATA is set (the entity id this service registers with the federation).');
    saml = {
      idpMetadata: metadata,
      spEntityId: env.SAML_SP_ENTITY_ID ?? '',
      roleAttribute: env.SAML_ROLE_ATTRIBUTE || 'eduPersonEntitlement',
      roleMap: parseRoleMap('SAML_ROLE_MAP', env.SAML_ROLE_MAP, problems),
      departmentAttribute: env.SAML_DEPARTMENT_ATTRIBUTE || undefined,
      spPrivateKeyFile: env.SAML_SP_PRIVATE_KEY || undefined,
      spCertificateFile: env.SAML_SP_CERTIFICATE || undefined,
    };
    if (!saml.spPrivateKeyFile !== !saml.spCertificateFile) {
      problems.push('SAML_SP_PRIVATE_KEY and SAML_SP_CERTIFICATE go together (the key decrypts what IdPs encrypt to the certificate).');
    }
    for (const [n, f] of [
      ['SAML_SP_PRIVATE_KEY', saml.spPrivateKeyFile],
      ['SAML_SP_CERTIFICATE', saml.spCertificateFile],
    ] as const) {
      if (f && !existsSync(f)) problems.push(`${n} must be a readable PEM file (no file at "${f}").`);
    }
  } else {
    for (const n of ['SAML_SP_ENTITY_ID', 'SAML_ROLE_MAP', 'SAML_SP_PRIVATE_KEY', 'SAML_SP_CERTIFICATE']) {
      if (env[n]) problems.push(`${n} is set but SAML_IDP_METADATA is not: set the IdP metadata to turn SAML on.`);
    }
  }

  // Production default with an identity provider configured: no passwords at all
  // (`admins`, the break-glass path, is chosen explicitly).
  const ssoOn = !!(oidc || saml);
  const localRaw = env.LOCAL_LOGIN || (production && ssoOn ? 'off' : 'on');
  if (!(LOCAL_LOGIN_MODES as readonly string[]).includes(localRaw)) {
    problems.push(`LOCAL_LOGIN must be on, off or admins (got "${localRaw}").`);
  } else if (localRaw !== 'on' && !ssoOn) {
    problems.push(`LOCAL_LOGIN=${localRaw} needs single sign-on (OIDC_ISSUER_URL or SAML_IDP_METADATA), or nobody could sign in.`);
  }

  const skewRaw = env.SSO_CLOCK_SKEW_SECONDS;
  let clockSkewSeconds = 120;
  if (skewRaw) {
    const n = Number(skewRaw);
    if (!Number.isInteger(n) || n < 0 || n > 600) problems.push(`SSO_CLOCK_SKEW_SECONDS must be a whole number from 0 to 600 (got "${skewRaw}").`);
    else clockSkewSeconds = n;
  }

  return {
    localLogin: (LOCAL_LOGIN_MODES as readonly string[]).includes(localRaw) ? (localRaw as LocalLogin) : 'on',
    institutionName: env.SSO_INSTITUTION_NAME || 'your university',
    clockSkewSeconds,
    oidc,
    saml,
  };
}
