import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { CaseDriver, completeAnswers, createTestApp, DEMO, eventually, SmtpSink, startWorker, TestApp } from '@app/testing';

const LISTS = join(__dirname, '../../fixtures/screening/custom-lists');
const ASPI = readFileSync(join(LISTS, 'aspi-china-defence-universities.SAMPLE.csv'), 'utf8');
const NRO = readFileSync(join(LISTS, 'canada-named-research-organizations.SAMPLE.csv'), 'utf8');

jest.setTimeout(120_000);

/**
 * Screening that continues (issue 19), through the API, the worker's job schedulers,
 * the real database, Redis and SMTP: list sources with versioned diffs, remembered
 * false positives, rescreening of approved collaborations and the blast radius.
 */
describe('continuous screening', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;
  let admin: string;
  // The import folder (SCREENING_IMPORT_DIR) the scheduled source's file lives in.
  const dir = mkdtempSync(join(tmpdir(), 'nro-'));
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url, SCREENING_IMPORT_DIR: dir });
    d = new CaseDriver(t);
    // Short periods so the test does not wait a day: schedules synced every 300 ms, each source imported every second.
    worker = await startWorker(t.config, { listSyncEveryMs: 300, listCadenceMs: 1000 });
    admin = await t.token(DEMO.admin);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink?.close();
  });

  const api = () => t.http();
  const createSource = async (body: Record<string, unknown>) => {
    const res = await api().post('/api/screening/sources').set('Authorization', `Bearer ${admin}`).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string };
  };
  const upload = async (sourceId: string, csv: string, name = 'list.csv') => {
    const res = await api().post(`/api/screening/sources/${sourceId}/import`).set('Authorization', `Bearer ${admin}`).attach('file', Buffer.from(csv), name);
    expect(res.status).toBe(200);
    return res.body as {
      listVersionId: string;
      added: number;
      removed: number;
      changed: number;
      unchanged: boolean;
      rescreenedCases: number;
      newHits: number;
      rememberedHits: number;
      blastRadius: number;
    };
  };
  const screeningFlags = async (caseId: string) =>
    ((await d.get(DEMO.officer, `/api/cases/${caseId}`)).body.flags as { id: string; kind: string; status: string; reason: string }[]).filter(
      (f) => f.kind === 'screening',
    );

  it('refuses bad source input with a sentence naming the field, and researchers altogether', async () => {
    const bad = await api().post('/api/screening/sources').set('Authorization', `Bearer ${admin}`).send({ name: 'x', listKind: 'nope', cadenceMinutes: 0 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/listKind must be one of/);
    expect(JSON.stringify(bad.body)).toMatch(/cadenceMinutes must be at least 1/);
    const researcher = await api()
      .get('/api/screening/sources')
      .set('Authorization', `Bearer ${await t.token(DEMO.researcher)}`);
    expect(researcher.status).toBe(403);
    const officerWrite = await api()
      .post('/api/screening/sources')
      .set('Authorization', `Bearer ${await t.token(DEMO.officer)}`)
      .send({ name: 'y', listKind: 'watch_list' });
    expect(officerWrite.status).toBe(403);
    const src = await createSource({ name: 'Empty upload test', listKind: 'watch_list' });
    const noFile = await api().post(`/api/screening/sources/${src.id}/import`).set('Authorization', `Bearer ${admin}`);
    expect(noFile.status).toBe(400);
    expect(noFile.body.message).toMatch(/^file: /);
    const badCsv = await api()
      .post(`/api/screening/sources/${src.id}/import`)
      .set('Authorization', `Bearer ${admin}`)
      .attach('file', Buffer.from('id,name,aliases,country,rating,notes\nX1,Foo,,CN,extreme,\n'), 'bad.csv');
    expect(badCsv.status).toBe(400);
    expect(badCsv.body.message).toMatch(/rating "extreme"/);
  });

  it('a false positive cleared on version N is not raised again on re-import of the same entry, and is raised when the entry changes', async () => {
    const src = await createSource({
      name: 'ASPI China Defence Universities Tracker (sample)',
      listKind: 'watch_list',
      publisherUrl: 'https://unitracker.aspi.org.au/',
    });
    const v1 = await upload(src.id, ASPI, 'aspi-v1.csv');
    expect(v1).toMatchObject({ unchanged: false, added: 4, removed: 0, changed: 0 });

    const c = await d.draft(
      DEMO.researcher,
      'Polymers with ZJU',
      completeAnswers({ partners: [{ name: 'Zhejiang University', country: 'CN', type: 'university' }] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    const [flag] = await screeningFlags(c.id);
    expect(flag.status).toBe('open');
    expect(flag.reason).toContain('ASPI China Defence Universities Tracker (sample)');
    await d.ok(DEMO.officer, c.id, 'clear_flag', {
      flagId: flag.id,
      resolution: 'false_positive',
      reason: 'Zhejiang University of Technology, a different body.',
    });
    const [decision] = await t.owner.query(`SELECT subject_key, external_id, content_hash FROM screening_decision WHERE case_id = $1`, [c.id]);
    // Remembered against the organisation record the case links to, not the name as the case gave it.
    const [link] = await t.owner.query(`SELECT organisation_id FROM case_organisation WHERE case_id = $1 AND role = 'partner'`, [c.id]);
    expect(decision).toMatchObject({ subject_key: `organisation:${link.organisation_id}`, external_id: 'ASPI-S03' });
    expect(decision.content_hash).toMatch(/^[0-9a-f]{64}$/);

    // Version N+1: another entry changes; ZJU's entry is the same → remembered, no flag.
    const v2 = await upload(src.id, ASPI.replace('ASPI-S04,Tsinghua University,THU,CN,high', 'ASPI-S04,Tsinghua University,THU,CN,very_high'), 'aspi-v2.csv');
    expect(v2).toMatchObject({ unchanged: false, added: 0, removed: 0, changed: 1 });
    expect(v2.rescreenedCases).toBeGreaterThanOrEqual(1);
    expect(v2.rememberedHits).toBeGreaterThanOrEqual(1);
    expect((await screeningFlags(c.id)).filter((f) => f.status === 'open')).toEqual([]);
    const risk = await d.get(DEMO.officer, `/api/cases/${c.id}/risk`);
    const remembered = risk.body.screeningHits.filter((h: { decisionId: string | null; listVersionId: string }) => h.listVersionId === v2.listVersionId);
    expect(remembered).toHaveLength(1);
    expect(remembered[0].decisionId).toBeTruthy();
    const diff = await api()
      .get(`/api/screening/versions/${v2.listVersionId}`)
      .set('Authorization', `Bearer ${await t.token(DEMO.officer)}`);
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([
      expect.objectContaining({ change: 'changed', externalId: 'ASPI-S04', changes: [{ field: 'rating', before: 'high', after: 'very_high' }] }),
    ]);

    // Version N+2: ZJU's entry gains an alias → raised again, saying what changed.
    const v3 = await upload(src.id, ASPI.replace('ASPI-S03,Zhejiang University,ZJU,', 'ASPI-S03,Zhejiang University,ZJU; Zheda,'), 'aspi-v3.csv');
    expect(v3).toMatchObject({ changed: 2 });
    expect(v3.newHits).toBeGreaterThanOrEqual(1);
    const open = (await screeningFlags(c.id)).filter((f) => f.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0].reason).toMatch(/changed since it was cleared as a false positive on \d{1,2} [A-Z][a-z]+ \d{4}: names and aliases: added zheda \(alias\)/);
    const versions = await api().get(`/api/screening/sources/${src.id}/versions`).set('Authorization', `Bearer ${admin}`);
    expect(versions.body.items.map((v: { changedCount: number }) => v.changedCount)).toEqual([2, 1, 0]);
  });

  it('a scheduled import of a changed list rescreens an approved case from two years ago, shows it in the blast radius and mails its officer', async () => {
    const file = join(dir, 'nro.csv');
    const withoutAms = NRO.split('\n')
      .filter((l) => !l.startsWith('CA-NRO-S02'))
      .join('\n');
    writeFileSync(file, withoutAms);

    // Approved two years ago, running three years: still screened.
    const partner = { name: 'Academy of Military Sciences', country: 'CN', type: 'university' };
    const approved = await d.draft(
      DEMO.researcher,
      'Materials with AMS',
      completeAnswers({ partners: [partner], startDate: '2024-12-01', endDate: '2027-11-30' }),
    );
    await d.ok(DEMO.researcher, approved.id, 'submit');
    await d.ok(DEMO.officer, approved.id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    await d.ok(DEMO.officer, approved.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    await d.ok(DEMO.officer, approved.id, 'approve', { decisionText: 'Approved.' });
    await t.owner.query(`UPDATE collaboration_case SET created_at = now() - interval '2 years', submitted_at = now() - interval '2 years' WHERE id = $1`, [
      approved.id,
    ]);
    // A closed case with the same partner: not rescreened, but in the blast radius.
    const withdrawn = await d.draft(DEMO.researcher2, 'Old AMS idea', completeAnswers({ partners: [partner] }));
    await d.ok(DEMO.researcher2, withdrawn.id, 'submit');
    await d.ok(DEMO.researcher2, withdrawn.id, 'withdraw', { reason: 'Not going ahead.' });

    const src = await createSource({
      name: 'Canadian Named Research Organizations (sample)',
      listKind: 'watch_list',
      location: file,
      cadenceMinutes: 1440,
      publisherUrl: 'https://science.gc.ca/',
    });
    const versions = async () =>
      (await api().get(`/api/screening/sources/${src.id}/versions`).set('Authorization', `Bearer ${admin}`)).body.items as {
        id: string;
        addedCount: number;
        trigger: string;
        rescreenedCases: number | null;
        blastCount: number;
      }[];
    const first = await eventually(
      async () => (await versions()).length === 1 && (await versions())[0].rescreenedCases !== null,
      30_000,
      'the first scheduled import',
    );
    expect(first).toBe(true);
    expect((await versions())[0]).toMatchObject({ addedCount: 3, trigger: 'scheduled' });
    expect(await screeningFlags(approved.id)).toEqual([]);

    writeFileSync(file, NRO);
    const v2 = (await eventually(
      async () => {
        const vs = await versions();
        return vs.length === 2 && vs[0].blastCount > 0 ? vs[0] : null;
      },
      30_000,
      'the scheduled import of the changed list',
    )) as { id: string };
    expect(v2).toMatchObject({ addedCount: 1, trigger: 'scheduled' });

    // The approved case was rescreened: a blocking flag on it, and a rescreen event.
    const flags = await screeningFlags(approved.id);
    expect(flags).toHaveLength(1);
    expect(flags[0].reason).toContain('Academy of Military Sciences');
    const events = (await d.get(DEMO.officer, `/api/cases/${approved.id}/events`)).body.items.map((e: { action: string }) => e.action);
    expect(events).toContain('rescreen');
    expect(await screeningFlags(withdrawn.id)).toEqual([]);

    const blast = await api()
      .get(`/api/screening/versions/${v2.id}/blast-radius`)
      .set('Authorization', `Bearer ${await t.token(DEMO.officer)}`);
    expect(blast.status).toBe(200);
    const byCase = new Map(blast.body.items.map((b: { caseId: string; caseState: string; change: string; externalId: string }) => [b.caseId, b]));
    expect(byCase.get(approved.id)).toMatchObject({ caseState: 'approved', change: 'added', externalId: 'CA-NRO-S02', subject: partner.name });
    expect(byCase.get(withdrawn.id)).toMatchObject({ caseState: 'withdrawn' });

    // The assignee's email lists the approved case and suggests suspending it.
    const isBlast = (m: { subject: string; to: string[] }) =>
      m.subject.startsWith('Screening list update') && m.subject.includes('Canadian Named Research Organizations') && m.to.includes(DEMO.officer);
    await sink.waitFor((ms) => ms.some(isBlast), 30_000, 'the blast-radius email');
    const mail = sink.messages.find(isBlast)!;
    expect(mail.text).toContain('Canadian Named Research Organizations (sample)');
    expect(mail.text).toMatch(/approved\): "Academy of Military Sciences" matches Academy of Military Sciences \(added\)/);
    expect(mail.text).toContain('consider suspending the approval');
    expect(mail.text).toContain(`/screening/lists/versions/${v2.id}`);

    // The worker keeps one job scheduler for the source.
    const { JobQueue, QueueName, jobIds } = await import('@app/queue');
    const q = await JobQueue.connect(t.config);
    try {
      expect(await q.queue(QueueName.Screening).getJobScheduler(jobIds.screeningSource(src.id))).toBeTruthy();
    } finally {
      await q.close();
    }
  });
});
