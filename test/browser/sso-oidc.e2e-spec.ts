/**
 * OpenID Connect sign-in against a real provider (node-oidc-provider on a local port),
 * through its login and consent pages in Chromium, ending in the product's own session.
 */
import { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { CaseDriver, DEMO } from '@app/testing';
import { freePort, OidcProviderHandle, refreshCookieHeader, SsoWeb, startOidcProvider, startSsoWeb } from '../sso/sso-kit';

const BUTTON = 'Sign in with Test University';

const ACCOUNTS = {
  // New to the product: created on first sign-in, role from the groups claim.
  ola: { email: 'ola.officer@uni.example.ac.uk', email_verified: true, name: 'Ola Officer', groups: ['rsdo-officers', 'it-admins'] },
  rita: { email: 'rita.researcher@uni.example.ac.uk', email_verified: true, given_name: 'Rita', family_name: 'Reyes', groups: ['staff'], department: 'PHYS' },
  // The demo researcher's address, verified by the provider: linked to the local account.
  rosalind: { email: DEMO.researcher, email_verified: true, name: 'Rosalind Price' },
  // Another local address the provider does not vouch for: must not be linked.
  mallory: { email: DEMO.researcher2, email_verified: false, name: 'Not Chidi' },
  // The administrator's address: the provider alone must not hand over an admin account.
  adam: { email: DEMO.admin, email_verified: true, name: 'Adam Ellis' },
};

let op: OidcProviderHandle;
let web: SsoWeb;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  op = await startOidcProvider({ redirectUri: `${url}/api/auth/oidc/callback`, postLogoutRedirectUri: `${url}/sign-in`, accounts: ACCOUNTS });
  web = await startSsoWeb(port, {
    OIDC_ISSUER_URL: op.issuer,
    OIDC_CLIENT_ID: op.clientId,
    OIDC_CLIENT_SECRET: op.clientSecret,
    OIDC_ROLE_CLAIM: 'groups',
    OIDC_ROLE_MAP: 'rsdo-officers=rsdo_officer,export-team=export_control',
    OIDC_DEPARTMENT_CLAIM: 'department',
    SSO_INSTITUTION_NAME: 'Test University',
  });
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await web?.close();
  await op?.close();
});

async function freshPage(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await web.browser.newContext({ baseURL: web.url, locale: 'en-GB' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return { ctx, page };
}

/** Through the provider's own pages: login (any password), then consent. */
async function oidcSignIn(page: Page, login: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: BUTTON }).click();
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function signedIn(page: Page): Promise<void> {
  await page
    .getByRole('button', { name: 'Sign out' })
    .waitFor()
    .catch(async (err) => {
      throw new Error(`not signed in at ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 500)}\n${err}`);
    });
  await page.waitForURL((u) => u.pathname !== '/' && u.pathname !== '/sign-in');
}

/** The product's own access token, from the refresh cookie the browser holds. */
async function accessToken(ctx: BrowserContext): Promise<string> {
  const res = await request(web.t.app.getHttpServer())
    .post('/api/auth/refresh')
    .set('Cookie', refreshCookieHeader(await ctx.cookies()));
  expect(res.status).toBe(200);
  return res.body.accessToken;
}

async function systemEvents(action: string, email: string): Promise<unknown[]> {
  return web.t.owner.query(`SELECT payload FROM system_event WHERE action = $1 AND payload->>'email' = $2`, [action, email]);
}

it('announces the OIDC button on /api/ui-config and keeps the password form while LOCAL_LOGIN is on', async () => {
  const res = await request(web.t.app.getHttpServer()).get('/api/ui-config');
  expect(res.body).toMatchObject({ localLogin: 'on', sso: [{ protocol: 'oidc', label: BUTTON, loginUrl: '/api/auth/oidc/login' }] });
  const login = await request(web.t.app.getHttpServer()).get('/api/auth/oidc/login');
  expect(login.status).toBe(302);
  const to = new URL(login.headers.location);
  expect(to.origin).toBe(op.issuer);
  expect(to.searchParams.get('code_challenge_method')).toBe('S256');
  for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)).toBeTruthy();
  expect(to.searchParams.get('redirect_uri')).toBe(`${web.url}/api/auth/oidc/callback`);
});

it('creates an officer on first sign-in with the mapped role, never admin, and lands in the work queue', async () => {
  const { ctx, page } = await freshPage();
  await oidcSignIn(page, 'ola');
  await signedIn(page);
  expect(new URL(page.url()).pathname).toBe('/queue');
  await page.getByRole('heading', { name: 'Work queue' }).waitFor();

  const [user] = await web.t.owner.query(`SELECT id, name, roles, department_id, password_hash FROM app_user WHERE email = $1`, [ACCOUNTS.ola.email]);
  expect(user).toMatchObject({ name: 'Ola Officer', roles: ['rsdo_officer'], department_id: null, password_hash: null });
  const [link] = await web.t.owner.query(`SELECT issuer, subject, protocol FROM user_identity WHERE user_id = $1`, [user.id]);
  expect(link).toEqual({ issuer: op.issuer, subject: 'ola', protocol: 'oidc' });
  expect(await systemEvents('user_sso_provisioned', ACCOUNTS.ola.email)).toHaveLength(1);

  const me = await request(web.t.app.getHttpServer())
    .get('/api/me')
    .set('Authorization', `Bearer ${await accessToken(ctx)}`);
  expect(me.body).toMatchObject({ email: ACCOUNTS.ola.email, roles: ['rsdo_officer'] });
});

it('gives an SSO researcher their department and the access rules of everyone else; deactivation bites at once', async () => {
  const { ctx, page } = await freshPage();
  await oidcSignIn(page, 'rita');
  await signedIn(page);
  expect(new URL(page.url()).pathname).toBe('/cases/mine');
  const [user] = await web.t.owner.query(
    `SELECT u.id, u.name, u.roles, d.code FROM app_user u LEFT JOIN department d ON d.id = u.department_id WHERE u.email = $1`,
    [ACCOUNTS.rita.email],
  );
  expect(user).toMatchObject({ name: 'Rita Reyes', roles: ['researcher'], code: 'PHYS' });

  const http = () => request(web.t.app.getHttpServer());
  const token = await accessToken(ctx);
  const others = await new CaseDriver(web.t).draft(DEMO.researcher, 'Someone else’s case');
  const own = await http().post('/api/cases').set('Authorization', `Bearer ${token}`).send({ title: 'Rita’s own case', answers: {} });
  expect(own.status).toBe(201);
  const list = await http().get('/api/cases').set('Authorization', `Bearer ${token}`);
  expect(list.status).toBe(200);
  const ids = (list.body.items as { id: string }[]).map((c) => c.id);
  expect(ids).toEqual([own.body.id]);
  const peek = await http().get(`/api/cases/${others.id}`).set('Authorization', `Bearer ${token}`);
  expect([403, 404]).toContain(peek.status);

  const deactivate = await http()
    .post(`/api/admin/users/${user.id}/deactivate`)
    .set('Authorization', `Bearer ${await web.t.token(DEMO.admin)}`)
    .send({});
  expect(deactivate.status).toBe(200);
  const after = await http().get('/api/me').set('Authorization', `Bearer ${token}`);
  expect(after.status).toBeGreaterThanOrEqual(401);
  expect(after.body.code).toBe('ACCOUNT_INACTIVE');

  // Signing in again through the provider does not bring the account back.
  const again = await freshPage();
  await oidcSignIn(again.page, 'rita');
  await again.page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.has('sso_error'));
  await again.page.getByRole('alert').getByText('This account has been deactivated').waitFor();
});

it('links an existing local account by verified email, once, audited; an unverified email is not linked', async () => {
  const localId = await web.t.userId(DEMO.researcher);
  for (let i = 0; i < 2; i++) {
    const { ctx, page } = await freshPage();
    await oidcSignIn(page, 'rosalind');
    await signedIn(page);
    const me = await request(web.t.app.getHttpServer())
      .get('/api/me')
      .set('Authorization', `Bearer ${await accessToken(ctx)}`);
    expect(me.body).toMatchObject({ id: localId, roles: ['researcher'] });
  }
  expect(await systemEvents('user_sso_linked', DEMO.researcher)).toHaveLength(1);
  expect(await web.t.owner.query(`SELECT subject FROM user_identity WHERE user_id = $1`, [localId])).toEqual([{ subject: 'rosalind' }]);

  const { ctx, page } = await freshPage();
  await oidcSignIn(page, 'mallory');
  await page.waitForURL((u) => u.searchParams.has('sso_error'));
  await page.getByRole('alert').getByText('did not confirm that address').waitFor();
  expect((await ctx.cookies()).some((c) => c.name === 'tr_refresh')).toBe(false);
  expect(await web.t.owner.query(`SELECT 1 FROM user_identity WHERE subject = 'mallory'`)).toHaveLength(0);

  const admin = await freshPage();
  await oidcSignIn(admin.page, 'adam');
  await admin.page.waitForURL((u) => u.searchParams.has('sso_error'));
  await admin.page.getByRole('alert').getByText("is an administrator's").waitFor();
  expect(await web.t.owner.query(`SELECT 1 FROM user_identity WHERE subject = 'adam'`)).toHaveLength(0);

  // Every SSO event went onto the system audit chain, which still verifies.
  const verify = await request(web.t.app.getHttpServer())
    .get('/api/admin/audit/verify')
    .set('Authorization', `Bearer ${await web.t.token(DEMO.admin)}`);
  expect(verify.body).toMatchObject({ ok: true });
});

describe('an attacker in the middle', () => {
  afterEach(() => op.tamper('none'));

  it('refuses an ID token whose payload was altered after signing', async () => {
    await op.tamper('signature');
    const { ctx, page } = await freshPage();
    await oidcSignIn(page, 'ola');
    await page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.has('sso_error'));
    await page.getByRole('alert').getByText('Single sign-on did not complete').waitFor();
    expect((await ctx.cookies()).some((c) => c.name === 'tr_refresh')).toBe(false);
    expect(decodeURIComponent(page.url())).toMatch(/signature/i);
    // The altered payload claimed the export team's group: nobody got its role.
    expect(await web.t.owner.query(`SELECT 1 FROM app_user WHERE email = $1 AND 'export_control' = ANY(roles)`, [ACCOUNTS.ola.email])).toHaveLength(0);
  });

  it('refuses an ID token carrying another session’s nonce', async () => {
    await op.tamper('nonce');
    const { ctx, page } = await freshPage();
    await oidcSignIn(page, 'ola');
    await page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.has('sso_error'));
    expect(decodeURIComponent(page.url())).toMatch(/nonce/i);
    expect((await ctx.cookies()).some((c) => c.name === 'tr_refresh')).toBe(false);
  });

  it('refuses a callback that was not started in this browser (no state cookie)', async () => {
    const res = await request(web.t.app.getHttpServer()).get('/api/auth/oidc/callback?code=stolen&state=whatever');
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.headers.location)).toContain('This sign-in was not started here');
  });
});

it('signs out of the product and then at the provider (RP-initiated logout)', async () => {
  const { ctx, page } = await freshPage();
  await oidcSignIn(page, 'ola');
  await signedIn(page);
  const cookie = refreshCookieHeader(await ctx.cookies());
  const out = await request(web.t.app.getHttpServer()).get('/api/auth/oidc/logout');
  expect(out.status).toBe(302);
  const to = new URL(out.headers.location);
  expect(to.origin).toBe(op.issuer);
  expect(to.searchParams.get('post_logout_redirect_uri')).toBe(`${web.url}/sign-in`);

  // In the browser: the product's sign-out, then the provider's own confirmation page, then back.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((u) => u.origin === op.issuer);
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL((u) => u.origin === web.url && u.pathname === '/sign-in');
  const refresh = await request(web.t.app.getHttpServer()).post('/api/auth/refresh').set('Cookie', cookie);
  expect(refresh.status).toBe(401);
});
