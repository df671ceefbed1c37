import { Client } from 'pg';
import { ReportQuery, SlaStage, STATE_LABELS } from '@app/domain';
import { ReportService } from '@app/persistence';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';
import { loadIds, seedCases } from '../../bench/seed-data';
import { seedReportExtras } from '../../bench/report-seed';

/**
 * The summary-backed reports (report_case, refreshed by the worker, changed cases live)
 * give the same figures as the direct queries over the cases, on the same seeded data:
 * right after a refresh, with cases changed since, and after a calendar change.
 */
describe('report summary', () => {
  let t: TestApp;
  let d: CaseDriver;
  let reports: ReportService;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    reports = t.app.get(ReportService);
    const c = new Client({ connectionString: (t.owner.options as { url: string }).url });
    await c.connect();
    try {
      await seedCases(c, await loadIds(c), 3000);
      await seedReportExtras(c);
    } finally {
      await c.end();
    }
  }, 300_000);
  afterAll(() => t.close());

  const physics = async () => (await t.owner.query(`SELECT id FROM department WHERE code = 'PHYS'`))[0].id as string;
  const officer = async () => t.userId(DEMO.officer);
  const queries = async (): Promise<ReportQuery[]> => {
    const from3y = new Date(Date.now() - 3 * 365 * 86400_000).toISOString().slice(0, 10);
    // A range that starts two days before a resubmitted case's submission: its first stays fall before the range's calendar.
    const [early] = await t.owner.query(
      `SELECT to_char(c.submitted_at - interval '2 days', 'YYYY-MM-DD') AS "from" FROM collaboration_case c
        WHERE c.submitted_at > now() - interval '2 years'
          AND EXISTS (SELECT 1 FROM case_stage_interval i WHERE i.case_id = c.id AND i.entered_at < c.submitted_at - interval '5 days')
        ORDER BY c.submitted_at DESC LIMIT 1`,
    );
    return [
      {},
      { from: early.from },
      { from: from3y },
      { from: from3y, department: await physics() },
      { from: from3y, country: 'CN' },
      { from: from3y, nsiArea: 'quantum_technologies' },
      { from: from3y, riskTier: 'high' },
      { from: from3y, outcome: 'approved_with_conditions' },
      { from: from3y, officer: await officer() },
      { from: from3y, country: 'us', riskTier: 'medium' },
    ];
  };
  const same = async () => {
    for (const q of await queries()) {
      const [viaSummary, direct] = await Promise.all([reports.all(q, 'summary'), reports.all(q, 'direct')]);
      expect({ q, tables: viaSummary.tables }).toEqual({ q, tables: direct.tables });
    }
  };

  /** report_stage_day holds report_stage's closed stays by stage and local day of submission, each array sorted. */
  const stageDaysMatch = async () => {
    const differ = await t.owner.query(
      `WITH want AS (SELECT stage, (submitted_at AT TIME ZONE $1)::date AS day, array_agg(bms ORDER BY bms) AS bms, array_agg(ems ORDER BY ems) AS ems
                       FROM report_stage WHERE open_since IS NULL GROUP BY 1, 2),
            have AS (SELECT stage, day, bms, ems FROM report_stage_day)
       SELECT 'missing' AS what, stage, day::text FROM (SELECT * FROM want EXCEPT ALL SELECT * FROM have) x
       UNION ALL SELECT 'extra', stage, day::text FROM (SELECT * FROM have EXCEPT ALL SELECT * FROM want) y`,
      [t.config.timezone],
    );
    expect(differ).toEqual([]);
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM report_stage_day`))[0].n).toBeGreaterThan(100);
  };

  it('matches the direct queries right after a full refresh', async () => {
    expect(await reports.refreshSummary()).toEqual({ full: true, cases: expect.any(Number) });
    const [{ n, early }] = await t.owner.query(
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE entered_before_submission IS NOT NULL))::int AS early FROM report_case`,
    );
    expect(n).toBeGreaterThan(2500);
    expect(early).toBeGreaterThan(0);
    // Something to count in every report.
    const [{ areas, conditions }] = await t.owner.query(
      `SELECT count(*) FILTER (WHERE cardinality(nsi_areas) > 0)::int AS areas, sum(conditions)::int AS conditions FROM report_case`,
    );
    expect(areas).toBeGreaterThan(0);
    expect(conditions).toBeGreaterThan(0);
    // report_stage holds one row per submitted summary case and stage it stayed in.
    const [{ stages, expected }] = await t.owner.query(
      `SELECT (SELECT count(*)::int FROM report_stage) AS stages,
              (SELECT coalesce(sum(cardinality(stages)), 0)::int FROM report_case WHERE submitted_at IS NOT NULL) AS expected`,
    );
    expect(stages).toBeGreaterThan(2500);
    expect(stages).toBe(expected);
    await stageDaysMatch();
    await same();
  }, 300_000);

  it('reads the summary (a wrong summary row shows), and computes cases changed since the refresh live', async () => {
    // Proof the summary is what is read: spoil one stored row of an unchanged case (read by filtered
    // reports) and one day's count (read by unfiltered ones), then put them back.
    const [victim] = await t.owner.query(
      `SELECT case_id, state, department_id FROM report_case WHERE submitted_at > now() - interval '300 days' AND closed_at IS NULL LIMIT 1`,
    );
    const withdrawn = async (q: ReportQuery, source: 'summary' | 'direct') =>
      (await reports.one('volumes', q, source)).table.rows.reduce((a, r) => a + Number(r.withdrawn ?? 0), 0);
    await t.owner.query(`UPDATE report_case SET state = 'withdrawn' WHERE case_id = $1`, [victim.case_id]);
    const dept = { department: victim.department_id };
    expect(await withdrawn(dept, 'summary')).toBe((await withdrawn(dept, 'direct')) + 1);
    await t.owner.query(`UPDATE report_case SET state = $2 WHERE case_id = $1`, [victim.case_id, victim.state]);
    const [day] = await t.owner.query(`SELECT day FROM report_day WHERE kind = 'volume' AND k1 = 'withdrawn' AND day > current_date - 300 LIMIT 1`);
    await t.owner.query(`UPDATE report_day SET n = n + 1 WHERE kind = 'volume' AND k1 = 'withdrawn' AND day = $1`, [day.day]);
    expect(await withdrawn({}, 'summary')).toBe((await withdrawn({}, 'direct')) + 1);
    await t.owner.query(`UPDATE report_day SET n = n - 1 WHERE kind = 'volume' AND k1 = 'withdrawn' AND day = $1`, [day.day]);
    // And one stored stage time (read by the filtered stage-time and SLA reports) and one day's
    // sorted times (read by the unfiltered ones).
    const [stay] = await t.owner.query(
      `SELECT case_id, stage, department_id, bms::text AS bms FROM report_stage
        WHERE open_since IS NULL AND entered_before_submission IS NULL AND submitted_at > now() - interval '300 days' LIMIT 1`,
    );
    const stageRow = async (name: 'stage-times' | 'sla', q: ReportQuery, source: 'summary' | 'direct') =>
      (await reports.one(name, q, source)).table.rows.find((r) => r.stage === STATE_LABELS[stay.stage as SlaStage])!;
    const longest = async (q: ReportQuery, source: 'summary' | 'direct') => (await stageRow('stage-times', q, source)).max;
    await t.owner.query(`UPDATE report_stage SET bms = bms + 1e12 WHERE case_id = $1 AND stage = $2`, [stay.case_id, stay.stage]);
    const stayDept = { department: stay.department_id };
    expect(await longest(stayDept, 'summary')).toBeGreaterThan(Number(await longest(stayDept, 'direct')) + 1000);
    await t.owner.query(`UPDATE report_stage SET bms = $3::float8 WHERE case_id = $1 AND stage = $2`, [stay.case_id, stay.stage, stay.bms]);
    // The day holding the stage's shortest stay (on time under any target), every time of it made 1e12 ms (breached).
    const [sd] = await t.owner.query(
      `SELECT day, bms::text AS bms, ems::text AS ems FROM report_stage_day WHERE stage = $1 AND day > current_date - 300 ORDER BY greatest(bms[1], ems[1]) LIMIT 1`,
      [stay.stage],
    );
    await t.owner.query(
      `UPDATE report_stage_day SET bms = array_fill(1e12::float8, ARRAY[cardinality(bms)]), ems = array_fill(1e12::float8, ARRAY[cardinality(ems)]) WHERE stage = $1 AND day = $2`,
      [stay.stage, sd.day],
    );
    expect(await longest({}, 'summary')).toBeGreaterThan(Number(await longest({}, 'direct')) + 1000);
    expect((await stageRow('sla', {}, 'summary')).breached).toBeGreaterThan(Number((await stageRow('sla', {}, 'direct')).breached));
    await t.owner.query(`UPDATE report_stage_day SET bms = $3::float8[], ems = $4::float8[] WHERE stage = $1 AND day = $2`, [
      stay.stage,
      sd.day,
      sd.bms,
      sd.ems,
    ]);
    await same();

    // Changes through the API after the refresh: new cases, a decision with conditions, a move with an open stay.
    const cn = await d.draft(
      DEMO.researcher,
      'Quantum sensing with Tsinghua',
      completeAnswers({
        partners: [{ name: 'Tsinghua University', country: 'CN', type: 'university' }],
        sensitiveAreas: ['quantum_technologies'],
      }),
    );
    await d.ok(DEMO.researcher, cn.id, 'submit');
    const approved = await d.triaged();
    await d.ok(DEMO.officer, approved.id, 'approve', {
      decisionText: 'Approved with a control plan.',
      conditions: [{ text: 'Keep a technology control plan.' }],
    });
    const pending = await d.triaged();
    await same();
    // The next refresh takes them in (under ten seconds old, they stay live as well).
    expect(await reports.refreshSummary()).toEqual({ full: false, cases: expect.any(Number) });
    await stageDaysMatch();
    expect((await t.owner.query(`SELECT 1 FROM report_case WHERE case_id = $1 AND conditions = 1`, [approved.id])).length).toBe(1);
    const [approvedStages] = await t.owner.query(`SELECT stages FROM report_case WHERE case_id = $1`, [approved.id]);
    expect(approvedStages.stages.length).toBeGreaterThan(0);
    expect(await t.owner.query(`SELECT stage, open_since IS NULL AS closed FROM report_stage WHERE case_id = $1 ORDER BY stage`, [approved.id])).toEqual(
      [...approvedStages.stages].sort().map((stage: string) => ({ stage, closed: true })),
    );
    await same();
    // A stored case with closed stays moves on: its stored times leave the arrays' answer, its live ones join it.
    await d.ok(DEMO.officer, pending.id, 'approve', { decisionText: 'Approved.' });
    await same();
    expect(await reports.refreshSummary()).toEqual({ full: false, cases: expect.any(Number) });
    await stageDaysMatch();
    await same();
  }, 300_000);

  /** The backlog's rows summed by band label and state, from the summary or the direct query. */
  const backlogRows = async (q: ReportQuery, source: 'summary' | 'direct') => (await reports.one('backlog', q, source)).table.rows;

  it('counts the backlog exactly where a band edge falls inside a day (report_day counts whole days, edge days by row)', async () => {
    // Two open stored cases either side of every band edge (now less 7, 14, 30, 60, 90 days, and now
    // itself), two minutes apart: each pair is in one local day (unless an edge is within two minutes
    // of midnight) but in two bands. Moved without an event, then rebuilt in full.
    const edges = [0, 7, 14, 30, 60, 90];
    const movers: { case_id: string }[] = await t.owner.query(
      `SELECT id AS case_id FROM collaboration_case WHERE closed_at IS NULL AND submitted_at IS NOT NULL AND state = 'submitted' ORDER BY id LIMIT $1`,
      [edges.length * 2],
    );
    expect(movers).toHaveLength(edges.length * 2);
    const ids = movers.map((m) => m.case_id);
    await t.owner.query(
      `UPDATE collaboration_case c SET submitted_at = now() - make_interval(secs => m.days * 86400) + m.off * interval '1 minute'
         FROM unnest($1::uuid[], $2::float8[], $3::int[]) AS m(id, days, off) WHERE c.id = m.id`,
      [ids, edges.flatMap((e) => [e, e]), edges.flatMap(() => [-1, 1])],
    );
    await t.owner.query(`UPDATE report_summary_state SET calendar_key = 'rebuild'`);
    expect(await reports.refreshSummary()).toEqual({ full: true, cases: expect.any(Number) });
    // The pairs are split (the direct query sees it) and the summary splits them the same way.
    const direct = await backlogRows({}, 'direct');
    const byBand = (rows: typeof direct) => rows.map((r) => [r.band, r.submitted]);
    expect(byBand(await backlogRows({}, 'summary'))).toEqual(byBand(direct));
    expect(await backlogRows({}, 'summary')).toEqual(direct);
    const split: { band: number; n: number }[] = await t.owner.query(
      `SELECT width_bucket(extract(epoch FROM now() - submitted_at) / 86400, $2::float8[]) - 1 AS band, count(*)::int AS n
         FROM collaboration_case WHERE id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
      [ids, edges],
    );
    // The older of the pair at an edge is in that edge's band, the younger in the band below (under now: not yet submitted, -1).
    expect(split).toEqual([-1, 0, 1, 2, 3, 4, 5].map((band) => ({ band, n: band === -1 || band === 5 ? 1 : 2 })));
    // And the whole days are read from report_day: one day's open count spoilt shows (then put back).
    const [day] = await t.owner.query(`SELECT day, k1 FROM report_day WHERE kind = 'open' AND day < current_date - 200 ORDER BY day LIMIT 1`);
    const total = async (source: 'summary' | 'direct') => (await backlogRows({}, source)).reduce((a, r) => a + Number(r.total), 0);
    await t.owner.query(`UPDATE report_day SET n = n + 1 WHERE kind = 'open' AND day = $1 AND k1 = $2`, [day.day, day.k1]);
    expect(await total('summary')).toBe((await total('direct')) + 1);
    await t.owner.query(`UPDATE report_day SET n = n - 1 WHERE kind = 'open' AND day = $1 AND k1 = $2`, [day.day, day.k1]);
    // A case moved across an edge after the refresh (the summary told its last event is newer: computed live) keeps them equal.
    const moved = ids[ids.length - 1];
    await t.owner.query(`UPDATE collaboration_case SET submitted_at = now() - interval '7 days' - interval '1 minute' WHERE id = $1`, [moved]);
    await t.owner.query(`UPDATE report_summary_state SET through_event = (SELECT max(id) - 1 FROM case_event WHERE case_id = $1)`, [moved]);
    expect(await backlogRows({}, 'summary')).toEqual(await backlogRows({}, 'direct'));
    // (Still the summary, not the direct fallback: a spoilt day shows.)
    await t.owner.query(`UPDATE report_day SET n = n + 1 WHERE kind = 'open' AND day = $1 AND k1 = $2`, [day.day, day.k1]);
    expect(await total('summary')).toBe((await total('direct')) + 1);
    await t.owner.query(`UPDATE report_day SET n = n - 1 WHERE kind = 'open' AND day = $1 AND k1 = $2`, [day.day, day.k1]);
    await same();
  }, 300_000);

  it('counts re-reviews by local month at the month edges, overdue before now, filtered on the summary', async () => {
    // Pending re-reviews at a local month start (BST: 23:00 UTC the day before) and 1 ms before it,
    // and either side of now: the months and overdue counts are those of the per-timer formula.
    await reports.refreshSummary();
    const [c1, c2] = await t.owner.query(`SELECT case_id, department_id FROM report_case WHERE closed_at IS NOT NULL ORDER BY case_id LIMIT 2`);
    await t.owner.query(
      `INSERT INTO case_timer (case_id, scope, kind, due_at)
       SELECT $1, 'case', 're_review', x FROM unnest(ARRAY[
         (date_trunc('month', now() AT TIME ZONE $2) + interval '7 months') AT TIME ZONE $2,
         (date_trunc('month', now() AT TIME ZONE $2) + interval '7 months') AT TIME ZONE $2 - interval '1 millisecond',
         now() - interval '1 minute', now() + interval '1 minute']) AS x`,
      [c1.case_id, t.config.timezone],
    );
    const until = `(date_trunc('month', now() AT TIME ZONE $1) + interval '12 months') AT TIME ZONE $1`;
    const want = await t.owner.query(
      `SELECT to_char(date_trunc('month', due_at AT TIME ZONE $1), 'YYYY-MM') AS month, count(*)::int AS due, (count(*) FILTER (WHERE due_at < now()))::int AS overdue
         FROM case_timer WHERE status = 'pending' AND kind = 're_review' AND due_at < ${until} GROUP BY 1 ORDER BY 1`,
      [t.config.timezone],
    );
    expect(want.length).toBeGreaterThan(12);
    const rows = async (q: ReportQuery, source: 'summary' | 'direct') => (await reports.one('re-reviews', q, source)).table.rows;
    expect(await rows({}, 'direct')).toEqual(want);
    expect(await rows({}, 'summary')).toEqual(want);
    // Filtered: from report_case's dimensions. A stored row's department spoilt shows (then put back).
    const dept = { department: c1.department_id };
    const due = async (q: ReportQuery, source: 'summary' | 'direct') => (await rows(q, source)).reduce((a, r) => a + Number(r.due), 0);
    expect(await due(dept, 'summary')).toBe(await due(dept, 'direct'));
    const other = (await t.owner.query(`SELECT id FROM department WHERE id <> $1 LIMIT 1`, [c1.department_id]))[0].id;
    await t.owner.query(`UPDATE report_case SET department_id = $2 WHERE case_id = $1`, [c1.case_id, other]);
    expect(await due(dept, 'summary')).toBeLessThan(await due(dept, 'direct'));
    await t.owner.query(`UPDATE report_case SET department_id = $2 WHERE case_id = $1`, [c1.case_id, c1.department_id]);
    // A re-review timer fired or cancelled writes no case event: the report still follows it.
    await t.owner.query(`UPDATE case_timer SET status = 'cancelled', cancelled_at = now() WHERE case_id = $1 AND kind = 're_review' AND status = 'pending'`, [
      c2.case_id,
    ]);
    await same();
  }, 300_000);

  it('is not used under another calendar until rebuilt', async () => {
    await t.owner.query(`INSERT INTO closure_day (day, description) VALUES (current_date - 40, 'Flood')`);
    const before = await t.owner.query(`SELECT calendar_key FROM report_summary_state`);
    await same();
    expect(await reports.refreshSummary()).toEqual({ full: true, cases: expect.any(Number) });
    expect(await t.owner.query(`SELECT calendar_key FROM report_summary_state`)).not.toEqual(before);
    await stageDaysMatch();
    await same();
  }, 300_000);
});
