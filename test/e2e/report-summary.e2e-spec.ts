import { Client } from 'pg';
import { ReportQuery, SlaStage, STATE_LABELS } from '@app/domain';
import { ReportService, STAGE_TIME_BUCKETS } from '@app/persistence';
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

  /**
   * report_stage_day holds report_stage's stays by slice (all, and each single filter value the
   * case matches), stage and local day of submission: the closed stays' times, each array sorted,
   * with the business times' histogram (buckets holding any, ascending; a value's bucket is how
   * many bounds lie below it), and the start of each open stay that is the case's first in the
   * stage, sorted.
   */
  const stageDaysMatch = async () => {
    const differ = await t.owner.query(
      `WITH rows AS (SELECT sl.dim, sl.val, s.stage, (s.submitted_at AT TIME ZONE $1)::date AS day, s.bms, s.ems, s.open_since,
                            (SELECT count(*)::int FROM unnest($2::float8[]) AS e WHERE e < s.bms) AS b
                       FROM report_stage s CROSS JOIN LATERAL (
                         SELECT '' AS dim, '' AS val UNION ALL SELECT 'department', s.department_id::text WHERE s.department_id IS NOT NULL
                         UNION ALL SELECT 'riskTier', s.risk_level WHERE s.risk_level IS NOT NULL UNION ALL SELECT 'outcome', s.outcome WHERE s.outcome IS NOT NULL
                         UNION ALL SELECT 'officer', s.assignee_id::text WHERE s.assignee_id IS NOT NULL
                         UNION ALL SELECT 'country', x FROM unnest(s.countries) x UNION ALL SELECT 'nsiArea', x FROM unnest(s.nsi_areas) x) sl),
            closed AS (SELECT * FROM rows WHERE open_since IS NULL),
            first_open AS (SELECT * FROM rows WHERE open_since IS NOT NULL AND bms = 0 AND ems = 0),
            hist AS (SELECT dim, val, stage, day, array_agg(b ORDER BY b) AS hb, array_agg(n ORDER BY b) AS hn
                       FROM (SELECT dim, val, stage, day, b, count(*)::int AS n FROM closed GROUP BY 1, 2, 3, 4, 5) x GROUP BY 1, 2, 3, 4),
            times AS (SELECT dim, val, stage, day, array_agg(bms ORDER BY bms) AS bms, array_agg(ems ORDER BY ems) AS ems FROM closed GROUP BY 1, 2, 3, 4),
            opens AS (SELECT dim, val, stage, day, array_agg(open_since ORDER BY open_since) AS oo FROM first_open GROUP BY 1, 2, 3, 4),
            want AS (SELECT k.dim, k.val, k.stage, k.day, coalesce(t.bms, '{}') AS bms, coalesce(t.ems, '{}') AS ems,
                            coalesce(h.hb, '{}') AS hb, coalesce(h.hn, '{}') AS hn, coalesce(o.oo, '{}') AS oo
                       FROM (SELECT dim, val, stage, day FROM closed UNION SELECT dim, val, stage, day FROM first_open) k
                       LEFT JOIN times t USING (dim, val, stage, day) LEFT JOIN hist h USING (dim, val, stage, day) LEFT JOIN opens o USING (dim, val, stage, day)),
            have AS (SELECT dim, val, stage, day, bms, ems, hb, hn, oo FROM report_stage_day)
       SELECT 'missing' AS what, dim, val, stage, day::text FROM (SELECT * FROM want EXCEPT ALL SELECT * FROM have) x
       UNION ALL SELECT 'extra', dim, val, stage, day::text FROM (SELECT * FROM have EXCEPT ALL SELECT * FROM want) y`,
      [t.config.timezone, STAGE_TIME_BUCKETS],
    );
    expect(differ).toEqual([]);
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM report_stage_day WHERE dim = ''`))[0].n).toBeGreaterThan(100);
    expect((await t.owner.query(`SELECT count(DISTINCT dim)::int AS n FROM report_stage_day`))[0].n).toBe(7);
    expect((await t.owner.query(`SELECT sum(cardinality(oo))::int AS n FROM report_stage_day WHERE dim = ''`))[0].n).toBeGreaterThan(100);
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
    // Proof the summary is what is read: spoil one stored row of an unchanged case (read by reports
    // with several filters), one day's count (read by unfiltered ones) and one day's count of a
    // department's slice (read by reports with that one filter), then put them back.
    const [victim] = await t.owner.query(
      `SELECT case_id, state, department_id, risk_level FROM report_case
        WHERE submitted_at > now() - interval '300 days' AND closed_at IS NULL AND risk_level IS NOT NULL LIMIT 1`,
    );
    const withdrawn = async (q: ReportQuery, source: 'summary' | 'direct') =>
      (await reports.one('volumes', q, source)).table.rows.reduce((a, r) => a + Number(r.withdrawn ?? 0), 0);
    await t.owner.query(`UPDATE report_case SET state = 'withdrawn' WHERE case_id = $1`, [victim.case_id]);
    const deptTier = { department: victim.department_id, riskTier: victim.risk_level };
    expect(await withdrawn(deptTier, 'summary')).toBe((await withdrawn(deptTier, 'direct')) + 1);
    await t.owner.query(`UPDATE report_case SET state = $2 WHERE case_id = $1`, [victim.case_id, victim.state]);
    const [day] = await t.owner.query(
      `SELECT day FROM report_day WHERE dim = '' AND kind = 'volume' AND k1 = 'withdrawn' AND day > current_date - 300 LIMIT 1`,
    );
    await t.owner.query(`UPDATE report_day SET n = n + 1 WHERE dim = '' AND kind = 'volume' AND k1 = 'withdrawn' AND day = $1`, [day.day]);
    expect(await withdrawn({}, 'summary')).toBe((await withdrawn({}, 'direct')) + 1);
    await t.owner.query(`UPDATE report_day SET n = n - 1 WHERE dim = '' AND kind = 'volume' AND k1 = 'withdrawn' AND day = $1`, [day.day]);
    const [slice] = await t.owner.query(
      `SELECT day FROM report_day WHERE dim = 'department' AND val = $1 AND kind = 'volume' AND k1 = 'withdrawn' AND day > current_date - 300 LIMIT 1`,
      [victim.department_id],
    );
    const spoilSlice = (by: number) =>
      t.owner.query(`UPDATE report_day SET n = n + $3 WHERE dim = 'department' AND val = $1 AND kind = 'volume' AND k1 = 'withdrawn' AND day = $2`, [
        victim.department_id,
        slice.day,
        by,
      ]);
    await spoilSlice(1);
    // The id in capitals names the same slice.
    const dept = { department: String(victim.department_id).toUpperCase() };
    expect(await withdrawn(dept, 'summary')).toBe((await withdrawn(dept, 'direct')) + 1);
    await spoilSlice(-1);
    // And one stored stage time (read by the stage-time and SLA reports with several filters) and
    // one day's sorted times (read by the unfiltered ones).
    const [stay] = await t.owner.query(
      `SELECT case_id, stage, department_id, risk_level, bms::text AS bms FROM report_stage
        WHERE open_since IS NULL AND entered_before_submission IS NULL AND submitted_at > now() - interval '300 days' AND risk_level IS NOT NULL LIMIT 1`,
    );
    const stageRow = async (name: 'stage-times' | 'sla', q: ReportQuery, source: 'summary' | 'direct') =>
      (await reports.one(name, q, source)).table.rows.find((r) => r.stage === STATE_LABELS[stay.stage as SlaStage])!;
    const longest = async (q: ReportQuery, source: 'summary' | 'direct') => (await stageRow('stage-times', q, source)).max;
    await t.owner.query(`UPDATE report_stage SET bms = bms + 1e12 WHERE case_id = $1 AND stage = $2`, [stay.case_id, stay.stage]);
    const stayDept = { department: stay.department_id, riskTier: stay.risk_level };
    expect(await longest(stayDept, 'summary')).toBeGreaterThan(Number(await longest(stayDept, 'direct')) + 1000);
    await t.owner.query(`UPDATE report_stage SET bms = $3::float8 WHERE case_id = $1 AND stage = $2`, [stay.case_id, stay.stage, stay.bms]);
    // The day holding the stage's shortest stay (on time under any target), every time of it made 1e12 ms (breached).
    const [sd] = await t.owner.query(
      `SELECT day, bms::text AS bms, ems::text AS ems FROM report_stage_day WHERE dim = '' AND stage = $1 AND day > current_date - 300 ORDER BY greatest(bms[1], ems[1]) LIMIT 1`,
      [stay.stage],
    );
    await t.owner.query(
      `UPDATE report_stage_day SET bms = array_fill(1e12::float8, ARRAY[cardinality(bms)]), ems = array_fill(1e12::float8, ARRAY[cardinality(ems)]) WHERE dim = '' AND stage = $1 AND day = $2`,
      [stay.stage, sd.day],
    );
    expect(await longest({}, 'summary')).toBeGreaterThan(Number(await longest({}, 'direct')) + 1000);
    expect((await stageRow('sla', {}, 'summary')).breached).toBeGreaterThan(Number((await stageRow('sla', {}, 'direct')).breached));
    await t.owner.query(`UPDATE report_stage_day SET bms = $3::float8[], ems = $4::float8[] WHERE dim = '' AND stage = $1 AND day = $2`, [
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
    // itself), ten minutes apart: each pair is in one local day (unless an edge is within five minutes
    // of midnight) but in two bands. Moved without an event, then rebuilt in full. (Their ages grow:
    // five minutes on, the younger of each pair crosses its edge, and a summary and a direct read a
    // moment apart could disagree; the test moves them away from the edges when done.)
    const edges = [0, 7, 14, 30, 60, 90];
    const movers: { case_id: string }[] = await t.owner.query(
      `SELECT id AS case_id FROM collaboration_case WHERE closed_at IS NULL AND submitted_at IS NOT NULL AND state = 'submitted' ORDER BY id LIMIT $1`,
      [edges.length * 2],
    );
    expect(movers).toHaveLength(edges.length * 2);
    const ids = movers.map((m) => m.case_id);
    await t.owner.query(
      `UPDATE collaboration_case c SET submitted_at = now() - make_interval(secs => m.days * 86400) + m.off * interval '5 minutes'
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
    // Away from the edges (two days past each), so that later comparisons of reads a moment apart
    // do not catch one crossing an edge between them (a slow CI run did, a minute on).
    await t.owner.query(
      `UPDATE collaboration_case c SET submitted_at = now() - make_interval(secs => (m.days + 2) * 86400) FROM unnest($1::uuid[], $2::float8[]) AS m(id, days) WHERE c.id = m.id`,
      [ids, edges.flatMap((e) => [e, e])],
    );
    await t.owner.query(`UPDATE report_summary_state SET calendar_key = 'rebuild'`);
    expect(await reports.refreshSummary()).toEqual({ full: true, cases: expect.any(Number) });
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
         now() - interval '5 minutes', now() + interval '5 minutes']) AS x`,
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
    // The one due five minutes from now would turn overdue between two reads a moment apart later on.
    await t.owner.query(
      `UPDATE case_timer SET status = 'cancelled', cancelled_at = now() WHERE case_id = $1 AND kind = 're_review' AND status = 'pending' AND due_at > now() - interval '1 hour' AND due_at < now() + interval '1 hour'`,
      [c1.case_id],
    );
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

  it('finds the exact percentiles from the histograms whatever the times: spread, tied or at a bucket bound', async () => {
    // The seeded stays last whole working days (many tie); spread them instead, so that a
    // percentile's bucket holds different values and its rank is read from their sorted run, and
    // put some exactly on a bucket bound (stays that end by now: the calendars end there). percentile_cont over every value (the direct query) is
    // the oracle, on the same stays.
    await t.owner.query(
      `UPDATE case_stage_interval SET left_at = entered_at + random() * least(interval '400 days', now() - entered_at) WHERE left_at IS NOT NULL AND stage IN ('submitted', 'triaged')`,
    );
    await t.owner.query(
      `UPDATE case_stage_interval SET left_at = entered_at + interval '1 second' * $1 WHERE left_at IS NOT NULL AND stage = 'head_sign_off'`,
      [STAGE_TIME_BUCKETS[40] / 1000],
    );
    await t.owner.query('DELETE FROM report_summary_state');
    expect(await reports.refreshSummary()).toEqual({ full: true, cases: expect.any(Number) });
    await stageDaysMatch();
    const [{ distinct }] = await t.owner.query(
      `SELECT count(DISTINCT bms)::int AS distinct FROM report_stage WHERE stage = 'submitted' AND open_since IS NULL`,
    );
    expect(distinct).toBeGreaterThan(1000);
    const [{ onBound }] = await t.owner.query(`SELECT count(*)::int AS "onBound" FROM report_stage WHERE stage = 'head_sign_off' AND bms = $1`, [
      STAGE_TIME_BUCKETS[40],
    ]);
    expect(onBound).toBeGreaterThan(10);
    await same();
  }, 300_000);

  it('counts open stays past their target exactly: first stays begun near the bound, and returning ones', async () => {
    // Open stays at submission of cases submitted 10–300 days ago (in the default 12 months), moved to
    // begin every 250 minutes over the last 8 days: the 3-working-day target's bound falls among them,
    // so some are counted from the day arrays alone and some are timed. A third come back to the stage
    // (an earlier closed stay in it): those are read as rows.
    const open = await t.owner.query(
      `SELECT i.id, i.case_id FROM case_stage_interval i JOIN collaboration_case c ON c.id = i.case_id
        WHERE i.stage = 'submitted' AND i.left_at IS NULL AND c.submitted_at < now() - interval '10 days' AND c.submitted_at > now() - interval '300 days'
        ORDER BY i.id LIMIT 45`,
    );
    expect(open.length).toBe(45);
    await t.owner.query(
      `UPDATE case_stage_interval i SET entered_at = now() - x.k * interval '250 minutes' FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, k) WHERE i.id = x.id`,
      [open.map((o: { id: string }) => o.id)],
    );
    await t.owner.query(
      `INSERT INTO case_stage_interval (case_id, stage, entered_at, left_at)
       SELECT c.id, 'submitted', c.submitted_at, c.submitted_at + interval '1 hour' FROM collaboration_case c WHERE c.id = ANY($1::uuid[])`,
      [open.filter((_: unknown, i: number) => i % 3 === 0).map((o: { case_id: string }) => o.case_id)],
    );
    await t.owner.query('DELETE FROM report_summary_state');
    expect(await reports.refreshSummary()).toEqual({ full: true, cases: expect.any(Number) });
    const [{ returning }] = await t.owner.query(
      `SELECT count(*)::int AS returning FROM report_stage WHERE stage = 'submitted' AND open_since IS NOT NULL AND (bms > 0 OR ems > 0)`,
    );
    expect(returning).toBe(15);
    await stageDaysMatch();
    await same();
    const submitted = (await reports.one('sla', {}, 'summary')).table.rows.find((r) => r.stage === STATE_LABELS.submitted)!;
    expect(Number(submitted.openBreached)).toBeGreaterThan(0);
  }, 300_000);
});
