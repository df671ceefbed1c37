import { createTestApp, DEMO, TestApp } from '@app/testing';
import { DEMO_PASSWORD } from '@app/persistence';

/** The tr_refresh cookie from a response, as a "Cookie" request header value. */
function refreshCookie(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const c = all.find((x: string) => x.startsWith('tr_refresh='));
  if (!c) throw new Error(`no tr_refresh cookie in ${JSON.stringify(all)}`);
  return c.split(';')[0];
}

describe('authentication over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const login = (email: string, password: string) => t.http().post('/api/auth/login').send({ email, password });

  describe('login', () => {
    it('signs in a demo account, returns a bearer token and sets an httpOnly refresh cookie scoped to /api/auth', async () => {
      const res = await login(DEMO.officer, DEMO_PASSWORD);
      expect(res.status).toBe(200);
      expect(typeof res.body.accessToken).toBe('string');
      expect(res.body.expiresIn).toBeGreaterThan(0);
      const setCookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('tr_refresh='))!;
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/Path=\/api\/auth/);
      expect(setCookie).toMatch(/SameSite=Strict/i);
    });

    it('refuses a wrong password and an unknown email with the same 401 and the same message', async () => {
      const wrong = await login(DEMO.researcher2, 'not-the-password');
      const unknown = await login('nobody@example.ac.uk', 'not-the-password');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
      expect(unknown.body.message).toBe(wrong.body.message);
      expect(wrong.body.accessToken).toBeUndefined();
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('treats the email case-insensitively', async () => {
      const res = await login(DEMO.officer.toUpperCase(), DEMO_PASSWORD);
      expect(res.status).toBe(200);
    });

    it('answers 400 VALIDATION_FAILED naming the field for a missing or malformed email', async () => {
      const missing = await t.http().post('/api/auth/login').send({ password: DEMO_PASSWORD });
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('VALIDATION_FAILED');
      expect(missing.body.message).toMatch(/\bemail\b/);

      const notEmail = await login('not-an-email', DEMO_PASSWORD);
      expect(notEmail.status).toBe(400);
      expect(notEmail.body.code).toBe('VALIDATION_FAILED');
      expect(notEmail.body.message).toMatch(/email must be an email address/);
    });

    it('refuses unknown body fields (whitelist) with 400', async () => {
      const res = await t.http().post('/api/auth/login').send({ email: DEMO.officer, password: DEMO_PASSWORD, admin: true });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(/admin/);
    });

    it('answers malformed JSON with 400 VALIDATION_FAILED, not 500', async () => {
      const res = await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": "officer@example.ac.uk",');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(/JSON/);
      expect(typeof res.body.requestId).toBe('string');
    });
  });

  describe('bearer tokens', () => {
    it('GET /api/me returns the signed-in user with roles', async () => {
      const res = await t
        .http()
        .get('/api/me')
        .set('Authorization', `Bearer ${await t.token(DEMO.headPhysics)}`);
      expect(res.status).toBe(200);
      expect(res.body.email).toBe(DEMO.headPhysics);
      expect(res.body.roles).toEqual(['department_head', 'researcher']);
      expect(res.body.id).toBe(await t.userId(DEMO.headPhysics));
    });

    it('expands rsdo_lead to include rsdo_officer', async () => {
      const res = await t
        .http()
        .get('/api/me')
        .set('Authorization', `Bearer ${await t.token(DEMO.lead)}`);
      expect(res.body.roles).toEqual(['rsdo_lead', 'rsdo_officer']);
    });

    it('answers 401 UNAUTHENTICATED without a token', async () => {
      const res = await t.http().get('/api/me');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('answers 401 UNAUTHENTICATED for a garbage token and for a token signed with another secret', async () => {
      const garbage = await t.http().get('/api/me').set('Authorization', 'Bearer not.a.jwt');
      expect(garbage.status).toBe(401);
      expect(garbage.body.code).toBe('UNAUTHENTICATED');

      // A real token with its signature altered.
      const real = await t.token(DEMO.officer);
      const forged = real.slice(0, real.lastIndexOf('.') + 1) + 'AAAA' + real.slice(real.lastIndexOf('.') + 5);
      const res = await t.http().get('/api/me').set('Authorization', `Bearer ${forged}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });
  });

  // AuthService remembers tokens it has verified (verified-tokens.ts): a remembered token
  // still needs its live session, and only its exact text is ever remembered.
  it('a token already accepted stops working when its session ends, and an altered copy of it is refused', async () => {
    const res = await login(DEMO.officer2, DEMO_PASSWORD);
    const token = res.body.accessToken as string;
    for (let i = 0; i < 2; i++) expect((await t.http().get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const dot = token.lastIndexOf('.');
    const altered = token.slice(0, dot + 1) + (token[dot + 1] === 'A' ? 'B' : 'A') + token.slice(dot + 2);
    const forged = await t.http().get('/api/me').set('Authorization', `Bearer ${altered}`);
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('UNAUTHENTICATED');
    expect((await t.http().post('/api/auth/logout').set('Cookie', refreshCookie(res))).status).toBe(204);
    const after = await t.http().get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/signed out/);
  });

  describe('refresh and logout', () => {
    it('rotates the refresh cookie; reusing the old one revokes every session of that user', async () => {
      const first = await login(DEMO.exportOfficer, DEMO_PASSWORD);
      const oldCookie = refreshCookie(first);

      const rotated = await t.http().post('/api/auth/refresh').set('Cookie', oldCookie);
      expect(rotated.status).toBe(200);
      expect(typeof rotated.body.accessToken).toBe('string');
      const newCookie = refreshCookie(rotated);
      expect(newCookie).not.toBe(oldCookie);
      const me = await t.http().get('/api/me').set('Authorization', `Bearer ${rotated.body.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(DEMO.exportOfficer);

      // The old cookie was copied: refusing it signs the user out everywhere.
      const replay = await t.http().post('/api/auth/refresh').set('Cookie', oldCookie);
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('UNAUTHENTICATED');
      const afterReplay = await t.http().post('/api/auth/refresh').set('Cookie', newCookie);
      expect(afterReplay.status).toBe(401);

      const live = await t.owner.query(
        `SELECT count(*)::int AS n FROM refresh_token r JOIN app_user u ON u.id = r.user_id WHERE u.email = $1 AND r.revoked_at IS NULL`,
        [DEMO.exportOfficer],
      );
      expect(live[0].n).toBe(0);
    });

    it('refuses a refresh without a cookie and with an unknown cookie', async () => {
      const none = await t.http().post('/api/auth/refresh');
      expect(none.status).toBe(401);
      expect(none.body.code).toBe('UNAUTHENTICATED');
      const unknown = await t.http().post('/api/auth/refresh').set('Cookie', 'tr_refresh=made-up-value');
      expect(unknown.status).toBe(401);
    });

    it('logout revokes the refresh cookie and clears it', async () => {
      const res = await login(DEMO.officer2, DEMO_PASSWORD);
      const cookie = refreshCookie(res);
      const out = await t.http().post('/api/auth/logout').set('Cookie', cookie);
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/tr_refresh=;/);
      const again = await t.http().post('/api/auth/refresh').set('Cookie', cookie);
      expect(again.status).toBe(401);
    });
  });
});

describe('sign-in throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_ATTEMPTS: '3' });
  });
  afterAll(() => t.close());

  it('after 3 wrong passwords refuses the 4th attempt with 429 even when the password is right', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t
        .http()
        .post('/api/auth/login')
        .send({ email: DEMO.researcher, password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const fourth = await t.http().post('/api/auth/login').send({ email: DEMO.researcher, password: DEMO_PASSWORD });
    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(fourth.body.message).toMatch(/try again in \d+ minute/);

    // The limit is per account: another account still signs in from the same address.
    const other = await t.http().post('/api/auth/login').send({ email: DEMO.researcher2, password: DEMO_PASSWORD });
    expect(other.status).toBe(200);
  });

  it('counts attempts case-insensitively on the email', async () => {
    for (let i = 0; i < 3; i++) {
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: i % 2 ? DEMO.officer.toUpperCase() : DEMO.officer, password: 'wrong' });
    }
    const res = await t.http().post('/api/auth/login').send({ email: 'Officer@Example.ac.uk', password: DEMO_PASSWORD });
    expect(res.status).toBe(429);
  });
});
