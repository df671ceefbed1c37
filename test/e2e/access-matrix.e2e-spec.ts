import { randomUUID } from 'node:crypto';
import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

/**
 * The access matrix (issue 12): every operation of the OpenAPI document x every role set
 * x every kind of case, against a HAND-WRITTEN policy table below. Nothing here calls
 * libs/domain/src/access.ts: the table restates the README's "Who sees what" by hand, so
 * the code under test cannot agree with itself. An operation that appears in the
 * document without an entry here fails the test (and so does an entry for an operation
 * that is gone).
 *
 * Outcome classes: `ok` passed the access check (any answer but 401/403/404 and never
 * 5xx: a 400 for the deliberately harmless body, a 409 for the version guard), `404`
 * answered as a missing case, `403` refused for who you are, `401` not signed in.
 */
type Outcome = 'ok' | '404' | '403' | '401';

const SUBJECTS = [
  'researcher',
  'otherResearcher',
  'officer',
  'officerOwner',
  'export',
  'head',
  'delegate',
  'lead',
  'admin',
  'anonymous',
  'deactivated',
] as const;
type Subject = (typeof SUBJECTS)[number];
type Signed = Exclude<Subject, 'anonymous' | 'deactivated'>;

const KINDS = [
  'ownDraft',
  'withdrawnDraft',
  'submitted',
  'triaged',
  'signOff',
  'headsOwnSignOff',
  'signedApproved',
  'withdrawnAfterSubmit',
  'officerOwnDraft',
  'officerOwnSubmitted',
] as const;
type Kind = (typeof KINDS)[number];

/**
 * Who sees which case, by hand. R: sees it as the researcher (owner), S: staff view (staff,
 * not the owner), G: staff view as a signer (head or delegate; not staff), -: not at all.
 * Cases are owned by `researcher` (Physics) except headsOwnSignOff (the Physics head) and
 * officerOwn* (an officer who is also a Physics researcher). `delegate` is the Chemistry
 * head, deputising for Physics today.
 */
const SEES: Record<Signed, string> = {
  //               oD wD su tr so hO sA wS oO oS
  researcher: 'R  R  R  R  R  -  R  R  -  -',
  otherResearcher: '-  -  -  -  -  -  -  -  -  -',
  officer: '-  -  S  S  S  S  S  S  -  S',
  officerOwner: '-  -  S  S  S  S  S  S  R  R',
  export: '-  -  S  S  S  S  S  S  -  S',
  head: '-  -  -  -  G  R  G  -  -  -',
  delegate: '-  -  -  -  G  -  -  -  -  -',
  lead: '-  -  S  S  S  S  S  S  -  S',
  admin: '-  -  S  S  S  S  S  S  -  S',
};
const ROLES: Record<Signed, string[]> = {
  researcher: ['researcher'],
  otherResearcher: ['researcher'],
  officer: ['rsdo_officer'],
  officerOwner: ['rsdo_officer', 'researcher'],
  export: ['export_control'],
  head: ['researcher', 'department_head'],
  delegate: ['researcher', 'department_head'],
  lead: ['rsdo_lead', 'rsdo_officer'],
  admin: ['admin'],
};
const see = (s: Signed, k: Kind) => SEES[s].split(/\s+/)[KINDS.indexOf(k)] as 'R' | 'S' | 'G' | '-';

/** Per case operation: the outcome from what the subject sees of the case (hand-written rules). */
type CaseRule = (v: 'R' | 'S' | 'G' | '-', s: Signed, k: Kind) => Outcome;
const read: CaseRule = (v) => (v === '-' ? '404' : 'ok');
const staffPart: CaseRule = (v) => (v === 'S' || v === 'G' ? 'ok' : '404');
const staffRoles = (s: Signed) => ['officer', 'officerOwner', 'export', 'lead', 'admin'].includes(s);
const officerRoles = (s: Signed) => ['officer', 'officerOwner', 'lead'].includes(s);
const submittedKind = (k: Kind) => !['ownDraft', 'withdrawnDraft', 'officerOwnDraft'].includes(k);

const CASE_OPS: Record<string, CaseRule> = {
  'GET /api/cases/{id}': read,
  'GET /api/cases/{id}/events': read,
  'GET /api/cases/{id}/actions': read,
  'GET /api/cases/{id}/notes': read,
  'GET /api/cases/{id}/attachments': read,
  'GET /api/cases/{id}/answers': read,
  'GET /api/cases/{id}/changes': read,
  'GET /api/cases/{id}/risk': staffPart,
  // The evidence pack: the staff view gets the full pack, the owner the researcher copy; anyone else a 404.
  'GET /api/cases/{id}/evidence.pdf': read,
  'GET /api/cases/{id}/evidence.zip': read,
  // The delivery log: staff roles only (403 whatever the case), then the staff view.
  'GET /api/cases/{id}/notifications': (v, s) => (!staffRoles(s) ? '403' : v === 'S' ? 'ok' : '404'),
  // Only the owner edits a draft.
  'PATCH /api/cases/{id}': (v) => (v === '-' ? '404' : v === 'R' ? 'ok' : '403'),
  // Every visible case reaches the transition check (here: the stale version).
  'POST /api/cases/{id}/actions/{action}': read,
  // Internal notes: the staff view writes them; the owner (staff or not) may not.
  'POST /api/cases/{id}/notes': (v) => (v === '-' ? '404' : v === 'R' ? '403' : 'ok'),
  // The owner and the research office attach files; a signer does not.
  'POST /api/cases/{id}/attachments': (v) => (v === '-' ? '404' : v === 'G' ? '403' : 'ok'),
  // The precedent panel (issue 19): the staff view only.
  'GET /api/cases/{id}/precedents': staffPart,
  // People on a case: whoever sees the case reads them; the research team (R) and officers change them, a signer or other staff may not.
  'GET /api/cases/{id}/people': read,
  'POST /api/cases/{id}/people': (v, s) => (v === '-' ? '404' : v === 'R' ? 'ok' : v === 'S' && officerRoles(s) ? 'ok' : '403'),
  'PATCH /api/cases/{id}/people/{personId}': (v, s) => (v === '-' ? '404' : v === 'R' ? 'ok' : v === 'S' && officerRoles(s) ? 'ok' : '403'),
  // The probe's person id is on no case: 404 for everyone (the PI's own confirmation is in test/e2e/partner-register.e2e-spec.ts).
  'POST /api/cases/{id}/people/{personId}/confirm': () => '404',
  // Only the owner answers a re-review.
  'POST /api/cases/{id}/re-review': (v) => (v === '-' ? '404' : v === 'R' ? 'ok' : '403'),
  // Officers confirm hits on submitted cases they do not own.
  'POST /api/cases/{id}/flags/{flagId}/confirm': (v, s, k) => (!officerRoles(s) ? '403' : v === '-' || !submittedKind(k) ? '404' : v === 'R' ? '403' : 'ok'),
};

/** Attachments, by the case they are on and who may see internal files. */
const FILES = ['ownerFileOnSubmitted', 'internalFileOnSubmitted', 'fileOnWithdrawnDraft'] as const;
type FileKind = (typeof FILES)[number];
const FILE_CASE: Record<FileKind, Kind> = { ownerFileOnSubmitted: 'submitted', internalFileOnSubmitted: 'submitted', fileOnWithdrawnDraft: 'withdrawnDraft' };
const fileRead = (v: string, f: FileKind): Outcome => (v === '-' || (v === 'R' && f === 'internalFileOnSubmitted') ? '404' : 'ok');
const ATTACHMENT_OPS: Record<string, (v: 'R' | 'S' | 'G' | '-', f: FileKind) => Outcome> = {
  'GET /api/attachments/{attachmentId}': fileRead,
  'GET /api/attachments/{attachmentId}/content': fileRead,
  'POST /api/attachments/{attachmentId}/rescan': (v, f) => (fileRead(v, f) === '404' ? '404' : v === 'G' ? '403' : 'ok'),
};

/** Everything else: `public`, `any` signed-in person, or the roles allowed. */
const OTHER_OPS: Record<string, 'public' | 'any' | string[]> = {
  'GET /health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'POST /api/auth/logout': 'public',
  'POST /api/auth/accept-invitation': 'public',
  'POST /api/auth/forgot-password': 'public',
  'POST /api/auth/reset-password': 'public',
  'POST /api/auth/change-password': 'any',
  'GET /api/me': 'any',
  'GET /api/me/notification-preferences': 'any',
  'PUT /api/me/notification-preferences': 'any',
  'GET /api/cases': 'any',
  'POST /api/cases': ['researcher'],
  'GET /api/questionnaires': 'any',
  'GET /api/questionnaires/{version}': 'any',
  'GET /api/export-control/reference': 'any',
  'GET /api/export-control/check': 'any',
  'GET /api/departments': 'any',
  'POST /api/departments/{id}/delegates': 'any',
  'DELETE /api/departments/{id}/delegates/{delegateId}': 'any',
  'POST /api/screening/check': ['rsdo_officer', 'rsdo_lead', 'export_control'],
  'GET /api/screening/lists': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/screening/sources': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'POST /api/screening/sources': ['admin'],
  'PATCH /api/screening/sources/{sourceId}': ['admin'],
  'POST /api/screening/sources/{sourceId}/import': ['admin'],
  'GET /api/screening/sources/{sourceId}/versions': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/screening/versions/{versionId}': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/screening/versions/{versionId}/blast-radius': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/reports': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/staff': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/organisations': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/organisations/{id}': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'PATCH /api/organisations/{id}': ['rsdo_officer', 'rsdo_lead'],
  'POST /api/organisations/{id}/due-diligence': ['rsdo_officer', 'rsdo_lead'],
  'POST /api/organisations/{id}/merge': ['rsdo_officer', 'rsdo_lead'],
  'POST /api/organisations/{id}/documents': ['rsdo_officer', 'rsdo_lead'],
  'GET /api/organisations/{id}/documents/{documentId}/content': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/reports/case-list': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/reports/{name}': ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'],
  'GET /api/admin/audit/verify': ['admin', 'rsdo_lead'],
  'GET /api/admin/mail/status': ['admin'],
  'POST /api/admin/queue-board/session': ['admin'],
  'POST /api/admin/departments': ['admin'],
  'PUT /api/admin/departments/{id}/head': ['admin'],
  'GET /api/admin/users': ['admin'],
  'POST /api/admin/users': ['admin'],
  'PUT /api/admin/users/{id}/roles': ['admin'],
  'POST /api/admin/users/{id}/deactivate': ['admin'],
  'POST /api/admin/users/{id}/reactivate': ['admin'],
  'POST /api/admin/users/{id}/handover': ['admin'],
  'PUT /api/admin/users/{id}/department': ['admin'],
  'GET /api/admin/sla/policies': ['admin'],
  'PUT /api/admin/sla/policies/{stage}': ['admin'],
  'GET /api/admin/sla/settings': ['admin'],
  'PUT /api/admin/sla/settings': ['admin'],
  'GET /api/admin/sla/closure-days': ['admin'],
  'POST /api/admin/sla/closure-days': ['admin'],
  'DELETE /api/admin/sla/closure-days/{day}': ['admin'],
};

/** Harmless bodies: each passes validation where it can, and then stops at a check that changes nothing. */
const BODIES: Record<string, unknown> = {
  'PATCH /api/cases/{id}': { expectedVersion: 999_999 },
  'POST /api/cases/{id}/actions/{action}': { expectedVersion: 999_999 },
  'POST /api/cases/{id}/notes': { body: 'Access matrix probe.', visibility: 'internal' },
  'POST /api/cases/{id}/re-review': { outcome: 'no_change', expectedVersion: 999_999 },
  'POST /api/cases/{id}/flags/{flagId}/confirm': { route: 'lead', reason: 'Access matrix probe.' },
  'POST /api/cases/{id}/people': { name: 'Access matrix probe', role: 'partner_staff', expectedVersion: 999_999 },
  'PATCH /api/cases/{id}/people/{personId}': { expectedVersion: 999_999 },
};

/** `case`: a 404 is an answer about a case; `other`: a 404 is a missing resource (a random id), so it passed the check; `public`: no sign-in, so 401 (no session to refresh) is an answer too. */
interface Probe {
  op: string;
  who: Subject;
  where: string;
  expected: Outcome;
  scope: 'case' | 'other' | 'public';
}

function classify(status: number, scope: Probe['scope']): Outcome | '5xx' {
  if (status >= 500) return '5xx';
  if (status === 404 && scope !== 'case') return 'ok';
  if (status === 401 && scope === 'public') return 'ok';
  if (status === 401 || status === 403 || status === 404) return String(status) as Outcome;
  return 'ok';
}

describe('access matrix (OpenAPI operations x role sets x case kinds)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let doc: { paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema?: { enum?: string[] } }[] }>> };
  const cases = {} as Record<Kind, string>;
  const files = {} as Record<FileKind, string>;
  const tokens = new Map<Subject, string | null>();
  const EMAIL: Record<Signed, string> = {
    researcher: DEMO.researcher,
    otherResearcher: DEMO.researcher2,
    officer: DEMO.officer,
    officerOwner: DEMO.officer2,
    export: DEMO.exportOfficer,
    head: DEMO.headPhysics,
    delegate: DEMO.headChemistry,
    lead: DEMO.lead,
    admin: DEMO.admin,
  };
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const upload = async (email: string, caseId: string) => {
    const res = await t
      .http()
      .post(`/api/cases/${caseId}/attachments`)
      .set('Authorization', `Bearer ${await t.token(email)}`)
      .field('kind', 'other')
      .attach('file', pdf, 'probe.pdf');
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    doc = (await t.http().get('/api/docs-json')).body;
    await t.owner.query(
      `UPDATE app_user SET roles = '{rsdo_officer,researcher}', department_id = (SELECT id FROM department WHERE code = 'PHYS') WHERE email = $1`,
      [DEMO.officer2],
    );
    const physics = (await t.owner.query(`SELECT id FROM department WHERE code = 'PHYS'`))[0].id as string;
    const today = new Date().toISOString().slice(0, 10);
    await t.owner.query(`INSERT INTO department_delegate (department_id, delegate_user_id, starts_on, ends_on) VALUES ($1, $2, $3, $3)`, [
      physics,
      await t.userId(DEMO.headChemistry),
      today,
    ]);
    // A person who signed in and was then deactivated.
    await t.owner.query(
      `INSERT INTO app_user (email, name, password_hash, roles, department_id, active)
      SELECT 'gone@example.ac.uk', 'Gone Away', password_hash, '{rsdo_officer,researcher}', department_id, true FROM app_user WHERE email = $1`,
      [DEMO.officer],
    );
    const goneToken = await t.token('gone@example.ac.uk');
    await t.owner.query(`UPDATE app_user SET active = false WHERE email = 'gone@example.ac.uk'`);

    const medium = { riskLevel: 'medium', exportControlRelevant: false };
    cases.ownDraft = (await d.draft(DEMO.researcher)).id;
    cases.withdrawnDraft = (await d.draft(DEMO.researcher)).id;
    files.fileOnWithdrawnDraft = await upload(DEMO.researcher, cases.withdrawnDraft);
    await d.ok(DEMO.researcher, cases.withdrawnDraft, 'withdraw', { reason: 'Not going ahead.' });
    cases.submitted = (await d.submitted(DEMO.researcher)).id;
    files.ownerFileOnSubmitted = await upload(DEMO.researcher, cases.submitted);
    files.internalFileOnSubmitted = await upload(DEMO.officer, cases.submitted);
    cases.triaged = (await d.triaged(DEMO.researcher, medium)).id;
    cases.signOff = (await d.triaged(DEMO.researcher, medium)).id;
    await d.ok(DEMO.officer, cases.signOff, 'request_sign_off', { decisionText: 'Proceed.' });
    cases.headsOwnSignOff = (await d.triaged(DEMO.headPhysics, medium)).id;
    await d.ok(DEMO.officer, cases.headsOwnSignOff, 'request_sign_off', { decisionText: 'Proceed.' });
    cases.signedApproved = (await d.triaged(DEMO.researcher, medium)).id;
    await d.ok(DEMO.officer, cases.signedApproved, 'request_sign_off', { decisionText: 'Proceed.' });
    await d.ok(DEMO.headPhysics, cases.signedApproved, 'endorse', {});
    cases.withdrawnAfterSubmit = (await d.submitted(DEMO.researcher)).id;
    await d.ok(DEMO.researcher, cases.withdrawnAfterSubmit, 'withdraw', { reason: 'Not going ahead.' });
    cases.officerOwnDraft = (await d.draft(DEMO.officer2)).id;
    cases.officerOwnSubmitted = (await d.submitted(DEMO.officer2)).id;

    for (const s of SUBJECTS) {
      if (s === 'anonymous') tokens.set(s, null);
      else if (s === 'deactivated') tokens.set(s, goneToken);
      else tokens.set(s, await t.token(EMAIL[s]));
    }
  }, 300_000);
  afterAll(() => t?.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
    );

  it('has a hand-written entry for every operation of the OpenAPI document, and none for operations that are gone', () => {
    const inDoc = operations()
      .map((o) => o.key)
      .sort();
    const inTable = [...Object.keys(CASE_OPS), ...Object.keys(ATTACHMENT_OPS), ...Object.keys(OTHER_OPS)].sort();
    expect(inDoc.filter((k) => !inTable.includes(k))).toEqual([]);
    expect(inTable.filter((k) => !inDoc.includes(k))).toEqual([]);
  });

  it('lists agree with the table too: GET /api/cases holds exactly the cases each person sees, without riskLevel on their own', async () => {
    const wrong: string[] = [];
    for (const who of SUBJECTS) {
      if (who === 'anonymous' || who === 'deactivated') continue;
      const rows: { id: string; riskLevel?: unknown }[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: { items: { id: string; riskLevel?: unknown }[]; nextCursor: string | null } } = await t
          .http()
          .get(`/api/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set('Authorization', `Bearer ${tokens.get(who)}`);
        expect(res.status).toBe(200);
        rows.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      for (const k of KINDS) {
        const row = rows.find((r) => r.id === cases[k]);
        const v = see(who, k);
        if ((v === '-') !== (row === undefined)) wrong.push(`${who} on ${k}: table says ${v}, list ${row ? 'has' : 'lacks'} it`);
        if (row && v === 'R' && 'riskLevel' in row) wrong.push(`${who} on ${k}: riskLevel on their own row`);
        if (row && v !== 'R' && !('riskLevel' in row)) wrong.push(`${who} on ${k}: staff view without riskLevel`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers every operation x role set x case kind as the policy table says', async () => {
    const probes: (Probe & { method: string; url: string; body?: unknown; file?: boolean })[] = [];
    const fill = (path: string, op: { parameters?: { name: string; in: string; schema?: { enum?: string[] } }[] }, ids: Record<string, string>) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (ids[name]) return ids[name];
        const p = op.parameters?.find((x) => x.name === name && x.in === 'path');
        if (p?.schema?.enum?.length) return p.schema.enum[0];
        if (name === 'version') return '1';
        if (name === 'day') return '2099-12-25';
        if (name === 'stage') return 'triage';
        return randomUUID();
      });
    // Sign-in endpoints last: a logout may end the session its token belongs to.
    const ordered = operations().sort((a, b) => Number(a.path.startsWith('/api/auth/')) - Number(b.path.startsWith('/api/auth/')));
    for (const { key, method, path, op } of ordered) {
      for (const who of SUBJECTS) {
        const signedIn = who !== 'anonymous' && who !== 'deactivated';
        if (CASE_OPS[key]) {
          for (const k of KINDS) {
            const expected: Outcome = signedIn ? CASE_OPS[key](see(who, k), who, k) : '401';
            probes.push({
              op: key,
              who,
              where: k,
              expected,
              method,
              url: fill(path, op, { id: cases[k], action: 'submit' }),
              scope: 'case',
              body: BODIES[key],
              file: key === 'POST /api/cases/{id}/attachments',
            });
          }
        } else if (ATTACHMENT_OPS[key]) {
          for (const f of FILES) {
            const expected: Outcome = signedIn ? ATTACHMENT_OPS[key](see(who, FILE_CASE[f]), f) : '401';
            probes.push({ op: key, who, where: f, expected, method, scope: 'case', url: fill(path, op, { attachmentId: files[f] }) });
          }
        } else {
          const rule = OTHER_OPS[key];
          const expected: Outcome = rule === 'public' ? 'ok' : !signedIn ? '401' : rule === 'any' || rule.some((r) => ROLES[who].includes(r)) ? 'ok' : '403';
          probes.push({
            op: key,
            who,
            where: '-',
            expected,
            scope: rule === 'public' ? 'public' : 'other',
            method,
            url: fill(path, op, {}),
            body: method === 'get' ? undefined : {},
          });
        }
      }
    }

    const wrong: string[] = [];
    const send = async (p: (typeof probes)[number]) => {
      let req = (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[p.method](p.url);
      const tok = tokens.get(p.who);
      if (tok) req = req.set('Authorization', `Bearer ${tok}`);
      if (p.file) req = req.field('kind', 'other').attach('file', pdf, 'probe.pdf');
      else if (p.body !== undefined) req = req.send(p.body as object);
      const res = await req;
      const got = classify(res.status, p.scope);
      if (got !== p.expected)
        wrong.push(`${p.op} as ${p.who} on ${p.where}: expected ${p.expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
    };
    // Sequential per operation (auth last), batched within it.
    const BATCH = 24;
    for (let i = 0; i < probes.length; i += BATCH) {
      const batch = probes.slice(i, i + BATCH);
      const auth = batch.some((p) => p.op.startsWith('POST /api/auth/'));
      if (auth) for (const p of batch) await send(p);
      else await Promise.all(batch.map(send));
    }
    console.log(
      `access matrix: ${probes.length} requests, ${operations().length} operations, ${SUBJECTS.length} role sets, ${KINDS.length} case kinds, ${FILES.length} attachment kinds; ${wrong.length} wrong`,
    );
    expect(wrong).toEqual([]);
  }, 300_000);
});
