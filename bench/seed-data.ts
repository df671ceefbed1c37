/**
 * Set-based seeding of the bench database, as the owner role: a realistic mass of
 * historic cases, and batches of fresh submitted cases for the action benchmarks.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { eventHash, stageTimers, DEFAULT_STAGE_TIMER_POLICY } from '@app/domain';

/** The same audit key the API seals with (AUDIT_KEY; the demo default otherwise). */
const AUDIT_KEY = ((a) => ({ id: a.keyId, secret: a.key }))(loadConfig().audit);

export interface BenchIds {
  departments: { physics: string; chemistry: string };
  researcher: { id: string; departmentId: string };
  researchers: { id: string; departmentId: string }[];
  officer: string;
  officers: string[];
}

export const TOPICS = [
  'quantum',
  'superconducting',
  'graphene',
  'catalysis',
  'photonics',
  'battery',
  'polymer',
  'spectroscopy',
  'laser',
  'semiconductor',
  'nanomaterials',
  'fusion',
  'cryogenic',
  'membrane',
  'enzyme',
  'crystallography',
  'plasma',
  'topological',
  'perovskite',
  'hydrogen',
  'electrolyte',
  'magnetic',
  'optical',
  'microfluidic',
  'thin-film',
  'neutron',
  'synchrotron',
  'organometallic',
  'colloid',
  'ultrafast',
  'gravitational',
  'dark-matter',
  'spintronic',
  'ceramic',
  'biofuel',
  'atmospheric',
  'isotope',
  'solid-state',
  'terahertz',
  'metamaterial',
];
const ACTIVITIES = [
  'collaboration',
  'joint study',
  'research visit',
  'PhD exchange',
  'consortium',
  'equipment loan',
  'data sharing agreement',
  'workshop series',
  'co-supervision',
  'industrial partnership',
  'sample exchange',
  'fellowship',
];
const PARTNERS: [string, string][] = [
  ['University of Toronto', 'CA'],
  ['Tsinghua University', 'CN'],
  ['ETH Zurich', 'CH'],
  ['Max Planck Institute', 'DE'],
  ['KAIST', 'KR'],
  ['Technion', 'IL'],
  ['University of Tokyo', 'JP'],
  ['Sorbonne University', 'FR'],
  ['IIT Bombay', 'IN'],
  ['Huawei Technologies', 'CN'],
  ['Harbin Institute of Technology', 'CN'],
  ['National University of Singapore', 'SG'],
  ['MIT', 'US'],
  ['Stanford University', 'US'],
  ['CSIRO', 'AU'],
  ['Skoltech', 'RU'],
  ['Sharif University of Technology', 'IR'],
  ['University of Cape Town', 'ZA'],
  ['Universidade de Sao Paulo', 'BR'],
  ['TU Delft', 'NL'],
  ['KTH Royal Institute of Technology', 'SE'],
  ['Weizmann Institute', 'IL'],
  ['Fudan University', 'CN'],
  ['Seoul National University', 'KR'],
  ['University of Melbourne', 'AU'],
  ['McGill University', 'CA'],
  ['Politecnico di Milano', 'IT'],
  ['Samsung Advanced Institute of Technology', 'KR'],
  ['CERN', 'CH'],
  ['Nanyang Technological University', 'SG'],
];

export async function loadIds(c: Client): Promise<BenchIds> {
  const depts = (await c.query('SELECT id, code FROM department')).rows as { id: string; code: string }[];
  const users = (await c.query('SELECT id, email, roles, department_id FROM app_user')).rows as {
    id: string;
    email: string;
    roles: string[];
    department_id: string | null;
  }[];
  const byEmail = (e: string) => {
    const u = users.find((x) => x.email === e);
    if (!u) throw new Error(`demo user ${e} missing`);
    return u;
  };
  const researchers = users.filter((u) => u.roles.includes('researcher') && u.department_id).map((u) => ({ id: u.id, departmentId: u.department_id! }));
  const r = byEmail('researcher@example.ac.uk');
  return {
    departments: { physics: depts.find((d) => d.code === 'PHYS')!.id, chemistry: depts.find((d) => d.code === 'CHEM')!.id },
    researcher: { id: r.id, departmentId: r.department_id! },
    researchers,
    officer: byEmail('officer@example.ac.uk').id,
    officers: users.filter((u) => u.roles.includes('rsdo_officer')).map((u) => u.id),
  };
}

/**
 * Historic cases (any number: a million seeds in one set-based pass per table), their
 * event chains (placeholder hashes), open timers, counters. Callable again to grow the
 * same database (the bench's `--scales`): later calls number on from the year counters
 * and touch only the cases they add. `years`: how far back creation dates spread
 * (default 3; the bench spreads a million over 10, a large university's archive).
 */
export async function seedCases(c: Client, ids: BenchIds, n: number, opts: { years?: number; seed?: number } = {}): Promise<Record<string, number>> {
  const days = Math.round((opts.years ?? 3) * 365);
  const timings: Record<string, number> = {};
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const res = await c.query(sql, params);
    timings[name] = Math.round(performance.now() - t);
    return res;
  };
  await c.query('SELECT setseed($1)', [opts.seed ?? 0.4242]);
  await c.query('BEGIN');
  await c.query('CREATE TEMP TABLE seed_new (id uuid PRIMARY KEY) ON COMMIT DROP');
  await step(
    'cases',
    `
    WITH base AS (
      SELECT g,
             now() - interval '2 hours' - random() * ($9::int * interval '1 day') AS created_at,
             random() AS rs, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
             random() AS r5, random() AS r6, random() AS r7, random() AS r8, random() AS r9
        FROM generate_series(1, $1::int) g
    ), s AS (
      SELECT b.*,
        CASE WHEN rs < 0.04 THEN 'draft' WHEN rs < 0.12 THEN 'submitted' WHEN rs < 0.19 THEN 'triaged'
             WHEN rs < 0.21 THEN 'export_control_review' WHEN rs < 0.23 THEN 'head_sign_off'
             WHEN rs < 0.24 THEN 'lead_review' WHEN rs < 0.26 THEN 'awaiting_information'
             WHEN rs < 0.80 THEN 'approved' WHEN rs < 0.89 THEN 'rejected' ELSE 'withdrawn' END AS state,
        1 + floor(r1 * cardinality($2::uuid[]))::int AS oi,
        ($4::text[])[1 + floor(r2 * cardinality($4::text[]))::int] AS t1,
        ($4::text[])[1 + floor(r3 * cardinality($4::text[]))::int] AS t2,
        ($5::text[])[1 + floor(r4 * cardinality($5::text[]))::int] AS act,
        1 + floor(r5 * cardinality($6::text[]))::int AS pi
      FROM base b
    ), nn AS (
      SELECT s.*,
             row_number() OVER (PARTITION BY extract(year FROM created_at AT TIME ZONE 'Europe/London') ORDER BY created_at, g)
               + coalesce((SELECT last_value FROM case_reference_counter WHERE year = extract(year FROM created_at AT TIME ZONE 'Europe/London')::int), 0) AS num,
             extract(year FROM created_at AT TIME ZONE 'Europe/London')::int AS yr,
             ($6::text[])[pi] AS pname, ($7::text[])[pi] AS pcountry
        FROM s
    ), f AS (
      SELECT nn.*,
        'TR-' || yr || '-' || lpad(num::text, greatest(5, length(num::text)), '0') AS reference, -- as formatReference: 6 digits past 99,999 a year
        initcap(t1) || ' ' || t2 || ' ' || act || ' with ' || pname AS title,
        CASE WHEN state = 'draft' THEN NULL ELSE least(created_at + r6 * interval '10 days', now() - interval '1 hour') END AS submitted_at,
        CASE WHEN state IN ('draft', 'submitted') OR (state = 'withdrawn' AND r7 < 0.5) THEN NULL
             ELSE (ARRAY['low','low','low','medium','medium','high'])[1 + floor(r9 * 6)::int] END AS risk
      FROM nn
    ), h AS (
      SELECT f.*,
        CASE WHEN state = 'draft' THEN least(created_at + r8 * interval '5 days', now() - interval '1 hour')
             ELSE least(submitted_at + r8 * interval '60 days', now() - interval '1 hour') END AS updated_at,
        CASE WHEN risk IS NOT NULL OR (state = 'submitted' AND r7 < 0.3) THEN ($8::uuid[])[1 + floor(r8 * cardinality($8::uuid[]))::int] END AS assignee
      FROM f
    ), ins AS (
    INSERT INTO collaboration_case (
      reference, title, answers, owner_id, department_id, state, outcome, assignee_id, triaged_by_id, risk_level,
      export_review_required, export_review_completed, decision, version, search_text, stage_entered_at,
      submitted_at, closed_at, created_at, updated_at)
    SELECT reference, title,
      jsonb_build_object(
        'summary', 'Joint work on ' || t1 || ' and ' || t2 || ' research with ' || pname || '.',
        'partners', jsonb_build_array(jsonb_build_object('name', pname, 'country', pcountry, 'type', 'university')),
        'activityTypes', jsonb_build_array('international_collaboration'),
        'sensitiveAreas', '[]'::jsonb,
        'fundingSource', 'UKRI EPSRC grant',
        'startDate', to_char(created_at + interval '90 days', 'YYYY-MM-DD'),
        'endDate', to_char(created_at + interval '455 days', 'YYYY-MM-DD'),
        'dataSharing', 'Published results only.',
        'people', 'Two postdocs visit for a month.'),
      ($2::uuid[])[oi], ($3::uuid[])[oi], state,
      CASE state WHEN 'approved' THEN CASE WHEN r3 < 0.3 THEN 'approved_with_conditions' ELSE 'approved' END
                 WHEN 'rejected' THEN 'rejected' WHEN 'withdrawn' THEN 'withdrawn' END,
      assignee, CASE WHEN risk IS NOT NULL THEN assignee END, risk,
      COALESCE(risk = 'high' AND state <> 'withdrawn', false),
      COALESCE(risk = 'high' AND state IN ('approved', 'rejected', 'head_sign_off', 'lead_review'), false),
      CASE WHEN state = 'approved' THEN jsonb_build_object('decisionText', 'Approved as proposed.', 'conditions', '[]'::jsonb) END,
      CASE WHEN state = 'draft' THEN 1 + floor(r4 * 3)::int ELSE 3 + floor(r4 * 6)::int END,
      lower(reference || ' ' || title || ' ' || pname || ' ' || pcountry),
      updated_at, submitted_at,
      CASE WHEN state IN ('approved', 'rejected', 'withdrawn') THEN updated_at END,
      created_at, updated_at
    FROM h
    RETURNING id)
    INSERT INTO seed_new SELECT id FROM ins`,
    [
      n,
      ids.researchers.map((r) => r.id),
      ids.researchers.map((r) => r.departmentId),
      TOPICS,
      ACTIVITIES,
      PARTNERS.map((p) => p[0]),
      PARTNERS.map((p) => p[1]),
      ids.officers,
      days,
    ],
  );
  await c.query('ANALYZE seed_new');

  // Event chains: create, submit, triage, sign-off + endorse (non-low approvals), closing action.
  await step(
    'events',
    `
    INSERT INTO case_event (case_id, seq, actor_id, action, from_state, to_state, payload, created_at, prev_hash, hash)
    SELECT c.id, e.seq, e.actor, e.action, e.from_s, e.to_s, e.payload, e.at,
           CASE WHEN e.seq = 1 THEN NULL ELSE md5(c.id::text || ':' || (e.seq - 1)) END,
           md5(c.id::text || ':' || e.seq)
      FROM collaboration_case c
      JOIN seed_new sn ON sn.id = c.id
      JOIN department d ON d.id = c.department_id
      CROSS JOIN LATERAL (
        SELECT row_number() OVER (ORDER BY v.ord)::int AS seq, v.*
          FROM (VALUES
            (1, TRUE, c.owner_id, 'create', NULL::text, 'draft', jsonb_build_object('reference', c.reference), c.created_at),
            (2, c.state <> 'draft', c.owner_id, 'submit', 'draft', 'submitted', jsonb_build_object('departmentId', c.department_id), c.submitted_at),
            (3, c.risk_level IS NOT NULL, c.triaged_by_id, 'triage', 'submitted', 'triaged', jsonb_build_object('riskLevel', c.risk_level),
                least(c.submitted_at + interval '2 days', c.updated_at)),
            (4, c.state = 'approved' AND c.risk_level <> 'low', c.assignee_id, 'request_sign_off', 'triaged', 'head_sign_off', '{}'::jsonb,
                least(c.submitted_at + interval '4 days', c.updated_at)),
            (5, c.state = 'approved' AND c.risk_level <> 'low', d.head_user_id, 'endorse', 'head_sign_off', 'approved', '{}'::jsonb, c.updated_at),
            (6, c.state IN ('approved', 'rejected', 'withdrawn') AND NOT (c.state = 'approved' AND c.risk_level <> 'low'),
                CASE WHEN c.state = 'withdrawn' THEN c.owner_id ELSE c.assignee_id END,
                CASE c.state WHEN 'approved' THEN 'approve' WHEN 'rejected' THEN 'reject' ELSE 'withdraw' END,
                CASE WHEN c.risk_level IS NULL THEN 'submitted' ELSE 'triaged' END, c.state, '{}'::jsonb, c.updated_at)
          ) AS v(ord, keep, actor, action, from_s, to_s, payload, at)
         WHERE v.keep
      ) e`,
  );

  // As the endorse/decline transitions do: the signers live on the case row too.
  await step(
    'signers',
    `
    UPDATE collaboration_case c SET signed_by = s.ids
      FROM (SELECT case_id, array_agg(DISTINCT actor_id) AS ids FROM case_event JOIN seed_new sn ON sn.id = case_event.case_id
             WHERE action IN ('endorse','decline') AND actor_id IS NOT NULL GROUP BY case_id) s
     WHERE s.case_id = c.id`,
  );

  await step(
    'timers',
    `
    INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at, status, payload, created_at)
    SELECT id, 'stage', state, stage_entered_at,
           CASE state WHEN 'submitted' THEN 'triage_reminder' WHEN 'head_sign_off' THEN 'sign_off_reminder'
                      WHEN 'lead_review' THEN 'lead_reminder' WHEN 'awaiting_information' THEN 'information_due'
                      ELSE 'stage_reminder' END,
           stage_entered_at + interval '5 days', 'pending', '{}'::jsonb, stage_entered_at
      FROM collaboration_case JOIN seed_new USING (id)
     WHERE state IN ('submitted', 'triaged', 'export_control_review', 'head_sign_off', 'lead_review', 'awaiting_information')
    UNION ALL
    SELECT id, 'case', NULL::text, NULL::timestamptz, 're_review', closed_at + interval '1 year', 'pending', '{}'::jsonb, closed_at
      FROM collaboration_case JOIN seed_new USING (id) WHERE state = 'approved'`,
  );

  await step(
    'counter',
    `
    INSERT INTO case_reference_counter (year, last_value)
    SELECT split_part(reference, '-', 2)::int, max(split_part(reference, '-', 3)::int) FROM collaboration_case GROUP BY 1
    ON CONFLICT (year) DO UPDATE SET last_value = GREATEST(case_reference_counter.last_value, EXCLUDED.last_value)`,
  );
  await c.query('COMMIT');
  return timings;
}

export function completeAnswers(overrides: Record<string, unknown> = {}) {
  return {
    summary: 'Joint work on low-temperature superconducting thin films.',
    partners: [{ name: 'University of Toronto', country: 'CA', type: 'university' }],
    activityTypes: ['international_collaboration'],
    sensitiveAreas: [],
    fundingSource: 'UKRI EPSRC grant EP/X000001/1',
    startDate: '2027-01-01',
    endDate: '2027-12-31',
    dataSharing: 'Published results only.',
    people: 'Two postdocs visit for a month.',
    ...overrides,
  };
}

/**
 * `n` fresh cases in state 'submitted' (owner researcher@, Physics, complete answers), each
 * with a correctly hash-chained create + submit, and its pending triage reminder — what the
 * API would have left after POST /api/cases and the submit action.
 */
export async function prepareSubmitted(c: Client, ids: BenchIds, n: number, timezone = 'Europe/London'): Promise<string[]> {
  // Titles and partners vary like the historic cases, so text search sees a realistic mix.
  const pick = (i: number) => {
    const t1 = TOPICS[(i * 7) % TOPICS.length];
    const t2 = TOPICS[(i * 13 + 5) % TOPICS.length];
    const [name, country] = PARTNERS[(i * 11 + 3) % PARTNERS.length];
    const title = `${t1[0].toUpperCase()}${t1.slice(1)} ${t2} ${ACTIVITIES[i % ACTIVITIES.length]} with ${name}`;
    return { title, answers: completeAnswers({ partners: [{ name, country, type: 'university' }] }), partner: `${name} ${country}` };
  };
  const owner = ids.researcher.id;
  const dept = ids.departments.physics;
  const year = DateTime.now().setZone(timezone).year;
  await c.query('BEGIN');
  try {
    const [row] = (
      await c.query(
        `INSERT INTO case_reference_counter (year, last_value) VALUES ($1, $2)
       ON CONFLICT (year) DO UPDATE SET last_value = case_reference_counter.last_value + $2 RETURNING last_value`,
        [year, n],
      )
    ).rows;
    const first = Number(row.last_value) - n + 1;
    const base = Date.now() - 3_600_000;
    const cases: { id: string; ref: string; created: Date; submitted: Date; title: string; answers: string; searchText: string }[] = [];
    const ev = {
      caseId: [] as string[],
      seq: [] as number[],
      actor: [] as string[],
      action: [] as string[],
      from: [] as (string | null)[],
      to: [] as string[],
      payload: [] as string[],
      at: [] as Date[],
      prev: [] as (string | null)[],
      hash: [] as string[],
    };
    const timer = { caseId: [] as string[], entered: [] as Date[], kind: [] as string[], due: [] as Date[] };
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const ref = `TR-${year}-${String(first + i).padStart(5, '0')}`;
      const created = new Date(base + i * 20);
      const submitted = new Date(base + i * 20 + 10);
      const p = pick(first + i);
      cases.push({
        id,
        ref,
        created,
        submitted,
        title: p.title,
        answers: JSON.stringify(p.answers),
        searchText: `${ref} ${p.title} ${p.partner}`.toLowerCase(),
      });
      const e1 = {
        caseId: id,
        seq: 1,
        actorId: owner,
        action: 'create',
        fromState: null,
        toState: 'draft',
        payload: { reference: ref },
        createdAt: created.toISOString(),
        prevHash: null,
      };
      const h1 = eventHash(e1, AUDIT_KEY);
      const e2 = {
        caseId: id,
        seq: 2,
        actorId: owner,
        action: 'submit',
        fromState: 'draft',
        toState: 'submitted',
        payload: { departmentId: dept },
        createdAt: submitted.toISOString(),
        prevHash: h1,
      };
      const h2 = eventHash(e2, AUDIT_KEY);
      for (const [e, h] of [
        [e1, h1],
        [e2, h2],
      ] as const) {
        ev.caseId.push(id);
        ev.seq.push(e.seq);
        ev.actor.push(owner);
        ev.action.push(e.action);
        ev.from.push(e.fromState);
        ev.to.push(e.toState);
        ev.payload.push(JSON.stringify(e.payload));
        ev.at.push(new Date(e.createdAt));
        ev.prev.push(e.prevHash);
        ev.hash.push(h);
      }
      for (const t of stageTimers('submitted', submitted, DEFAULT_STAGE_TIMER_POLICY)) {
        timer.caseId.push(id);
        timer.entered.push(submitted);
        timer.kind.push(t.kind);
        timer.due.push(t.dueAt);
      }
    }
    await c.query(
      `INSERT INTO collaboration_case (id, reference, title, answers, owner_id, department_id, state, version, search_text,
                                       stage_entered_at, submitted_at, created_at, updated_at)
       SELECT u.id, u.ref, u.title, u.answers, $5, $6, 'submitted', 2, u.st, u.sub, u.sub, u.cr, u.sub
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $7::text[], $8::text[], $9::jsonb[])
              AS u(id, ref, cr, sub, st, title, answers)`,
      [
        cases.map((x) => x.id),
        cases.map((x) => x.ref),
        cases.map((x) => x.created),
        cases.map((x) => x.submitted),
        owner,
        dept,
        cases.map((x) => x.searchText),
        cases.map((x) => x.title),
        cases.map((x) => x.answers),
      ],
    );
    await c.query(
      `INSERT INTO case_event (case_id, seq, actor_id, action, from_state, to_state, payload, created_at, prev_hash, hash, key_id)
       SELECT *, $11::text FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::timestamptz[], $9::text[], $10::text[])`,
      [ev.caseId, ev.seq, ev.actor, ev.action, ev.from, ev.to, ev.payload, ev.at, ev.prev, ev.hash, AUDIT_KEY.id],
    );
    await c.query(
      `INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at, status, payload, created_at)
       SELECT u.id, 'stage', 'submitted', u.entered, u.kind, u.due, 'pending', '{}', u.entered
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::timestamptz[]) AS u(id, entered, kind, due)`,
      [timer.caseId, timer.entered, timer.kind, timer.due],
    );
    await c.query('COMMIT');
    return cases.map((x) => x.id);
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  }
}
