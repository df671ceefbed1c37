import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';
import { openSecret } from '@app/domain';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const NEW_PASSWORD = 'a-long-enough-password';
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

function refreshCookie(res: { headers: Record<string, unknown> }): string {
  const all = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  const c = all.find((x) => x.startsWith('tr_refresh='));
  if (!c) throw new Error('no tr_refresh cookie');
  return c.split(';')[0];
}

describe('administration: users, roles, handover, departments', () => {
  let t: TestApp;
  let d: CaseDriver;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const as = async (email: string) => `Bearer ${await t.token(email)}`;
  const adminGet = async (path: string) =>
    t
      .http()
      .get(path)
      .set('Authorization', await as(DEMO.admin));
  const adminPost = async (path: string, body: object = {}) =>
    t
      .http()
      .post(path)
      .set('Authorization', await as(DEMO.admin))
      .send(body);
  const adminPut = async (path: string, body: object) =>
    t
      .http()
      .put(path)
      .set('Authorization', await as(DEMO.admin))
      .send(body);
  const systemEvents = (action: string) => t.owner.query(`SELECT actor_id, payload FROM system_event WHERE action = $1 ORDER BY seq`, [action]);

  /** Invites a fresh user, accepts the invitation and signs in. */
  async function onboard(roles: string[], departmentId?: string) {
    const email = `new.user${++n}@example.ac.uk`;
    const created = await adminPost('/api/admin/users', { email, name: `New User ${n}`, roles, ...(departmentId ? { departmentId } : {}) });
    if (created.status !== 201) throw new Error(`invite failed: ${created.status} ${JSON.stringify(created.body)}`);
    const token = new URL(created.body.invitationUrl).searchParams.get('token')!;
    const accepted = await t.http().post('/api/auth/accept-invitation').send({ token, password: NEW_PASSWORD });
    if (accepted.status !== 204) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    const login = await t.http().post('/api/auth/login').send({ email, password: NEW_PASSWORD });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    return { id: created.body.user.id as string, email, auth: `Bearer ${login.body.accessToken}`, cookie: refreshCookie(login) };
  }

  describe('inviting a user', () => {
    it('creates a password-less account, an invitation stored as a hash, and an outbox row carrying the token sealed, never in plain text; the token works once', async () => {
      const physicsId = (await adminGet('/api/departments')).body.items.find((x: { code: string }) => x.code === 'PHYS').id;
      const res = await adminPost('/api/admin/users', {
        email: '  Nadia.Lewis@Example.ac.uk ',
        name: 'Nadia Lewis',
        roles: ['researcher'],
        departmentId: physicsId,
      });
      expect(res.status).toBe(201);
      const user = res.body.user;
      expect(user).toMatchObject({
        email: 'nadia.lewis@example.ac.uk',
        name: 'Nadia Lewis',
        roles: ['researcher'],
        active: true,
        departmentId: physicsId,
        department: { code: 'PHYS' },
        passwordSet: false,
        emailFlagged: false,
      });
      expect(res.body.invitationUrl).toMatch(/^http:\/\/localhost:3000\/accept-invitation\?token=[A-Za-z0-9_-]{43}$/);
      const urlToken = new URL(res.body.invitationUrl).searchParams.get('token')!;

      const [outbox] = await t.owner.query(`SELECT topic, payload, status FROM outbox WHERE topic = 'user-invited' AND payload->>'userId' = $1`, [user.id]);
      expect(outbox.status).toBe('pending');
      const [invitation] = await t.owner.query(`SELECT id, token_hash, expires_at, used_at FROM invitation WHERE user_id = $1`, [user.id]);
      // Issue 12: the outbox carries the token sealed under the configured key, never in plain text.
      expect(outbox.payload).toEqual({ userId: user.id, invitationId: invitation.id, token: { sealed: expect.any(String) } });
      expect(JSON.stringify(outbox.payload)).not.toContain(urlToken);
      expect(openSecret(outbox.payload.token, t.config.audit.key)).toBe(urlToken);
      expect(invitation.token_hash).toBe(sha256(urlToken));
      expect(invitation.token_hash).not.toContain(urlToken);
      const days = (new Date(invitation.expires_at).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);

      const [created] = await systemEvents('user_created');
      expect(created.payload).toMatchObject({ userId: user.id, email: 'nadia.lewis@example.ac.uk', roles: ['researcher'] });
      expect(created.actor_id).toBe(await t.userId(DEMO.admin));

      // No password yet: signing in fails like a wrong password.
      const early = await t.http().post('/api/auth/login').send({ email: user.email, password: NEW_PASSWORD });
      expect(early.status).toBe(401);

      const accept = await t.http().post('/api/auth/accept-invitation').send({ token: urlToken, password: NEW_PASSWORD });
      expect(accept.status).toBe(204);
      const login = await t.http().post('/api/auth/login').send({ email: 'NADIA.LEWIS@example.ac.uk', password: NEW_PASSWORD });
      expect(login.status).toBe(200);
      const me = await t.http().get('/api/me').set('Authorization', `Bearer ${login.body.accessToken}`);
      expect(me.body).toMatchObject({ id: user.id, roles: ['researcher'], departmentId: physicsId });

      const again = await t.http().post('/api/auth/accept-invitation').send({ token: urlToken, password: 'another-password-1' });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('VALIDATION_FAILED');
      const stillOld = await t.http().post('/api/auth/login').send({ email: user.email, password: 'another-password-1' });
      expect(stillOld.status).toBe(401);

      const list = await adminGet('/api/admin/users');
      expect(list.status).toBe(200);
      expect(list.body.items.find((u: { id: string }) => u.id === user.id)).toMatchObject({ passwordSet: true, roles: ['researcher'] });
      expect(list.body.items.find((u: { email: string }) => u.email === DEMO.headPhysics)).toMatchObject({
        roles: ['department_head', 'researcher'],
        active: true,
        department: { code: 'PHYS', name: 'Physics' },
        emailFlagged: false,
      });
      expect(list.body.items[0]).not.toHaveProperty('passwordHash');
    });

    it('refuses an email that exists, whatever its case, with 409 and writes nothing', async () => {
      const before = await t.owner.query(`SELECT count(*)::int AS n FROM app_user`);
      const res = await adminPost('/api/admin/users', { email: 'OFFICER@example.ac.uk', name: 'Copy', roles: ['researcher'] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
      expect(res.body.message).toMatch(/officer@example\.ac\.uk already exists/);
      const after = await t.owner.query(`SELECT count(*)::int AS n FROM app_user`);
      expect(after[0].n).toBe(before[0].n);
    });

    it('validates the body, naming the field', async () => {
      const badRole = await adminPost('/api/admin/users', { email: 'x1@example.ac.uk', name: 'X', roles: ['superuser'] });
      expect(badRole.status).toBe(400);
      expect(badRole.body.code).toBe('VALIDATION_FAILED');
      expect(badRole.body.message).toMatch(/roles must each be one of researcher, rsdo_officer/);

      const noRoles = await adminPost('/api/admin/users', { email: 'x1@example.ac.uk', name: 'X', roles: [] });
      expect(noRoles.status).toBe(400);
      expect(noRoles.body.message).toMatch(/roles must hold at least one role/);

      const badEmail = await adminPost('/api/admin/users', { email: 'nope', name: 'X', roles: ['researcher'] });
      expect(badEmail.status).toBe(400);
      expect(badEmail.body.message).toMatch(/email must be an email address/);

      const noName = await adminPost('/api/admin/users', { email: 'x1@example.ac.uk', name: '   ', roles: ['researcher'] });
      expect(noName.status).toBe(400);
      expect(noName.body.message).toMatch(/name must not be empty/);

      const unknownDept = await adminPost('/api/admin/users', { email: 'x1@example.ac.uk', name: 'X', roles: ['researcher'], departmentId: MISSING_ID });
      expect(unknownDept.status).toBe(400);
      expect(unknownDept.body.code).toBe('VALIDATION_FAILED');
      expect(unknownDept.body.message).toMatch(/^departmentId: /);

      const rows = await t.owner.query(`SELECT 1 FROM app_user WHERE email = 'x1@example.ac.uk'`);
      expect(rows).toHaveLength(0);
    });
  });

  describe('who may administer', () => {
    it('refuses every admin endpoint to non-admins with 403, and changes nothing', async () => {
      const officerId = await t.userId(DEMO.officer);
      const physicsId = (await adminGet('/api/departments')).body.items.find((x: { code: string }) => x.code === 'PHYS').id;
      const calls: [string, string, object?][] = [
        ['get', '/api/admin/users'],
        ['post', '/api/admin/users', { email: 'sneaky@example.ac.uk', name: 'S', roles: ['admin'] }],
        ['put', `/api/admin/users/${officerId}/roles`, { roles: ['admin'] }],
        ['post', `/api/admin/users/${officerId}/deactivate`],
        ['post', `/api/admin/users/${officerId}/reactivate`],
        ['post', `/api/admin/users/${officerId}/handover`, { toUserId: await t.userId(DEMO.officer2) }],
        ['post', '/api/admin/departments', { code: 'SNEAK', name: 'Sneaky' }],
        ['put', `/api/admin/departments/${physicsId}/head`, { userId: officerId }],
      ];
      for (const who of [DEMO.researcher, DEMO.officer, DEMO.lead, DEMO.headPhysics, DEMO.exportOfficer]) {
        for (const [method, path, body] of calls) {
          const req = (t.http() as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path).set('Authorization', await as(who));
          const res = await (body ? req.send(body) : req);
          expect({ who, method, path, status: res.status, code: res.body.code }).toEqual({ who, method, path, status: 403, code: 'FORBIDDEN' });
        }
      }
      expect(await t.owner.query(`SELECT 1 FROM app_user WHERE email = 'sneaky@example.ac.uk'`)).toHaveLength(0);
      expect(await t.owner.query(`SELECT 1 FROM department WHERE code = 'SNEAK'`)).toHaveLength(0);
      const [officer] = await t.owner.query(`SELECT roles, active FROM app_user WHERE id = $1`, [officerId]);
      expect(officer).toEqual({ roles: ['rsdo_officer'], active: true });
    });

    it('answers 404 for unknown and malformed user ids', async () => {
      const unknown = await adminPut(`/api/admin/users/${MISSING_ID}/roles`, { roles: ['researcher'] });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      expect(unknown.body.message).toContain(MISSING_ID);
      const malformed = await adminPost('/api/admin/users/not-a-uuid/deactivate');
      expect(malformed.status).toBe(404);
      expect(malformed.body.code).toBe('NOT_FOUND');
      const handover = await adminPost(`/api/admin/users/${MISSING_ID}/handover`, { toUserId: await t.userId(DEMO.officer2) });
      expect(handover.status).toBe(404);
    });
  });

  describe('roles', () => {
    it('take effect on the next request with the same token', async () => {
      const c = await d.submitted(DEMO.researcher);
      const u = await onboard(['researcher']);
      const before = await t.http().get(`/api/cases/${c.id}`).set('Authorization', u.auth);
      expect(before.status).toBe(404);

      const res = await adminPut(`/api/admin/users/${u.id}/roles`, { roles: ['rsdo_officer', 'researcher', 'rsdo_officer'] });
      expect(res.status).toBe(200);
      expect(res.body.roles).toEqual(['researcher', 'rsdo_officer']);

      const after = await t.http().get(`/api/cases/${c.id}`).set('Authorization', u.auth);
      expect(after.status).toBe(200);
      const list = await t.http().get('/api/cases?limit=100').set('Authorization', u.auth);
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(c.id);

      const [ev] = (await systemEvents('roles_changed')).filter((e: { payload: { userId: string } }) => e.payload.userId === u.id);
      expect(ev.payload).toEqual({ userId: u.id, from: ['researcher'], to: ['researcher', 'rsdo_officer'] });

      await adminPut(`/api/admin/users/${u.id}/roles`, { roles: ['researcher'] });
      const revoked = await t.http().get(`/api/cases/${c.id}`).set('Authorization', u.auth);
      expect(revoked.status).toBe(404);
    });

    it('refuses an admin removing their own admin role, or deactivating themselves, with 409', async () => {
      const adminId = await t.userId(DEMO.admin);
      const roles = await adminPut(`/api/admin/users/${adminId}/roles`, { roles: ['rsdo_officer'] });
      expect(roles.status).toBe(409);
      expect(roles.body.code).toBe('CONFLICT');
      expect(roles.body.message).toMatch(/your own admin role/);
      const deactivate = await adminPost(`/api/admin/users/${adminId}/deactivate`);
      expect(deactivate.status).toBe(409);
      expect(deactivate.body.message).toMatch(/your own account/);
      const [row] = await t.owner.query(`SELECT roles, active FROM app_user WHERE id = $1`, [adminId]);
      expect(row).toEqual({ roles: ['admin'], active: true });

      // Adding a role to oneself is fine.
      const add = await adminPut(`/api/admin/users/${adminId}/roles`, { roles: ['admin', 'rsdo_lead'] });
      expect(add.status).toBe(200);
      await adminPut(`/api/admin/users/${adminId}/roles`, { roles: ['admin'] });
    });

    it('validates roles, naming the field', async () => {
      const u = await t.userId(DEMO.officer2);
      const res = await adminPut(`/api/admin/users/${u}/roles`, { roles: 'admin' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^roles must be a list of roles/);
      const name = await adminPost('/api/admin/users', { email: 'x2@example.ac.uk', name: 42, roles: ['researcher'] });
      expect(name.status).toBe(400);
      expect(name.body.message).toBe('name must be text.');
    });
  });

  describe('deactivation', () => {
    it('bites at once: the live access token gets 401 ACCOUNT_INACTIVE, refresh fails, sign-in fails; reactivation restores sign-in', async () => {
      const u = await onboard(['rsdo_officer']);
      expect((await t.http().get('/api/me').set('Authorization', u.auth)).status).toBe(200);

      const res = await adminPost(`/api/admin/users/${u.id}/deactivate`);
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);

      const me = await t.http().get('/api/me').set('Authorization', u.auth);
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('ACCOUNT_INACTIVE');
      const refresh = await t.http().post('/api/auth/refresh').set('Cookie', u.cookie);
      expect(refresh.status).toBe(401);
      const live = await t.owner.query(`SELECT count(*)::int AS n FROM refresh_token WHERE user_id = $1 AND revoked_at IS NULL`, [u.id]);
      expect(live[0].n).toBe(0);
      const login = await t.http().post('/api/auth/login').send({ email: u.email, password: NEW_PASSWORD });
      expect(login.status).toBe(401);
      expect(login.body.code).toBe('ACCOUNT_INACTIVE');

      const [ev] = (await systemEvents('user_deactivated')).filter((e: { payload: { userId: string } }) => e.payload.userId === u.id);
      expect(ev.payload).toMatchObject({ userId: u.id, sessionsRevoked: 1 });

      const back = await adminPost(`/api/admin/users/${u.id}/reactivate`);
      expect(back.status).toBe(200);
      expect(back.body.active).toBe(true);
      const relogin = await t.http().post('/api/auth/login').send({ email: u.email, password: NEW_PASSWORD });
      expect(relogin.status).toBe(200);
      expect((await systemEvents('user_reactivated')).some((e: { payload: { userId: string } }) => e.payload.userId === u.id)).toBe(true);
    });
  });

  describe('handover', () => {
    it("moves a leaver's open cases through audited assign events, skips a case the target owns, and keeps the chain valid", async () => {
      const officerId = await t.userId(DEMO.officer);
      const officer2Id = await t.userId(DEMO.officer2);
      // Someone who is both researcher and officer, owning a case the officer triaged.
      const hybrid = await onboard(['researcher', 'rsdo_officer']);
      const a = await d.triaged(DEMO.researcher); // triage self-assigns the officer
      const b = await d.draft(DEMO.researcher);
      const own = await t.http().post('/api/cases').set('Authorization', hybrid.auth).send({ title: 'Hybrid-owned case', answers: completeAnswers() });
      expect(own.status).toBe(201);
      const submitted = await t.http().post(`/api/cases/${own.body.id}/actions/submit`).set('Authorization', hybrid.auth).send({});
      expect(submitted.status).toBe(200);
      await d.ok(DEMO.officer, own.body.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
      // A closed case stays with whoever held it.
      const closed = await d.triaged(DEMO.researcher);
      await d.ok(DEMO.researcher, closed.id, 'withdraw', {});

      const [beforeRow] = await t.owner.query(`SELECT version FROM collaboration_case WHERE id = $1`, [a.id]);
      const toHybrid = await adminPost(`/api/admin/users/${officerId}/handover`, { toUserId: hybrid.id });
      expect(toHybrid.status).toBe(200);
      expect(toHybrid.body.moved).toContainEqual({ caseId: a.id, reference: a.reference });
      expect(toHybrid.body.skipped).toEqual([{ caseId: own.body.id, reference: own.body.reference, reason: expect.stringMatching(/submitted this case/) }]);
      const ids = toHybrid.body.moved.map((m: { caseId: string }) => m.caseId);
      expect(ids).not.toContain(b.id); // never assigned
      expect(ids).not.toContain(closed.id);

      const [row] = await t.owner.query(`SELECT assignee_id, version FROM collaboration_case WHERE id = $1`, [a.id]);
      expect(row.assignee_id).toBe(hybrid.id);
      expect(row.version).toBe(beforeRow.version + 1);
      const [closedRow] = await t.owner.query(`SELECT assignee_id FROM collaboration_case WHERE id = $1`, [closed.id]);
      expect(closedRow.assignee_id).toBe(officerId);

      const events = await d.get(DEMO.officer, `/api/cases/${a.id}/events`);
      const last = events.body.items[events.body.items.length - 1];
      expect(last).toMatchObject({
        action: 'assign',
        fromState: 'triaged',
        toState: 'triaged',
        actorId: await t.userId(DEMO.admin),
        payload: { assigneeId: hybrid.id, previousAssigneeId: officerId, handover: true, byAdminId: await t.userId(DEMO.admin) },
      });
      const [outbox] = await t.owner.query(`SELECT payload FROM outbox WHERE case_id = $1 AND topic = 'case-event' ORDER BY id DESC LIMIT 1`, [a.id]);
      expect(outbox.payload).toEqual({
        action: 'assign',
        fromState: 'triaged',
        toState: 'triaged',
        reference: a.reference,
        actorId: await t.userId(DEMO.admin),
      });

      // The skipped case can go to someone else; then the officer holds nothing open.
      const toOfficer2 = await adminPost(`/api/admin/users/${officerId}/handover`, { toUserId: officer2Id });
      expect(toOfficer2.body.moved).toContainEqual({ caseId: own.body.id, reference: own.body.reference });
      expect(toOfficer2.body.skipped).toEqual([]);
      const open = await t.owner.query(
        `SELECT count(*)::int AS n FROM collaboration_case WHERE assignee_id = $1 AND state NOT IN ('approved','rejected','withdrawn')`,
        [officerId],
      );
      expect(open[0].n).toBe(0);
      const nothing = await adminPost(`/api/admin/users/${officerId}/handover`, { toUserId: officer2Id });
      expect(nothing.body).toEqual({ moved: [], skipped: [] });

      // The case's own view agrees.
      expect((await d.get(DEMO.officer2, `/api/cases/${own.body.id}`)).body.assigneeId).toBe(officer2Id);

      const summaries = await systemEvents('handover');
      expect(summaries[0].payload).toMatchObject({ fromUserId: officerId, toUserId: hybrid.id, skipped: [own.body.id] });

      const verify = await adminGet('/api/admin/audit/verify');
      expect(verify.status).toBe(200);
      expect(verify.body.ok).toBe(true);
      expect(verify.body.firstBroken).toBeNull();
    });

    it('refuses a target who is not an active officer or lead with 400 naming toUserId', async () => {
      const officerId = await t.userId(DEMO.officer);
      for (const target of [await t.userId(DEMO.researcher), await t.userId(DEMO.exportOfficer), MISSING_ID, officerId]) {
        const res = await adminPost(`/api/admin/users/${officerId}/handover`, { toUserId: target });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.message).toMatch(/^toUserId: /);
      }
      const inactive = await onboard(['rsdo_officer']);
      await adminPost(`/api/admin/users/${inactive.id}/deactivate`);
      const res = await adminPost(`/api/admin/users/${officerId}/handover`, { toUserId: inactive.id });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^toUserId: .* not an active RSDO officer or lead/);
      const lead = await adminPost(`/api/admin/users/${officerId}/handover`, { toUserId: await t.userId(DEMO.lead) });
      expect(lead.status).toBe(200);
      const bad = await adminPost(`/api/admin/users/${officerId}/handover`, { toUserId: 'someone' });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/toUserId must be a user id/);
    });
  });

  describe('departments, heads and delegates', () => {
    const today = DateTime.now().setZone('Europe/London');
    const day = (offset: number) => today.plus({ days: offset }).toISODate()!;

    it('lists departments with heads to any signed-in user', async () => {
      const res = await t
        .http()
        .get('/api/departments')
        .set('Authorization', await as(DEMO.researcher2));
      expect(res.status).toBe(200);
      const phys = res.body.items.find((x: { code: string }) => x.code === 'PHYS');
      expect(phys).toMatchObject({ name: 'Physics', headUserId: await t.userId(DEMO.headPhysics), delegates: [] });
      expect((await t.http().get('/api/departments')).status).toBe(401);
    });

    it('creates a department, refusing a duplicate code with 409', async () => {
      const res = await adminPost('/api/admin/departments', { code: 'math', name: 'Mathematics' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ code: 'MATH', name: 'Mathematics', headUserId: null });
      const dup = await adminPost('/api/admin/departments', { code: 'Math', name: 'Maths again' });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('CONFLICT');
      expect(dup.body.message).toMatch(/MATH already exists/);
      const bad = await adminPost('/api/admin/departments', { code: 'a b', name: 'Spaces' });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^code must be/);
      expect((await systemEvents('department_created')).map((e: { payload: { code: string } }) => e.payload.code)).toEqual(['MATH']);
    });

    it('sets a head, giving them the department_head role; refuses an inactive or unknown user', async () => {
      const math = (await adminGet('/api/departments')).body.items.find((x: { code: string }) => x.code === 'MATH');
      const u = await onboard(['researcher'], math.id);
      const res = await adminPut(`/api/admin/departments/${math.id}/head`, { userId: u.id });
      expect(res.status).toBe(200);
      expect(res.body.headUserId).toBe(u.id);
      const me = await t.http().get('/api/me').set('Authorization', u.auth);
      expect(me.body.roles).toEqual(['department_head', 'researcher']);
      const [ev] = await systemEvents('head_set');
      expect(ev.payload).toEqual({ departmentId: math.id, headUserId: u.id, previousHeadUserId: null, roleAdded: true });

      const unknown = await adminPut(`/api/admin/departments/${math.id}/head`, { userId: MISSING_ID });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/^userId: /);
      const gone = await onboard(['researcher']);
      await adminPost(`/api/admin/users/${gone.id}/deactivate`);
      const inactive = await adminPut(`/api/admin/departments/${math.id}/head`, { userId: gone.id });
      expect(inactive.status).toBe(400);
      expect(inactive.body.message).toMatch(/^userId: .*deactivated/);
      const noDept = await adminPut(`/api/admin/departments/${MISSING_ID}/head`, { userId: u.id });
      expect(noDept.status).toBe(404);
      const malformed = await adminPut('/api/admin/departments/xyz/head', { userId: u.id });
      expect(malformed.status).toBe(404);
    });

    it('lets the head add a delegate who then sees cases awaiting sign-off; others get 403; the head revokes', async () => {
      const physicsId = (await adminGet('/api/departments')).body.items.find((x: { code: string }) => x.code === 'PHYS').id;
      const delegateId = await t.userId(DEMO.researcher2);
      const c = await d.triaged(DEMO.researcher);
      await d.ok(DEMO.officer2, c.id, 'request_sign_off', { decisionText: 'Approved as proposed.' });
      expect((await d.get(DEMO.researcher2, `/api/cases/${c.id}`)).status).toBe(404);

      const body = { userId: delegateId, startsOn: day(-1), endsOn: day(1) };
      for (const who of [DEMO.researcher2, DEMO.headChemistry, DEMO.officer]) {
        const res = await t
          .http()
          .post(`/api/departments/${physicsId}/delegates`)
          .set('Authorization', await as(who))
          .send(body);
        expect({ who, status: res.status, code: res.body.code }).toEqual({ who, status: 403, code: 'FORBIDDEN' });
      }

      const added = await t
        .http()
        .post(`/api/departments/${physicsId}/delegates`)
        .set('Authorization', await as(DEMO.headPhysics))
        .send(body);
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        departmentId: physicsId,
        userId: delegateId,
        startsOn: day(-1),
        endsOn: day(1),
        revokedAt: null,
        createdById: await t.userId(DEMO.headPhysics),
      });
      const listed = (await adminGet('/api/departments')).body.items.find((x: { code: string }) => x.code === 'PHYS');
      expect(listed.delegates).toEqual([expect.objectContaining({ id: added.body.id, userId: delegateId, name: 'Chidi Okafor' })]);
      expect((await d.get(DEMO.researcher2, `/api/cases/${c.id}`)).status).toBe(200);

      // Revocation: same permission rule.
      const path = `/api/departments/${physicsId}/delegates/${added.body.id}`;
      const sneaky = await t
        .http()
        .delete(path)
        .set('Authorization', await as(DEMO.researcher2));
      expect(sneaky.status).toBe(403);
      const revoked = await t
        .http()
        .delete(path)
        .set('Authorization', await as(DEMO.headPhysics));
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expect((await d.get(DEMO.researcher2, `/api/cases/${c.id}`)).status).toBe(404);
      const after = (await adminGet('/api/departments')).body.items.find((x: { code: string }) => x.code === 'PHYS');
      expect(after.delegates).toEqual([]);
      const twice = await t
        .http()
        .delete(path)
        .set('Authorization', await as(DEMO.admin));
      expect(twice.status).toBe(409);
      const unknown = await t
        .http()
        .delete(`/api/departments/${physicsId}/delegates/${MISSING_ID}`)
        .set('Authorization', await as(DEMO.admin));
      expect(unknown.status).toBe(404);

      const actions = [...(await systemEvents('delegate_added')), ...(await systemEvents('delegate_revoked'))];
      expect(actions.map((e: { payload: { delegationId: string } }) => e.payload.delegationId)).toEqual([added.body.id, added.body.id]);
    });

    it('lets an admin add a delegate, and validates dates and the delegate, naming the field', async () => {
      const chem = (await adminGet('/api/departments')).body.items.find((x: { code: string }) => x.code === 'CHEM');
      const post = async (body: object) =>
        t
          .http()
          .post(`/api/departments/${chem.id}/delegates`)
          .set('Authorization', await as(DEMO.admin))
          .send(body);
      const userId = await t.userId(DEMO.researcher2);

      const reversed = await post({ userId, startsOn: day(5), endsOn: day(4) });
      expect(reversed.status).toBe(400);
      expect(reversed.body.code).toBe('VALIDATION_FAILED');
      expect(reversed.body.message).toMatch(/^endsOn: .*before startsOn/);

      const format = await post({ userId, startsOn: '01/07/2027', endsOn: day(4) });
      expect(format.status).toBe(400);
      expect(format.body.message).toMatch(/startsOn must be a date written YYYY-MM-DD/);

      const impossible = await post({ userId, startsOn: '2027-02-30', endsOn: '2027-03-05' });
      expect(impossible.status).toBe(400);
      expect(impossible.body.message).toMatch(/^startsOn: 2027-02-30 is not a real calendar date/);

      const missing = await post({ userId, startsOn: day(0) });
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(/endsOn/);

      const head = await post({ userId: chem.headUserId, startsOn: day(0), endsOn: day(3) });
      expect(head.status).toBe(400);
      expect(head.body.message).toMatch(/^userId: .*head/);

      const sameDay = await post({ userId, startsOn: day(2), endsOn: day(2) });
      expect(sameDay.status).toBe(201);

      const noDept = await t
        .http()
        .post(`/api/departments/${MISSING_ID}/delegates`)
        .set('Authorization', await as(DEMO.admin))
        .send({ userId, startsOn: day(0), endsOn: day(1) });
      expect(noDept.status).toBe(404);
    });
  });
  describe("a user's department", () => {
    it('is set, changed and cleared by an admin, each change audited; the department list names it', async () => {
      const u = await onboard(['researcher']);
      const depts = (await adminGet('/api/departments')).body.items as { id: string; code: string; name: string }[];
      const chem = depts.find((x) => x.code === 'CHEM')!;
      const set = await adminPut(`/api/admin/users/${u.id}/department`, { departmentId: chem.id });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ id: u.id, departmentId: chem.id, department: { id: chem.id, code: 'CHEM', name: chem.name } });
      const listed = (await adminGet('/api/admin/users')).body.items.find((x: { id: string }) => x.id === u.id);
      expect(listed.department.code).toBe('CHEM');
      // The user's own view says so too.
      expect((await t.http().get('/api/me').set('Authorization', u.auth)).body.departmentId).toBe(chem.id);

      const cleared = await adminPut(`/api/admin/users/${u.id}/department`, { departmentId: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ departmentId: null, department: null });
      const events = (await systemEvents('department_changed')).filter((e: { payload: { userId: string } }) => e.payload.userId === u.id);
      expect(events.map((e: { payload: unknown }) => e.payload)).toEqual([
        { userId: u.id, from: null, to: chem.id },
        { userId: u.id, from: chem.id, to: null },
      ]);
      // Saving the same department again changes nothing and audits nothing.
      await adminPut(`/api/admin/users/${u.id}/department`, { departmentId: null });
      expect((await systemEvents('department_changed')).filter((e: { payload: { userId: string } }) => e.payload.userId === u.id)).toHaveLength(2);
    });

    it('refuses an unknown department or a malformed body with 400 naming departmentId, an unknown user with 404, and non-admins with 403', async () => {
      const u = await t.userId(DEMO.researcher2);
      const unknown = await adminPut(`/api/admin/users/${u}/department`, { departmentId: MISSING_ID });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/^departmentId: there is no department/);
      for (const body of [{}, { departmentId: 'maths' }, { departmentId: 7 }]) {
        const bad = await adminPut(`/api/admin/users/${u}/department`, body);
        expect({ body, status: bad.status }).toEqual({ body, status: 400 });
        expect(bad.body.message).toMatch(/^departmentId (is required|must be a department id)/);
      }
      const missing = await adminPut(`/api/admin/users/${MISSING_ID}/department`, { departmentId: null });
      expect(missing.status).toBe(404);
      const officer = await t
        .http()
        .put(`/api/admin/users/${u}/department`)
        .set('Authorization', await as(DEMO.officer))
        .send({ departmentId: null });
      expect(officer.status).toBe(403);
      const [row] = await t.owner.query(`SELECT department_id FROM app_user WHERE id = $1`, [u]);
      expect(row.department_id).not.toBeNull();
    });
  });
});
