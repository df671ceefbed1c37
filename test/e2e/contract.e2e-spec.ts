import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';
import { ScreeningService } from '@app/screening';

const WEB_SRC = join(__dirname, '../../apps/web/src');
const FIXTURES = join(__dirname, '../../fixtures/screening');

/** Every `api.GET('/api/...')` path literal in the web app's source. */
function webGetPaths(dir = WEB_SRC): Set<string> {
  const out = new Set<string>();
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) webGetPaths(file).forEach((p) => out.add(p));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/api\.GET\('([^']+)'/g)) out.add(m[1]);
    }
  }
  return out;
}

interface OpenApi {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

/**
 * The contract between API and web: every GET the web app calls declares its response
 * body in the OpenAPI document, and live responses (for staff, who see the full view,
 * and for the researcher, who sees less) validate against it with ajv. A field renamed
 * on one side only fails here.
 */
describe('API contract (OpenAPI response schemas)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let doc: OpenApi;
  let ajv: Ajv;
  const validators = new Map<string, ValidateFunction>();
  let caseId: string;
  let sourceId: string;
  let versionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    const screening = t.app.get(ScreeningService);
    await screening.importList('uk_sanctions', join(FIXTURES, 'uk-sanctions-list.sample.xml'));
    await screening.importList('us_csl', join(FIXTURES, 'us-consolidated-screening-list.sample.csv'));
    doc = (await t.http().get('/api/docs-json')).body as OpenApi;
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: doc.components });
    // A case with a risk assessment, a screening hit (and its flag), a note and a triage.
    const c = await d.draft(
      DEMO.researcher,
      'Catalysis with HIT',
      completeAnswers({ partners: [{ name: 'Harbin Institute of Technology', country: 'CN', type: 'university' }] }),
    );
    caseId = c.id;
    await d.ok(DEMO.researcher, c.id, 'submit');
    const tok = await t.token(DEMO.officer);
    const note = await t
      .http()
      .post(`/api/cases/${c.id}/notes`)
      .set('Authorization', `Bearer ${tok}`)
      .send({ body: 'Checked the partner.', visibility: 'researcher' });
    expect(note.status).toBe(201);
    // A list imported after the case: its version has a diff and a blast radius naming the case.
    const zju = await d.draft(
      DEMO.researcher,
      'Polymers with ZJU',
      completeAnswers({ partners: [{ name: 'Zhejiang University', country: 'CN', type: 'university' }] }),
    );
    await d.ok(DEMO.researcher, zju.id, 'submit');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'contract-')), 'watch.csv');
    writeFileSync(file, 'id,name,aliases,country,rating,notes\nASPI-S03,Zhejiang University,ZJU,CN,medium,SAMPLE row for the contract test.\n');
    const wl = await screening.importList('watch_list', file);
    sourceId = wl.sourceId;
    versionId = wl.listVersionId;
    expect(wl.blastRadius).toBeGreaterThan(0);
  });
  afterAll(() => t.close());

  /** The validator of the 200 (or 201) JSON body the document declares for this operation. */
  function responseValidator(path: string, method = 'get', status = '200'): ValidateFunction {
    const key = `${method} ${path} ${status}`;
    let v = validators.get(key);
    if (!v) {
      const schema = doc.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${method.toUpperCase()} ${path} declares no ${status} response body in the OpenAPI document`);
      // Refs point into the registered document: `#/components/...` becomes `openapi#/components/...`.
      v = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/')));
      validators.set(key, v);
    }
    return v;
  }

  function expectValid(path: string, body: unknown, method?: string, status?: string): void {
    const v = responseValidator(path, method, status);
    const ok = v(body);
    expect({ path, errors: ok ? null : v.errors?.slice(0, 5) }).toEqual({ path, errors: null });
  }

  const concrete = (path: string) => path.replace('{id}', caseId).replace('{version}', '3').replace('{sourceId}', sourceId).replace('{versionId}', versionId);

  it('every GET the web app calls declares its response body', () => {
    const paths = [...webGetPaths()];
    expect(paths.length).toBeGreaterThan(5);
    const undeclared = paths.filter((p) => !doc.paths[p]?.get?.responses?.['200']?.content?.['application/json']?.schema);
    expect(undeclared).toEqual([]);
  });

  it.each([
    ['the research office', DEMO.officer],
    ['the researcher who owns the case', DEMO.researcher],
  ])('every such GET answers %s with a body that matches its schema', async (_who, email) => {
    const tok = await t.token(email);
    for (const path of webGetPaths()) {
      if (path.startsWith('/api/admin/') || path === '/api/reports') continue; // admin: checked below
      if (path === '/api/staff' && email === DEMO.researcher) continue; // staff only: its refusal is checked below
      if (path.startsWith('/api/screening/') && email === DEMO.researcher) continue; // staff only (continuous-screening spec checks the refusal)
      if (path.startsWith('/api/organisations') || path === '/api/cases/{id}/precedents') continue; // the partner register (staff only): checked below
      const res = await t.http().get(concrete(path)).set('Authorization', `Bearer ${tok}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expectValid(path, res.body);
    }
  });

  it('the staff view carries the risk assessment and the screening hits, matching their schemas', async () => {
    const res = await d.get(DEMO.officer, `/api/cases/${caseId}`);
    expect(res.body.riskAssessment.factors.length).toBeGreaterThan(0);
    expect(res.body.screeningHits.length).toBeGreaterThan(0);
    expect(res.body.screeningHits[0].matchedName).toBeTruthy();
    expectValid('/api/cases/{id}', res.body);
  });

  it('the partner register, the precedent panel and the people of a case match their schemas (issue 19); the register is staff only', async () => {
    const list = await d.get(DEMO.officer, '/api/organisations');
    expect(list.status).toBe(200);
    expectValid('/api/organisations', list.body);
    expect(list.body.items.length).toBeGreaterThan(0);
    const page = await d.get(DEMO.officer, `/api/organisations/${list.body.items[0].id as string}`);
    expect(page.status).toBe(200);
    expectValid('/api/organisations/{id}', page.body);
    const prec = await d.get(DEMO.officer, `/api/cases/${caseId}/precedents`);
    expect(prec.status).toBe(200);
    expectValid('/api/cases/{id}/precedents', prec.body);
    for (const email of [DEMO.officer, DEMO.researcher]) expectValid('/api/cases/{id}/people', (await d.get(email, `/api/cases/${caseId}/people`)).body);
    expect((await d.get(DEMO.researcher, '/api/organisations')).status).toBe(403);
    expect((await d.get(DEMO.researcher, `/api/cases/${caseId}/precedents`)).status).toBe(404);
  });

  it('admin lists, reports and the UI config match their schemas', async () => {
    for (const path of ['/api/admin/users', '/api/reports']) {
      const res = await d.get(DEMO.admin, path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expectValid(path, res.body);
    }
    const ui = await t.http().get('/api/ui-config');
    const v = ajv.getSchema('openapi#/components/schemas/UiConfig')!;
    expect(v(ui.body) ? null : v.errors).toBeNull();
  });

  it("the admin pages' GETs and writes match their schemas (SLA, closure days, mail, audit, handover, department, preferences)", async () => {
    for (const path of [
      '/api/admin/sla/policies',
      '/api/admin/sla/settings',
      '/api/admin/sla/closure-days',
      '/api/admin/mail/status',
      '/api/admin/audit/verify',
      '/api/me/notification-preferences',
    ]) {
      const res = await d.get(DEMO.admin, path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expectValid(path, res.body);
    }
    const tok = await t.token(DEMO.admin);
    const send = (method: 'post' | 'put', path: string, body: object) => t.http()[method](path).set('Authorization', `Bearer ${tok}`).send(body);
    const policy = (await d.get(DEMO.admin, '/api/admin/sla/policies')).body.items[0];
    const changed = await send('put', `/api/admin/sla/policies/${policy.stage}`, { target: policy.target, atRiskAt: policy.atRiskAt, ladder: policy.ladder });
    expect(changed.status).toBe(200);
    expectValid('/api/admin/sla/policies/{stage}', changed.body, 'put');
    const day = await send('post', '/api/admin/sla/closure-days', { day: '2031-12-29', description: 'Contract closure' });
    expect(day.status).toBe(201);
    expectValid('/api/admin/sla/closure-days', day.body, 'post', '201');
    const officer2 = await t.userId(DEMO.officer2);
    const handover = await send('post', `/api/admin/users/${officer2}/handover`, { toUserId: await t.userId(DEMO.officer) });
    expect(handover.status).toBe(200);
    expectValid('/api/admin/users/{id}/handover', handover.body, 'post');
    const depts = (await d.get(DEMO.admin, '/api/departments')).body.items as { id: string }[];
    const dept = await send('put', `/api/admin/users/${await t.userId(DEMO.researcher2)}/department`, { departmentId: depts[0].id });
    expectValid('/api/admin/users/{id}/department', dept.body, 'put');
    const prefs = await send('put', '/api/me/notification-preferences', { reminders: 'digest' });
    expectValid('/api/me/notification-preferences', prefs.body, 'put');
    expect(prefs.body.preferences.reminders).toBe('digest');
  });

  it('every questionnaire version matches the Questionnaire schema (the question pages render from it)', async () => {
    const list = await d.get(DEMO.researcher, '/api/questionnaires');
    expectValid('/api/questionnaires', list.body);
    expect(list.body.versions.length).toBeGreaterThan(0);
    for (const { version } of list.body.versions as { version: number }[]) {
      const res = await d.get(DEMO.researcher, `/api/questionnaires/${version}`);
      expect(res.status).toBe(200);
      expectValid('/api/questionnaires/{version}', res.body);
    }
  });

  it('an action answers with the case and the event, matching ActionResult', async () => {
    const res = await d.act(DEMO.officer, caseId, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    expect(res.status).toBe(200);
    expectValid('/api/cases/{id}/actions/{action}', res.body, 'post');
  });

  it('GET actions also lists what is blocked now, with the refusal: an open blocking flag holds approval', async () => {
    await d.ok(DEMO.officer, caseId, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    const res = await d.get(DEMO.officer, `/api/cases/${caseId}/actions`);
    expectValid('/api/cases/{id}/actions', res.body);
    const approve = res.body.blocked.find((b: { name: string }) => b.name === 'approve');
    expect(approve).toEqual({ name: 'approve', label: 'Approve', code: expect.any(String), message: expect.stringMatching(/blocking flag/) });
    expect(res.body.items.map((a: { name: string }) => a.name)).not.toContain('approve');
    // The researcher is not told about office actions.
    const mine = await d.get(DEMO.researcher, `/api/cases/${caseId}/actions`);
    expect(mine.body.blocked.map((b: { name: string }) => b.name)).not.toContain('approve');
  });

  it('GET /api/staff lists active colleagues by name for pickers: staff only, filtered by role and text', async () => {
    const res = await d.get(DEMO.officer, '/api/staff?role=export_control');
    expect(res.status).toBe(200);
    expectValid('/api/staff', res.body);
    expect(res.body.items.map((p: { email: string }) => p.email)).toEqual([DEMO.exportOfficer]);
    const byText = await d.get(DEMO.officer, '/api/staff?q=OLIVIA');
    expect(byText.body.items.map((p: { email: string }) => p.email)).toEqual([DEMO.officer]);
    expect((await d.get(DEMO.researcher, '/api/staff')).status).toBe(403);
    const bad = await d.get(DEMO.officer, '/api/staff?role=wizard');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/role must be one of/);
  });

  it('a response that drifts from the schema fails validation (the check can fail)', async () => {
    const res = await d.get(DEMO.officer, `/api/cases/${caseId}`);
    const drifted = {
      ...res.body,
      screeningHits: res.body.screeningHits.map(({ matchedName, ...h }: Record<string, unknown>) => ({ ...h, matched: matchedName })),
    };
    expect(responseValidator('/api/cases/{id}')(drifted)).toBe(false);
  });
});
