/**
 * SAML 2.0 sign-in against a real IdP (samlify, signing with a certificate made at test
 * time): the service provider's metadata, the browser flow in Chromium, and the refusals
 * an SP owes a federation — unsigned, altered, expired, wrong audience, replayed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import request from 'supertest';
import { DEMO } from '@app/testing';
import { checkScreen } from './browser-kit';
import { SamlIdp, startSamlIdp } from '../sso/saml-idp';
import { freePort, SsoWeb, startSsoWeb } from '../sso/sso-kit';

const SP_ENTITY_ID = 'https://trusted-research.test.example.ac.uk/shibboleth';
const OFFICERS = 'urn:mace:test.example.ac.uk:entitlement:rsdo-officers';

let idp: SamlIdp;
let web: SsoWeb;
let dir: string;

const users = {
  sam: {
    eduPersonUniqueId: 'sam8812@test.example.ac.uk',
    eduPersonPrincipalName: 'sam@test.example.ac.uk',
    mail: 'sam.officer@test.example.ac.uk',
    displayName: 'Sam Officer',
    eduPersonEntitlement: [OFFICERS, 'urn:mace:test.example.ac.uk:entitlement:it-admins'],
  },
  chem: { eduPersonPrincipalName: 'cara@test.example.ac.uk', mail: 'cara.chemist@test.example.ac.uk', displayName: 'Cara Chemist', ou: 'CHEM' },
  nosubject: { mail: 'anon@test.example.ac.uk', displayName: 'No Stable Id' },
};

beforeAll(async () => {
  idp = await startSamlIdp(users);
  dir = mkdtempSync(join(tmpdir(), 'tr-saml-'));
  const metadataFile = join(dir, 'idp-metadata.xml');
  writeFileSync(metadataFile, idp.metadata);
  // The SP's own key pair: its certificate goes into the SP metadata for encryption.
  const sp = await generate([{ name: 'commonName', value: 'trusted-research.test.example.ac.uk' }], { keySize: 2048, algorithm: 'sha256' });
  writeFileSync(join(dir, 'sp.key'), sp.private);
  writeFileSync(join(dir, 'sp.crt'), sp.cert);
  web = await startSsoWeb(await freePort(), {
    SAML_IDP_METADATA: metadataFile,
    SAML_SP_ENTITY_ID: SP_ENTITY_ID,
    SAML_ROLE_ATTRIBUTE: 'eduPersonEntitlement',
    SAML_ROLE_MAP: `${OFFICERS}=rsdo_officer`,
    SAML_DEPARTMENT_ATTRIBUTE: 'ou',
    SSO_INSTITUTION_NAME: 'Test University',
    LOCAL_LOGIN: 'admins',
    SAML_SP_PRIVATE_KEY: join(dir, 'sp.key'),
    SAML_SP_CERTIFICATE: join(dir, 'sp.crt'),
  });
  const md = await request(web.t.app.getHttpServer()).get('/api/auth/saml/metadata');
  idp.trustSp(md.text);
}, 120_000);

afterAll(async () => {
  await web?.close();
  await idp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const http = () => request(web.t.app.getHttpServer());

/** A fresh AuthnRequest from the SP, as the browser would be sent to the IdP with it. */
async function startLogin(): Promise<string> {
  const res = await http().get('/api/auth/saml/login');
  expect(res.status).toBe(302);
  expect(res.headers.location.startsWith(`${idp.url}/sso?SAMLRequest=`)).toBe(true);
  return idp.requestId(res.headers.location);
}

async function post(samlResponse: string): Promise<{ ok: boolean; error: string | null; cookie: string | undefined }> {
  const res = await http().post('/api/auth/saml/acs').type('form').send({ SAMLResponse: samlResponse });
  expect(res.status).toBe(303);
  const to = new URL(res.headers.location);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tr_refresh='));
  return { ok: to.pathname === '/', error: to.searchParams.get('sso_error'), cookie };
}

it('publishes SP metadata for the federation: entity id, ACS URL, signed assertions wanted', async () => {
  const res = await http().get('/api/auth/saml/metadata');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('application/samlmetadata+xml');
  expect(res.text).toContain(`entityID="${SP_ENTITY_ID}"`);
  expect(res.text).toContain(`Location="${web.url}/api/auth/saml/acs"`);
  expect(res.text).toContain('WantAssertionsSigned="true"');
  expect(res.text).toMatch(/<KeyDescriptor use="encryption">/);
  // OIDC is not configured here: its routes say so instead of failing.
  const oidc = await http().get('/api/auth/oidc/login');
  expect(oidc.status).toBe(404);
  expect(oidc.body.message).toContain('OIDC_ISSUER_URL is not set');
  const ui = await http().get('/api/ui-config');
  expect(ui.body).toMatchObject({ localLogin: 'admins', sso: [{ protocol: 'saml', label: 'Sign in with Test University', loginUrl: '/api/auth/saml/login' }] });
});

it('signs in through the IdP in Chromium (assertion signed, then encrypted): JIT account, mapped role, never admin; lands in the queue', async () => {
  const ctx = await web.browser.newContext({ baseURL: web.url, locale: 'en-GB' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto('/sign-in');
  // LOCAL_LOGIN=admins: the password form is behind the break-glass disclosure.
  await page.getByRole('button', { name: 'Sign in with Test University' }).waitFor();
  expect(await page.getByLabel('Password').isVisible()).toBe(false);
  await page.getByText('Administrator sign-in (break-glass)').click();
  expect(await page.getByLabel('Password').isVisible()).toBe(true);
  await checkScreen(page, 'sso-sign-in');

  await page.getByRole('button', { name: 'Sign in with Test University' }).click();
  await page.getByLabel('Username').fill('sam');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByRole('heading', { name: 'Work queue' }).waitFor();
  await ctx.close();
  expect(idp.lastPosted).toContain('EncryptedAssertion');
  expect(idp.lastPosted).not.toContain(users.sam.mail);

  const [user] = await web.t.owner.query(`SELECT id, name, roles, password_hash FROM app_user WHERE email = $1`, [users.sam.mail]);
  expect(user).toMatchObject({ name: 'Sam Officer', roles: ['rsdo_officer'], password_hash: null });
  const links = await web.t.owner.query(`SELECT issuer, subject, protocol FROM user_identity WHERE user_id = $1`, [user.id]);
  // eduPersonUniqueId wins over eduPersonPrincipalName (which may be reassigned).
  expect(links).toEqual([{ issuer: idp.entityId, subject: users.sam.eduPersonUniqueId, protocol: 'saml' }]);
  const events = await web.t.owner.query(`SELECT payload FROM system_event WHERE action = 'user_sso_provisioned' AND payload->>'userId' = $1`, [user.id]);
  expect(events).toHaveLength(1);
});

it('takes the department from the configured attribute and falls back to eduPersonPrincipalName', async () => {
  const r = await post(await idp.response(users.chem, { inResponseTo: await startLogin() }));
  expect(r).toMatchObject({ ok: true, error: null });
  const [u] = await web.t.owner.query(
    `SELECT u.roles, d.code, i.subject FROM app_user u JOIN department d ON d.id = u.department_id JOIN user_identity i ON i.user_id = u.id WHERE u.email = $1`,
    [users.chem.mail],
  );
  expect(u).toEqual({ roles: ['researcher'], code: 'CHEM', subject: 'cara@test.example.ac.uk' });
  // The session is the product's own: the refresh cookie yields an access token for /api/me.
  const refreshed = await http().post('/api/auth/refresh').set('Cookie', r.cookie!.split(';')[0]);
  const me = await http().get('/api/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`);
  expect(me.body).toMatchObject({ email: users.chem.mail, roles: ['researcher'] });
});

it('accepts a clock a little behind within SSO_CLOCK_SKEW_SECONDS', async () => {
  // Valid until 300 s after "now"; shifted 400 s into the past it ended 100 s ago, inside the 120 s skew.
  const r = await post(await idp.response(users.chem, { inResponseTo: await startLogin(), shiftSeconds: -400 }));
  expect(r).toMatchObject({ ok: true });
});

describe('refusals', () => {
  it('refuses an assertion whose signature was removed', async () => {
    const signed = Buffer.from(await idp.response(users.sam, { inResponseTo: await startLogin() }), 'base64').toString();
    expect(signed).toContain('<ds:Signature');
    const unsigned = signed.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '');
    const r = await post(Buffer.from(unsigned).toString('base64'));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/signature/i);
    expect(r.cookie).toBeUndefined();
  });

  it('refuses an assertion altered after signing (a mail address swapped)', async () => {
    const signed = Buffer.from(await idp.response(users.sam, { inResponseTo: await startLogin() }), 'base64').toString();
    const altered = signed.replace(users.sam.mail, DEMO.admin);
    const r = await post(Buffer.from(altered).toString('base64'));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/signature/i);
  });

  it('refuses an expired assertion (beyond the clock skew)', async () => {
    const r = await post(await idp.response(users.sam, { inResponseTo: await startLogin(), shiftSeconds: -900 }));
    expect(r.ok).toBe(false);
    // node-saml checks the subject confirmation's NotOnOrAfter first, then the conditions'.
    expect(r.error).toMatch(/expired|no valid subject confirmation/i);
  });

  it('refuses an assertion for another audience', async () => {
    const r = await post(await idp.response(users.sam, { inResponseTo: await startLogin(), audience: 'https://other-sp.example.ac.uk/shibboleth' }));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/audience/i);
  });

  it('refuses a replayed response, and a replayed assertion id inside a fresh response', async () => {
    const assertionId = '_replayed-assertion-0001';
    const first = await idp.response(users.sam, { inResponseTo: await startLogin(), assertionId });
    expect((await post(first)).ok).toBe(true);
    const replay = await post(first);
    expect(replay.ok).toBe(false);
    expect(replay.cookie).toBeUndefined();
    // Even wrapped in a response to a new, genuine request, the same assertion is refused.
    const rewrapped = await post(await idp.response(users.sam, { inResponseTo: await startLogin(), assertionId }));
    expect(rewrapped.ok).toBe(false);
    expect(rewrapped.error).toMatch(/already used/);
  });

  it('refuses an unsolicited response (no request of ours) and one without a stable id', async () => {
    const unsolicited = await post(await idp.response(users.sam, { inResponseTo: '_never-requested' }));
    expect(unsolicited.ok).toBe(false);
    const anon = await post(await idp.response(users.nosubject, { inResponseTo: await startLogin() }));
    expect(anon.ok).toBe(false);
    expect(anon.error).toMatch(/no stable identifier/);
  });

  it('LOCAL_LOGIN=admins: passwords only for administrators', async () => {
    const refused = await http().post('/api/auth/login').send({ email: DEMO.researcher, password: 'demo1234' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('Password sign-in is turned off except for administrators');
    const admin = await http().post('/api/auth/login').send({ email: DEMO.admin, password: 'demo1234' });
    expect(admin.status).toBe(200);
  });
});
