import { DEMO_PASSWORD } from '@app/persistence';
import { createTestApp, DEMO, TestApp } from '@app/testing';

function refreshCookie(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return all.find((x: string) => x.startsWith('tr_refresh='))!.split(';')[0];
}

/** Access tokens name their session; ending the session ends them too, not only at expiry. */
describe('sessions end access tokens; password rules; change password', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const login = (email: string, password = DEMO_PASSWORD) => t.http().post('/api/auth/login').send({ email, password });
  const me = (token: string) => t.http().get('/api/me').set('Authorization', `Bearer ${token}`);

  it('logout ends the access token of that session, not of another', async () => {
    const a = await login(DEMO.researcher);
    const b = await login(DEMO.researcher);
    expect((await me(a.body.accessToken)).status).toBe(200);
    expect((await t.http().post('/api/auth/logout').set('Cookie', refreshCookie(a))).status).toBe(204);
    const after = await me(a.body.accessToken);
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/signed out/);
    expect((await me(b.body.accessToken)).status).toBe(200);
  });

  it('reuse of a rotated refresh token revokes the family: every access token of the user stops working', async () => {
    const a = await login(DEMO.researcher2);
    const cookie = refreshCookie(a);
    const rotated = await t.http().post('/api/auth/refresh').set('Cookie', cookie);
    expect(rotated.status).toBe(200);
    expect((await me(rotated.body.accessToken)).status).toBe(200);
    expect((await t.http().post('/api/auth/refresh').set('Cookie', cookie)).status).toBe(401);
    expect((await me(rotated.body.accessToken)).status).toBe(401);
    expect((await me(a.body.accessToken)).status).toBe(401);
  });

  it('change password: checks the current one, applies the rules naming newPassword, ends other sessions, audits', async () => {
    const other = await login(DEMO.exportOfficer);
    const here = await login(DEMO.exportOfficer);
    const change = (currentPassword: string, newPassword: string) =>
      t.http().post('/api/auth/change-password').set('Authorization', `Bearer ${here.body.accessToken}`).send({ currentPassword, newPassword });
    expect((await change('wrong-password', 'a perfectly fine passphrase')).body.message).toBe('currentPassword is not your current password.');
    expect((await change(DEMO_PASSWORD, 'short')).body.message).toBe('newPassword must be at least 12 characters long.');
    expect((await change(DEMO_PASSWORD, 'password1234')).body.message).toMatch(/^newPassword is one of the most commonly used passwords/);
    expect((await change(DEMO_PASSWORD, 'qwertyuiop!!')).body.message).toMatch(/^newPassword is one of the most commonly used passwords/);
    expect((await change(DEMO_PASSWORD, DEMO.exportOfficer)).body.message).toBe('newPassword must not be your email address or its name part.');
    const ok = await change(DEMO_PASSWORD, 'copper kettle under the stairs');
    expect(ok.status).toBe(200);
    expect((await me(ok.body.accessToken)).status).toBe(200);
    expect((await me(other.body.accessToken)).status).toBe(401);
    expect((await login(DEMO.exportOfficer)).status).toBe(401);
    expect((await login(DEMO.exportOfficer, 'copper kettle under the stairs')).status).toBe(200);
    const [ev] = await t.owner.query(`SELECT actor_id, payload FROM system_event WHERE action = 'password_changed'`);
    expect(ev.actor_id).toBe(await t.userId(DEMO.exportOfficer));
    expect(ev.payload.sessionsRevoked).toBeGreaterThanOrEqual(2);
  });

  it('the demo accounts still sign in with the demo password: existing passwords are not re-checked', async () => {
    expect((await login(DEMO.officer)).status).toBe(200);
  });
});
