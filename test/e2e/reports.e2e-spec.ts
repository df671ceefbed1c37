import ExcelJS from 'exceljs';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';

type Table = { name: string; columns: { key: string; label: string }[]; rows: Record<string, string | number | null>[] };

/** Staff reports through the real API and database: figures, filters, access, downloads. */
describe('reports', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const report = async (query: string, email: string = DEMO.officer) => d.get(email, `/api/reports${query}`);
  const table = (body: { tables: Table[] }, name: string) => body.tables.find((x) => x.name === name)!;
  const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  };

  it('records each stay in a state as the case moves (the trigger on the audit chain)', async () => {
    const c = await d.triaged();
    const rows = await t.owner.query(`SELECT stage, left_at IS NULL AS open FROM case_stage_interval WHERE case_id = $1 ORDER BY entered_at, id`, [c.id]);
    expect(rows).toEqual([
      { stage: 'draft', open: false },
      { stage: 'submitted', open: false },
      { stage: 'triaged', open: true },
    ]);
  });

  it('measures time in stage in business time on the SLA calendar, and compliance against the stage target', async () => {
    // Two cases submitted in March 2026 (Europe/London, GMT), with known stays.
    const a = await d.triaged(DEMO.researcher);
    const b = await d.triaged(DEMO.researcher);
    for (const id of [a.id, b.id]) {
      await t.owner.query(`DELETE FROM case_stage_interval WHERE case_id = $1`, [id]);
      await t.owner.query(`UPDATE collaboration_case SET submitted_at = '2026-03-02T09:00:00Z' WHERE id = $1`, [id]);
    }
    // a: submitted Mon 09:00 -> Mon 13:00 (0.5 wd); triaged Mon 13:00 -> Wed 13:00 (2 wd), over a weekend nothing.
    // b: submitted Fri 6 Mar 15:00 -> Fri 13 Mar 11:00: Fri 2h + Mon-Thu 32h + Fri 2h = 36h = 4.5 wd (target 3wd: breached).
    await t.owner.query(
      `INSERT INTO case_stage_interval (case_id, stage, entered_at, left_at) VALUES
        ($1, 'submitted', '2026-03-02T09:00:00Z', '2026-03-02T13:00:00Z'),
        ($1, 'triaged',   '2026-03-02T13:00:00Z', '2026-03-04T13:00:00Z'),
        ($1, 'approved',  '2026-03-04T13:00:00Z', NULL),
        ($2, 'submitted', '2026-03-06T15:00:00Z', '2026-03-13T11:00:00Z'),
        ($2, 'triaged',   '2026-03-13T11:00:00Z', NULL)`,
      [a.id, b.id],
    );
    const res = await report('?from=2026-03-01&to=2026-03-31');
    expect(res.status).toBe(200);
    expect(res.body.range).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    const times = table(res.body, 'stage-times');
    expect(times.rows.find((r) => r.stage === 'Submitted')).toMatchObject({ completed: 2, p50: 2.5, max: 4.5, open: 0 });
    expect(times.rows.find((r) => r.stage === 'Triaged')).toMatchObject({ completed: 1, p50: 2, p90: 2, max: 2, open: 1 });
    const sla = table(res.body, 'sla');
    expect(sla.rows.find((r) => r.stage === 'Submitted')).toMatchObject({ target: '3wd', completed: 2, onTime: 1, breached: 1, onTimePct: 50 });
    expect(sla.rows.find((r) => r.stage === 'Triaged')).toMatchObject({ completed: 1, onTime: 1, breached: 0 });
    const volumes = table(res.body, 'volumes');
    expect(volumes.rows).toEqual([expect.objectContaining({ month: '2026-03', triaged: 2, total: 2 })]);
  });

  it('filters by partner country and NSI area, counts partner countries, outcomes and the open backlog', async () => {
    const cn = await d.draft(
      DEMO.researcher,
      'Quantum sensing with Tsinghua',
      completeAnswers({
        partners: [{ name: 'Tsinghua University', country: 'CN', type: 'university' }],
        sensitiveAreas: ['quantum_technologies'],
      }),
    );
    await d.ok(DEMO.researcher, cn.id, 'submit');
    const all = await report('');
    expect(table(all.body, 'countries').rows).toEqual(expect.arrayContaining([{ country: 'CN', cases: 1 }, expect.objectContaining({ country: 'CA' })]));
    expect(table(all.body, 'nsi-areas').rows).toEqual([{ area: 'Quantum Technologies', cases: 1 }]);
    const backlog = table(all.body, 'backlog');
    expect(backlog.rows[0]).toMatchObject({ band: '0–6 days', submitted: 1 });
    const onlyCn = await report('?country=cn&nsiArea=quantum_technologies');
    expect(table(onlyCn.body, 'countries').rows).toEqual([{ country: 'CN', cases: 1 }]);
    expect(table(onlyCn.body, 'volumes').rows).toEqual([expect.objectContaining({ submitted: 1, total: 1 })]);

    const approved = await d.triaged();
    await d.ok(DEMO.officer, approved.id, 'approve', {
      decisionText: 'Approved with a control plan.',
      conditions: [{ text: 'Keep a technology control plan.' }],
    });
    const closed = await report('?riskTier=low&outcome=approved_with_conditions');
    expect(table(closed.body, 'outcomes').rows).toEqual([{ riskTier: 'Low', outcome: 'Approved with conditions', cases: 1, conditions: 1, conditionsMet: 0 }]);
  });

  it('is for staff only, and names a bad filter in a sentence', async () => {
    expect((await report('', DEMO.researcher)).status).toBe(403);
    expect((await report('/volumes', DEMO.headPhysics)).status).toBe(403);
    const bad = await report('?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('from: "2026-13-01" is not a date; use YYYY-MM-DD.');
    const tier = await report('?riskTier=extreme');
    expect(tier.status).toBe(400);
    expect(tier.body.message).toBe('riskTier: "extreme" is not one of low, medium, high.');
    expect((await report('?from=2026-05-01&to=2026-04-01')).status).toBe(400);
    expect((await report('/nope')).status).toBe(404);
  });

  it('downloads every report as CSV and XLSX with the same headings and figures', async () => {
    const json = await report('/volumes?from=2026-03-01&to=2026-03-31');
    const csv = await report('/volumes?from=2026-03-01&to=2026-03-31&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('volumes-2026-03-01-2026-03-31.csv');
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0].split(',')).toEqual(json.body.table.columns.map((c: { label: string }) => c.label));
    expect(lines[1]).toMatch(/^2026-03,/);

    const xlsx = await t
      .http()
      .get('/api/reports/sla?from=2026-03-01&to=2026-03-31&format=xlsx')
      .set('Authorization', `Bearer ${await t.token(DEMO.lead)}`)
      .buffer(true)
      .parse(binary);
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('Stage');
    const submitted = [2, 3, 4, 5, 6].map((i) => ws.getRow(i)).find((r) => r.getCell(1).value === 'Submitted')!;
    expect(submitted.getCell(6).value).toBe(50);
  });

  it('exports the case list with its filters through the list query (same visibility)', async () => {
    const c = await d.submitted(DEMO.researcher2);
    const res = await t
      .http()
      .get('/api/reports/case-list?format=xlsx&state=submitted&q=' + encodeURIComponent(c.reference.toLowerCase()))
      .set('Authorization', `Bearer ${await t.token(DEMO.officer)}`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(1).value).toBe(c.reference);
    expect(ws.getRow(2).getCell(3).value).toBe('submitted');
    const csv = await d.get(DEMO.officer, '/api/reports/case-list?format=csv&state=approved');
    expect(csv.text.split(/\r?\n/)[0]).toBe('Reference,Title,State,Risk level,Department,Researcher,Officer,Submitted,Updated');
    expect(csv.text).not.toContain(c.reference);
    expect((await d.get(DEMO.researcher, '/api/reports/case-list?format=csv')).status).toBe(403);
    const bad = await d.get(DEMO.officer, '/api/reports/case-list?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('format must be csv or xlsx');
  });
});
