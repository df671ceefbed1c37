import { createTestApp, DEMO, TestApp } from '@app/testing';

/** Bull Board behind the app's own sign-in (run on both queue backends: see jest.config.js). */
describe('queue board', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const session = async (email: string) =>
    t
      .http()
      .post('/api/admin/queue-board/session')
      .set('Authorization', `Bearer ${await t.token(email)}`);

  it('opens for an admin through a short-lived cookie scoped to the board, and lists the four queues', async () => {
    const res = await session(DEMO.admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ url: '/admin/queues', expiresIn: 900 });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/tr_queue_board=.+; Max-Age=900; Path=\/admin\/queues; .*HttpOnly; SameSite=Strict/);
    const jar = cookie.split(';')[0];
    const page = await t.http().get('/admin/queues').set('Cookie', jar);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Trusted Research queues');
    const api = await t.http().get('/admin/queues/api/queues').set('Cookie', jar);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['deliveries', 'maintenance', 'screening', 'timers'].map((n) => `${n}`).sort());
  });

  it('refuses everyone else', async () => {
    expect((await session(DEMO.officer)).status).toBe(403);
    expect((await t.http().get('/admin/queues')).status).toBe(401);
    expect((await t.http().get('/admin/queues/api/queues').set('Cookie', 'tr_queue_board=forged')).status).toBe(401);
    // An officer's own access token in the cookie is still not an admin's.
    const officer = await t.token(DEMO.officer);
    expect((await t.http().get('/admin/queues/api/queues').set('Cookie', `tr_queue_board=${officer}`)).status).toBe(403);
  });
});
