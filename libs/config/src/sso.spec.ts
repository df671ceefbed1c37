import { ConfigError, loadConfig } from './config';

const PROD = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://owner:pw@db:5432/tr',
  REDIS_URL: 'redis://cache:6379',
  SMTP_URL: 'smtp://mail:25',
  MAIL_FROM: 'TR <tr@uni.ac.uk>',
  PUBLIC_URL: 'https://tr.uni.ac.uk/',
  JWT_SECRET: 'x'.repeat(40),
  AUDIT_KEY: 'k'.repeat(40),
};
const OIDC = { OIDC_ISSUER_URL: 'https://login.microsoftonline.com/tenant-id/v2.0', OIDC_CLIENT_ID: 'app-id', OIDC_CLIENT_SECRET: 'secret' };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('single sign-on settings', () => {
  it('are off by default, with passwords on', () => {
    const c = loadConfig({});
    expect(c.sso).toMatchObject({ oidc: null, saml: null, localLogin: 'on', clockSkewSeconds: 120 });
  });

  it('parse role maps into Maps; one group may grant several roles with +', () => {
    const c = loadConfig({ ...OIDC, OIDC_ROLE_MAP: 'rsdo-officers=rsdo_officer, export-team=export_control+researcher,__proto__=researcher' });
    expect(c.sso.oidc!.roleMap).toEqual(
      new Map([
        ['rsdo-officers', ['rsdo_officer']],
        ['export-team', ['export_control', 'researcher']],
        ['__proto__', ['researcher']],
      ]),
    );
    expect(c.sso.oidc!.roleClaim).toBe('groups');
  });

  it('never let the identity provider grant admin, and name unknown roles', () => {
    const msg = problems({
      ...OIDC,
      OIDC_ROLE_MAP: 'it-admins=admin,x=superuser',
      SAML_IDP_METADATA: 'https://idp.uni.ac.uk/idp/shibboleth',
      SAML_SP_ENTITY_ID: 'https://tr',
      SAML_ROLE_MAP: 'y',
    });
    expect(msg).toContain('OIDC_ROLE_MAP must not grant admin');
    expect(msg).toContain('OIDC_ROLE_MAP: "superuser" is not a role');
    expect(msg).toContain('SAML_ROLE_MAP entries must look like group=role (got "y").');
  });

  it('production turns passwords off when SSO is configured, and wants https and a client secret', () => {
    expect(loadConfig({ ...PROD, ...OIDC }).sso.localLogin).toBe('off');
    expect(loadConfig({ ...PROD, ...OIDC, LOCAL_LOGIN: 'admins' }).sso.localLogin).toBe('admins');
    const msg = problems({ ...PROD, OIDC_ISSUER_URL: 'http://idp.local', OIDC_CLIENT_ID: 'a' });
    expect(msg).toContain('OIDC_ISSUER_URL must be an https:// URL in production (got "http://idp.local").');
    expect(msg).toContain('OIDC_CLIENT_SECRET is required in production when OIDC_ISSUER_URL is set.');
  });

  it('refuse settings that would lock everybody out or do nothing', () => {
    expect(problems({ LOCAL_LOGIN: 'off' })).toContain('LOCAL_LOGIN=off needs single sign-on');
    expect(problems({ LOCAL_LOGIN: 'sometimes' })).toContain('LOCAL_LOGIN must be on, off or admins (got "sometimes").');
    expect(problems({ OIDC_CLIENT_ID: 'orphan' })).toContain('OIDC_CLIENT_ID is set but OIDC_ISSUER_URL is not');
    expect(problems({ OIDC_ISSUER_URL: 'https://accounts.google.com' })).toContain('OIDC_CLIENT_ID is required when OIDC_ISSUER_URL is set');
    expect(problems({ SAML_IDP_METADATA: '/nowhere/idp.xml', SAML_SP_ENTITY_ID: 'https://tr' })).toContain('no file at "/nowhere/idp.xml"');
    expect(problems({ SAML_IDP_METADATA: 'https://idp.uni.ac.uk/md' })).toContain('SAML_SP_ENTITY_ID is required when SAML_IDP_METADATA is set');
    expect(problems({ SSO_CLOCK_SKEW_SECONDS: '3600' })).toContain('SSO_CLOCK_SKEW_SECONDS must be a whole number from 0 to 600');
  });
});
