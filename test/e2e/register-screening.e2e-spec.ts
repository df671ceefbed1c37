import { ScreeningService } from '@app/screening';
import { CaseDriver, completeAnswers, completeV3Answers as v3, createTestApp, DEMO, SmtpSink, TestApp } from '@app/testing';

jest.setTimeout(120_000);

const HEADER = 'id,name,aliases,country,rating,notes';
const row = {
  funder: 'RS-F1,Northern Star Defence Foundation,NSDF,CN,high,test row',
  lab: 'RS-L1,Harbin Marine Engineering Laboratory,HMEL,CN,very_high,test row',
  labAlias: 'RS-L1,Harbin Marine Engineering Laboratory,HMEL; Harbin Marine Lab,CN,very_high,test row',
  fund: 'RS-P1,Pacific Rim Strategic Fund,PRSF,HK,high,test row',
  other: 'RS-O1,Unrelated Listed Body,,RU,medium,test row',
  otherChanged: 'RS-O1,Unrelated Listed Body,,RU,high,test row',
};
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

/**
 * Continuous screening over the partner register (issue 19): funders are screened like
 * partners; a re-import rescreens organisation and person records (one check per
 * record, however many cases link to it); a false positive is remembered against the
 * organisation, so it holds for every case linked to it; the blast radius reaches an
 * approved case whose funder is newly listed.
 */
describe('screening the partner register', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let admin: string;
  let sourceId: string;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    d = new CaseDriver(t);
    admin = await t.token(DEMO.admin);
    const res = await t
      .http()
      .post('/api/screening/sources')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'Register test list', listKind: 'watch_list' });
    expect(res.status).toBe(201);
    sourceId = res.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  const upload = async (body: string) => {
    const res = await t
      .http()
      .post(`/api/screening/sources/${sourceId}/import`)
      .set('Authorization', `Bearer ${admin}`)
      .attach('file', Buffer.from(body), 'list.csv');
    expect(res.status).toBe(200);
    return res.body as { listVersionId: string; rescreenedCases: number; newHits: number; rememberedHits: number; blastRadius: number };
  };
  const flags = async (caseId: string) =>
    ((await d.get(DEMO.officer, `/api/cases/${caseId}`)).body.flags as { id: string; kind: string; status: string; reason: string }[]).filter(
      (f) => f.kind === 'screening',
    );
  const openFlags = async (caseId: string) => (await flags(caseId)).filter((f) => f.status === 'open');
  const hits = async (caseId: string) =>
    (await d.get(DEMO.officer, `/api/cases/${caseId}/risk`)).body.screeningHits as {
      subject: string;
      subjectKind: string;
      entryName: string;
      decisionId: string | null;
      listVersionId: string;
    }[];
  const orgId = async (caseId: string, role: string) =>
    (await t.owner.query(`SELECT organisation_id AS id FROM case_organisation WHERE case_id = $1 AND role = $2`, [caseId, role]))[0].id as string;
  async function submitted(title: string, answers: Record<string, unknown>, owner: string = DEMO.researcher) {
    const c = await d.draft(owner, title, answers);
    await d.ok(owner, c.id, 'submit');
    return c;
  }
  /** Counts the screening checks per name while `run` runs (the real check still runs). */
  async function countChecks<T>(run: () => Promise<T>): Promise<{ result: T; checks: Map<string, number> }> {
    const svc = t.app.get(ScreeningService);
    const spy = jest.spyOn(svc, 'checkDetailed');
    try {
      const result = await run();
      const checks = new Map<string, number>();
      for (const [, q] of spy.mock.calls) checks.set(q.name, (checks.get(q.name) ?? 0) + 1);
      return { result, checks };
    } finally {
      spy.mockRestore();
    }
  }

  it('a funder on a list raises a blocking flag on submit, the hit marked as a funder and kept against the organisation record', async () => {
    await upload(csv(row.funder, row.other));
    const c = await submitted(
      'Sensors funded by NSDF',
      v3({
        partners: [{ name: 'Clean Partner University', country: 'DE', type: 'university' }],
        funders: [{ name: 'Northern Star Defence Foundation', country: 'CN', type: 'foreign_company' }],
      }),
    );
    const open = await openFlags(c.id);
    expect(open).toHaveLength(1);
    expect(open[0].reason).toContain('"Northern Star Defence Foundation" matches');
    const [hit] = await hits(c.id);
    expect(hit).toMatchObject({ subject: 'Northern Star Defence Foundation', subjectKind: 'funder', entryName: 'Northern Star Defence Foundation' });
    const [key] = await t.owner.query(`SELECT subject_key FROM screening_hit WHERE case_id = $1`, [c.id]);
    expect(key.subject_key).toBe(`organisation:${await orgId(c.id, 'funder')}`);
    // The organisation page's screening history shows the funder's hit.
    const page = await d.get(DEMO.officer, `/api/organisations/${await orgId(c.id, 'funder')}`);
    expect(page.body.screening.map((h: { caseId: string }) => h.caseId)).toEqual([c.id]);
  });

  it('a re-import rescreens organisation records: cases sharing one organisation (a merged one too) all get the hit, the record screened once; a false positive is remembered per organisation across cases', async () => {
    const lab = { name: 'Harbin Marine Engineering Laboratory', country: 'CN', type: 'research_institute' };
    const one = await submitted('Hulls one', completeAnswers({ partners: [lab] }));
    const two = await submitted('Hulls two', completeAnswers({ partners: [{ ...lab, name: 'HARBIN MARINE ENGINEERING LABORATORY' }] }), DEMO.researcher2);
    // Registered apart (another spelling), then merged by an officer into the first record.
    const three = await submitted('Hulls three', completeAnswers({ partners: [{ ...lab, name: 'Harbin Marine Eng. Lab' }] }));
    const lab1 = await orgId(one.id, 'partner');
    expect(await orgId(two.id, 'partner')).toBe(lab1);
    const lab3 = await orgId(three.id, 'partner');
    expect(lab3).not.toBe(lab1);
    const merge = await t
      .http()
      .post(`/api/organisations/${lab3}/merge`)
      .set('Authorization', `Bearer ${await t.token(DEMO.officer)}`)
      .send({ intoId: lab1 });
    expect(merge.status).toBe(200);
    // An older case whose partner was never linked to a record: still screened, from its answers.
    const old = await submitted('Hulls before the register', completeAnswers({ partners: [lab] }));
    await t.owner.query(`DELETE FROM case_organisation WHERE case_id = $1`, [old.id]);

    const { result: v, checks } = await countChecks(() => upload(csv(row.funder, row.other, row.lab)));
    expect(v.newHits).toBeGreaterThanOrEqual(4);
    for (const c of [one, two, three, old]) {
      const open = await openFlags(c.id);
      expect(open).toHaveLength(1);
      expect(open[0].reason).toContain('Harbin Marine Engineering Laboratory');
    }
    // One record, one check (the rescreen and the blast radius share it); the merged record's own name is not screened.
    expect(checks.get('Harbin Marine Engineering Laboratory')).toBe(1);
    expect(checks.get('HARBIN MARINE ENGINEERING LABORATORY')).toBeUndefined();
    expect(checks.get('Harbin Marine Eng. Lab')).toBeUndefined();
    const keys = await t.owner.query(`SELECT case_id AS "caseId", subject_key AS key FROM screening_hit WHERE list_version_id = $1 ORDER BY case_id`, [
      v.listVersionId,
    ]);
    const keyOf = new Map(keys.map((k: { caseId: string; key: string }) => [k.caseId, k.key]));
    for (const c of [one, two, three]) expect(keyOf.get(c.id)).toBe(`organisation:${lab1}`);
    expect(keyOf.get(old.id)).toMatch(/^name:organisation:.*:CN$/);

    // Cleared as a false positive on one case: remembered against the organisation.
    const [flag] = await openFlags(one.id);
    await d.ok(DEMO.officer, one.id, 'clear_flag', { flagId: flag.id, resolution: 'false_positive', reason: 'A different, civilian laboratory.' });
    const decisions = await t.owner.query(`SELECT subject_key AS key, external_id AS "externalId" FROM screening_decision WHERE case_id = $1`, [one.id]);
    expect(decisions).toEqual([{ key: `organisation:${lab1}`, externalId: 'RS-L1' }]);
    for (const c of [two, three]) {
      const [f] = await openFlags(c.id);
      await d.ok(DEMO.officer, c.id, 'clear_flag', { flagId: f.id, resolution: 'resolved', reason: 'Covered by the decision on Hulls one.' });
    }

    // A new case naming the merged record's spelling joins the organisation: the remembered decision holds, no flag.
    const four = await submitted('Hulls four', completeAnswers({ partners: [{ ...lab, name: 'Harbin Marine Eng. Lab' }] }), DEMO.researcher2);
    expect(await orgId(four.id, 'partner')).toBe(lab1);
    expect(await openFlags(four.id)).toEqual([]);
    const fourHits = await hits(four.id);
    expect(fourHits).toHaveLength(1);
    expect(fourHits[0]).toMatchObject({ subject: 'Harbin Marine Engineering Laboratory', subjectKind: 'organisation' });
    expect(fourHits[0].decisionId).toBeTruthy();

    // Re-import with another entry changed, the laboratory's unchanged: no case linked to the organisation is flagged again.
    const same = await upload(csv(row.funder, row.otherChanged, row.lab));
    expect(same.rememberedHits).toBeGreaterThanOrEqual(4);
    for (const c of [one, two, three, four]) expect(await openFlags(c.id)).toEqual([]);

    // The laboratory's entry gains an alias: raised again on every linked case, saying what changed.
    await upload(csv(row.funder, row.otherChanged, row.labAlias));
    for (const c of [one, two, three, four]) {
      const open = await openFlags(c.id);
      expect(open).toHaveLength(1);
      expect(open[0].reason).toMatch(
        /changed since it was cleared as a false positive on \d{1,2} [A-Z][a-z]+ \d{4}: names and aliases: added harbin marine lab \(alias\)/,
      );
    }
  });

  it('an approved case from two years ago whose funder is newly listed is rescreened and in the blast radius; one past its end date and re-review period only in the blast radius', async () => {
    const funded = (title: string, dates: Record<string, string>) =>
      d.draft(
        DEMO.researcher,
        title,
        v3({
          partners: [{ name: 'Clean Partner University', country: 'DE', type: 'university' }],
          funders: [{ name: 'Pacific Rim Strategic Fund', country: 'HK', type: 'foreign_company' }],
          ...dates,
        }),
      );
    const approve = async (id: string) => {
      await d.ok(DEMO.researcher, id, 'submit');
      await d.ok(DEMO.officer, id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
      await d.ok(DEMO.officer, id, 'triage', { riskLevel: 'low', exportControlRelevant: false, comment: 'Basic research; no export.' });
      await d.ok(DEMO.officer, id, 'approve', { decisionText: 'Approved.' });
      await t.owner.query(`UPDATE collaboration_case SET created_at = now() - interval '2 years', submitted_at = now() - interval '2 years' WHERE id = $1`, [
        id,
      ]);
    };
    const running = await funded('Running with PRSF', { startDate: '2024-12-01', endDate: '2027-11-30' });
    await approve(running.id);
    const ended = await funded('Long over with PRSF', { startDate: '2015-01-01', endDate: '2016-12-31' });
    await approve(ended.id);
    expect(await openFlags(running.id)).toEqual([]);

    const v = await upload(csv(row.funder, row.otherChanged, row.labAlias, row.fund));
    expect(v.blastRadius).toBeGreaterThanOrEqual(2);
    const open = await openFlags(running.id);
    expect(open).toHaveLength(1);
    expect(open[0].reason).toContain('"Pacific Rim Strategic Fund" matches');
    expect((await hits(running.id)).map((h) => h.subjectKind)).toEqual(['funder']);
    expect(await openFlags(ended.id)).toEqual([]);

    const blast = await t
      .http()
      .get(`/api/screening/versions/${v.listVersionId}/blast-radius`)
      .set('Authorization', `Bearer ${await t.token(DEMO.officer)}`);
    expect(blast.status).toBe(200);
    const fund = await orgId(running.id, 'funder');
    const byCase = new Map(blast.body.items.map((b: { caseId: string }) => [b.caseId, b]));
    expect(byCase.get(running.id)).toMatchObject({
      caseState: 'approved',
      externalId: 'RS-P1',
      subject: 'Pacific Rim Strategic Fund',
      subjectKey: `organisation:${fund}`,
    });
    expect(byCase.get(ended.id)).toMatchObject({ caseState: 'approved', externalId: 'RS-P1', subjectKey: `organisation:${fund}` });
  });
});
