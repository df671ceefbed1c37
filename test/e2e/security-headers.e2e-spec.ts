import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { AppConfig } from '@app/config';
import { createTestApp, DEMO, TestApp } from '@app/testing';
import { helmetOptions } from '../../apps/api/src/common/security-headers';

/** What helmet's own per-request middleware sets on a fresh response, lower-cased as HTTP clients see them. */
function helmetsOwn(config: AppConfig): Record<string, string> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  let done = false;
  helmet(helmetOptions(config))(res.req as never, res as never, () => (done = true));
  expect(done).toBe(true);
  return Object.fromEntries(Object.entries(res.getHeaders()).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** The headers every answer carries (docs/security.md), and what /health tells whom. */
describe('security headers', () => {
  let demo: TestApp;
  let prod: TestApp;
  beforeAll(async () => {
    demo = await createTestApp();
    prod = await createTestApp({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://tr.example.ac.uk',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'Trusted Research <tr@example.ac.uk>',
      AUDIT_KEY: 'production-audit-key-0123456789-abcdefghijklmnopqrstuvwxyz',
      AUDIT_KEY_ID: 'k2026',
    });
  });
  afterAll(async () => {
    await demo?.close();
    await prod?.close();
  });

  const csp = (h: Record<string, string>) =>
    new Map(
      h['content-security-policy']
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );

  it.each([['/api/ui-config'], ['/api/me'], ['/api/no-such-thing'], ['/health'], ['/accept-invitation']])(
    '%s: CSP forbids framing and foreign scripts, nosniff, referrer policy, no X-Powered-By',
    async (path) => {
      const res = await demo.http().get(path);
      const directives = csp(res.headers);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-powered-by']).toBeUndefined();
      // HSTS only in production behind https.
      expect(res.headers['strict-transport-security']).toBeUndefined();
    },
  );

  // The headers are worked out once at startup (security-headers.ts); every kind of answer
  // must still carry exactly what helmet itself would set on it, demo and production alike.
  it.each([
    ['demo', 'GET', '/api/ui-config'],
    ['demo', 'GET', '/api/me'],
    ['demo', 'GET', '/api/no-such-thing'],
    ['demo', 'GET', '/health'],
    ['demo', 'GET', '/accept-invitation'],
    ['demo', 'POST', '/api/auth/login'],
    ['demo', 'POST', '/api/cases/not-a-case/actions/triage'],
    ['production', 'GET', '/api/ui-config'],
    ['production', 'POST', '/api/auth/login'],
  ])('%s %s %s: every header helmet sets, with its value', async (which, method, path) => {
    const t = which === 'demo' ? demo : prod;
    const expected = helmetsOwn(t.config);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(10);
    const req = method === 'GET' ? t.http().get(path) : t.http().post(path).send({});
    const res = await req.set('Authorization', `Bearer ${await t.token(DEMO.officer)}`);
    const got = Object.fromEntries(Object.keys(expected).map((k) => [k, res.headers[k]]));
    expect(got).toEqual(expected);
  });

  it('production with an https PUBLIC_URL sends HSTS and asks browsers to upgrade requests', async () => {
    const res = await prod.http().get('/api/ui-config');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(csp(res.headers).has('upgrade-insecure-requests')).toBe(true);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('production /health tells an anonymous caller only up or down, an admin the details', async () => {
    const anon = await prod.http().get('/health');
    expect(anon.status).toBe(200);
    expect(anon.body).toEqual({ status: 'ok' });
    const officer = await prod
      .http()
      .get('/health')
      .set('Authorization', `Bearer ${await prod.token(DEMO.officer)}`);
    expect(officer.body).toEqual({ status: 'ok' });
    const admin = await prod
      .http()
      .get('/health')
      .set('Authorization', `Bearer ${await prod.token(DEMO.admin)}`);
    expect(admin.body.database.status).toBe('up');
    expect(admin.body.database.engine).toBe('postgresql');
  });

  it('demo /health keeps its details for everyone', async () => {
    const res = await demo.http().get('/health');
    expect(res.body.database.status).toBe('up');
  });
});
