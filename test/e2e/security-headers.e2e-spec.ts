import { createTestApp, DEMO, TestApp } from '@app/testing';

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
