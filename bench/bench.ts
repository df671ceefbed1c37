/**
 * End-to-end benchmark: seeds a 100k-case database, starts the real API in-process,
 * drives triage actions (API vs raw pg) and list queries, EXPLAINs the list SQL, and
 * writes bench/results/{summary.json,explain.txt}. Run with `npm run bench`.
 *
 * Flags: --keep (keep the database), --db=NAME (the database to create, drop and use;
 * default tr_bench, so a second run beside another uses its own), --cases=N (default 100000),
 * --actions=N (default 3000), --repeat=N (list repetitions, default 200),
 * --scales=10000,100000,1000000 (grow the same database and measure the lists at each
 * scale: the growth table; the last scale is the full run's), --api-workers=1,2 (also
 * run triage against the built API as a separate process per value of API_WORKERS, and
 * measure its RSS), --no-reports (skip the report timings), --reuse (keep the database a --keep
 * run left, migrated forward, and seed only what is missing up to the first scale). Ends with ONE table: each figure, its target, met or not, and the
 * load average when it was measured (bench/results/summary.json has them all).
 * Everything talks to 127.0.0.1 only.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { Client, Pool } from 'pg';
import { appDatabaseUrl, loadConfig } from '@app/config';
import { createDataSource, migrate, ReportService, seedDemo, UserRepository, Viewer } from '@app/persistence';
import { createApiApp } from '../apps/api/src/bootstrap';
import { ApiTriageRun, benchApiEnv, measureApiTriage, runLoad, withApiProcess } from './api-process';
import { cpuSince, cpuSnapshot, profile, profileSummary } from './cpu';
import { captureListSql, explain, ExplainSummary, inlineParams } from './explain';
import { closeAgent, request } from './http';
import { runRawTriage, RawResult } from './raw-triage';
import { BenchIds, loadIds, prepareSubmitted, seedCases } from './seed-data';
import { Stats, summarize } from './stats';

/** The bench's own database (dropped at start and, without --keep, at the end): --db=NAME, default tr_bench. */
const DB = process.argv.find((x) => x.startsWith('--db='))?.split('=')[1] ?? 'tr_bench';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DB)) throw new Error(`--db must be a plain database name (a-z, 0-9, _), not "${DB}"`);
const PG = 'postgres://postgres@127.0.0.1:5432';
const RESULTS = path.resolve(__dirname, '..', '..', 'bench', 'results');
const CONNECTIONS = 32;
const WARMUP_ACTIONS = 300;
/** setupRequest may be called a few times beyond `amount` (one prebuilt request per connection). */
const SPARE_IDS = CONNECTIONS * 3;
const SEARCH_WORD = 'quantum';
/** Triage at one connection: latency without queueing (service time). */
const SERIAL_ACTIONS = 200;

function arg(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
}
const KEEP = process.argv.includes('--keep');
// --reuse: keep the database a --keep run left (migrating it forward) and seed only up to the first scale.
const REUSE = process.argv.includes('--reuse');
const PROFILE = process.argv.includes('--profile');
const SCALES = (process.argv.find((x) => x.startsWith('--scales='))?.split('=')[1] ?? '')
  .split(',')
  .filter(Boolean)
  .map(Number)
  .sort((a, b) => a - b);
const N_CASES = SCALES.length ? SCALES[SCALES.length - 1] : arg('cases', 100_000);
const API_WORKERS = (process.argv.find((x) => x.startsWith('--api-workers='))?.split('=')[1] ?? '').split(',').filter(Boolean).map(Number);
/** A million cases spread over ten years (a large university's archive); smaller runs over three. */
const SEED_YEARS = N_CASES >= 1_000_000 ? 10 : 3;
const load1 = () => Math.round(os.loadavg()[0] * 100) / 100;
const N_ACTIONS = arg('actions', 3000);
const REPEAT = arg('repeat', 200);

const started = performance.now();
function log(line: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${s}s] ${line}\n`);
}
const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Counts the SQL statements the in-process API sends (the API uses this same `pg` module). */
async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const proto = require('pg').Client.prototype as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  const queries: string[] = [];
  proto.query = function (this: unknown, ...a: unknown[]) {
    const q = a[0] as string | { text?: string };
    queries.push((typeof q === 'string' ? q : (q?.text ?? '?')).replace(/\s+/g, ' ').trim());
    return original.apply(this, a);
  };
  try {
    return { result: await fn(), queries };
  } finally {
    proto.query = original;
  }
}

class RssSampler {
  max = 0;
  private timer: NodeJS.Timeout | null = null;
  start() {
    this.max = process.memoryUsage.rss();
    this.timer = setInterval(() => {
      this.max = Math.max(this.max, process.memoryUsage.rss());
    }, 100);
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.max = Math.max(this.max, process.memoryUsage.rss());
    return this.max;
  }
}

interface ListResult {
  name: string;
  path: string;
  as: string;
  latencyMs: Stats;
  items: number;
  hasNext: boolean;
  non2xx: number;
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  log(`bench: ${N_CASES} cases, ${N_ACTIONS} actions per path, ${CONNECTIONS} connections, list repeat ${REPEAT}${KEEP ? ', --keep' : ''}`);

  // 1. Fresh database (or, with --reuse, the one left by --keep), migrated and demo-seeded.
  const exists = await admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount === 1);
  if (!REUSE || !exists) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  const benchEnv = benchApiEnv(PG, DB);
  const config = loadConfig(benchEnv);
  const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const pgSettings = await admin(async (c) => {
    const out: Record<string, string> = {};
    for (const s of ['server_version', 'shared_buffers', 'work_mem', 'synchronous_commit', 'fsync', 'random_page_cost', 'jit']) {
      out[s] = (await c.query(`SHOW ${s}`)).rows[0][s];
    }
    return out;
  });
  await migrate(config);
  const ownerDs = createDataSource(config, 'owner', 2);
  await ownerDs.initialize();
  await seedDemo(ownerDs);
  await ownerDs.destroy();
  log('database migrated and demo-seeded');

  const owner = new Client({ connectionString: config.database.url, application_name: 'trusted-research-bench-seed' });
  await owner.connect();
  let app: Awaited<ReturnType<typeof createApiApp>> | null = null;
  let appPool: Pool | null = null;
  const summary: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageAtStart: loadAtStart, node: process.version, postgres: pgSettings },
    params: { cases: N_CASES, actions: N_ACTIONS, connections: CONNECTIONS, poolSize: config.database.poolSize, listRepeat: REPEAT },
  };
  try {
    // 2. Bulk seed.
    const ids: BenchIds = await loadIds(owner);
    let t = performance.now();
    const firstScale = SCALES.length ? SCALES[0] : N_CASES;
    const before = Number((await owner.query('SELECT count(*)::int AS n FROM collaboration_case')).rows[0].n);
    if (before) log(`reusing ${DB}: ${before} cases already there`);
    const seedSteps = await seedCases(owner, ids, Math.max(0, firstScale - before), { years: SEED_YEARS });
    const seedMs = Math.round(performance.now() - t);
    t = performance.now();
    await owner.query('ANALYZE');
    const analyzeMs = Math.round(performance.now() - t);
    const counts = (
      await owner.query(`SELECT (SELECT count(*) FROM collaboration_case)::int AS cases, (SELECT count(*) FROM case_event)::int AS events,
      (SELECT count(*) FROM case_timer)::int AS timers, pg_size_pretty(pg_database_size(current_database())) AS size`)
    ).rows[0];
    const states = (await owner.query('SELECT state, count(*)::int AS n FROM collaboration_case GROUP BY 1 ORDER BY 2 DESC')).rows;
    log(
      `seeded ${counts.cases} cases (${SEED_YEARS} years), ${counts.events} events, ${counts.timers} timers in ${seedMs} ms (${JSON.stringify(seedSteps)}); ANALYZE ${analyzeMs} ms; db ${counts.size}`,
    );
    log(`states: ${states.map((s: { state: string; n: number }) => `${s.state}=${s.n}`).join(' ')}`);

    // 4/5 inputs: fresh submitted cases for each path (plus warm-up and spares).
    t = performance.now();
    const apiWarm = await prepareSubmitted(owner, ids, WARMUP_ACTIONS + SPARE_IDS);
    const apiIds = await prepareSubmitted(owner, ids, N_ACTIONS + SPARE_IDS);
    const rawWarm = await prepareSubmitted(owner, ids, WARMUP_ACTIONS);
    const rawIds = await prepareSubmitted(owner, ids, N_ACTIONS);
    const apiSerial = await prepareSubmitted(owner, ids, SERIAL_ACTIONS + SPARE_IDS);
    const rawSerial = await prepareSubmitted(owner, ids, SERIAL_ACTIONS);
    await owner.query('ANALYZE collaboration_case, case_event, case_timer');
    const prepareMs = Math.round(performance.now() - t);
    log(`prepared ${apiWarm.length + apiIds.length + rawWarm.length + rawIds.length + apiSerial.length + rawSerial.length} submitted cases in ${prepareMs} ms`);
    summary.seed = { ms: seedMs, steps: seedSteps, analyzeMs, prepareMs, ...counts, states };

    // 3. The real API, in this process.
    t = performance.now();
    app = await createApiApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as { port: number }).port;
    const login = async (email: string) => {
      const r = await request(port, 'POST', '/api/auth/login', undefined, { email, password: 'demo1234' });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.accessToken as string;
    };
    const officerToken = await login('officer@example.ac.uk');
    const researcherToken = await login('researcher@example.ac.uk');
    // researcher@ owns every case the bench prepared (the newest); researcher2@ (Chemistry) and
    // the head of Physics do not, so their first page exercises the sign-off visibility clauses.
    const researcher2Token = await login('researcher2@example.ac.uk');
    const headToken = await login('head.physics@example.ac.uk');
    const rssIdle = process.memoryUsage();
    log(`API listening on 127.0.0.1:${port} (boot ${Math.round(performance.now() - t)} ms); RSS ${mb(rssIdle.rss)} MB, heap ${mb(rssIdle.heapUsed)} MB`);

    // 4. Triage through the API.
    const body = { riskLevel: 'low', exportControlRelevant: false };
    // The first command after boot loads the SLA cache; count a warm one (the cache's own test: command-statements e2e).
    await request(port, 'POST', `/api/cases/${apiWarm[1]}/actions/triage`, officerToken, body);
    const one = await countQueries(() => request(port, 'POST', `/api/cases/${apiWarm[0]}/actions/triage`, officerToken, body));
    if (one.result.status !== 200) throw new Error(`triage probe: ${one.result.status} ${JSON.stringify(one.result.body)}`);
    log(
      `one API triage request sends ${one.queries.length} SQL statements, session check included (raw path: 12 incl. BEGIN/COMMIT); listed in bench/results/api-triage-sql.txt`,
    );
    writeFileSync(path.join(RESULTS, 'api-triage-sql.txt'), one.queries.map((q, i) => `${i + 1}. ${q}`).join('\n\n') + '\n');
    const url = `http://127.0.0.1:${port}`;
    await runLoad({ url, token: officerToken, ids: apiWarm.slice(2), amount: WARMUP_ACTIONS - 2, connections: CONNECTIONS, action: 'triage', body });
    log('API warm-up done');
    const sampler = new RssSampler();
    sampler.start();
    const rssBeforeLoad = process.memoryUsage().rss;
    const backendPids = async (): Promise<number[]> =>
      (await owner.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [DB])).rows.map((x: { pid: number }) => x.pid);
    const cpuA = cpuSnapshot(await backendPids());
    const prof = await profile(PROFILE, () =>
      runLoad({ url, token: officerToken, ids: apiIds, amount: N_ACTIONS, connections: CONNECTIONS, action: 'triage', body }),
    );
    const apiCpu = cpuSince(cpuA, await backendPids());
    const api = prof.result;
    let apiProfile: ReturnType<typeof profileSummary> | null = null;
    if (prof.profile) {
      writeFileSync(path.join(RESULTS, 'api-triage.cpuprofile'), JSON.stringify(prof.profile));
      apiProfile = profileSummary(prof.profile as Parameters<typeof profileSummary>[0]);
      log(
        `API main-thread profile (bench/results/api-triage.cpuprofile), ${apiProfile.totalMs} ms sampled, busy ${apiProfile.busyMs} ms (GC ${apiProfile.gcMs} ms) = ${(apiProfile.busyMs / N_ACTIONS).toFixed(2)} ms main-thread CPU per request`,
      );
      log(`  self: ${apiProfile.selfMs.map(([k, t]) => `${t} ${k}`).join('\n         ')}`);
      log(`  inclusive by package: ${apiProfile.packageMs.map(([k, t]) => `${k}=${t}`).join(', ')}`);
    }
    const rssPeakActions = sampler.stop();
    const rssAfterActions = process.memoryUsage().rss;
    const r = api.result;
    const apiRps = r['2xx'] / r.duration;
    const triaged = (
      await owner.query(
        `SELECT count(*)::int AS n, count(DISTINCT e.case_id)::int AS cases FROM case_event e WHERE e.case_id = ANY($1::uuid[]) AND e.action = 'triage'`,
        [apiIds],
      )
    ).rows[0];
    log(
      `API triage: ${r['2xx']} ok, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts} in ${r.duration.toFixed(2)} s => ${apiRps.toFixed(1)} req/s (autocannon avg ${r.requests.average}/s); latency p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; triage events ${triaged.n} on ${triaged.cases} distinct cases`,
    );
    if (api.failures.length) log(`  first failures: ${JSON.stringify(api.failures)}`);
    log(
      `  CPU during API load: this process ${apiCpu.processCores} cores (${((apiCpu.processCores * apiCpu.seconds * 1000) / r['2xx']).toFixed(2)} ms per request), machine ${apiCpu.machineCores} of ${summary.machine && (summary.machine as { cpus: number }).cpus} cores (other work on the machine: ${apiCpu.otherCores}); ${DB} backends ${apiCpu.postgresCores} cores = ${(((apiCpu.postgresCpuSeconds ?? NaN) * 1000) / r['2xx']).toFixed(2)} ms CPU per request`,
    );

    // 5. The same transaction over raw pg.
    const appUrl = appDatabaseUrl(config);
    await runRawTriage(appUrl, config.database.poolSize, rawWarm, ids.officer, CONNECTIONS);
    const cpuR = cpuSnapshot(await backendPids());
    let rawCpu: ReturnType<typeof cpuSince> | null = null;
    const raw: RawResult = await runRawTriage(appUrl, config.database.poolSize, rawIds, ids.officer, CONNECTIONS, async () => {
      rawCpu = cpuSince(cpuR, await backendPids());
    });
    const ratio = apiRps / raw.txPerSecond;
    log(
      `raw pg triage: ${raw.transactions} tx (${raw.failed} failed${raw.firstError ? `: ${raw.firstError}` : ''}) in ${raw.seconds.toFixed(2)} s => ${raw.txPerSecond.toFixed(1)} tx/s; latency p50 ${raw.latencyMs.p50} ms, p99 ${raw.latencyMs.p99} ms`,
    );
    const rc = rawCpu as ReturnType<typeof cpuSince> | null;
    if (rc)
      log(
        `  CPU during raw load: this process ${rc.processCores} cores (${((rc.processCores * rc.seconds * 1000) / raw.transactions).toFixed(2)} ms per tx), machine ${rc.machineCores} (other work on the machine: ${rc.otherCores}); ${DB} backends ${rc.postgresCores} cores = ${(((rc.postgresCpuSeconds ?? NaN) * 1000) / raw.transactions).toFixed(2)} ms CPU per tx`,
      );
    // Service time: the same action with no queueing (1 connection / 1 worker).
    const apiOne = (await runLoad({ url, token: officerToken, ids: apiSerial, amount: SERIAL_ACTIONS, connections: 1, action: 'triage', body })).result;
    const rawOne = await runRawTriage(appUrl, config.database.poolSize, rawSerial, ids.officer, 1);
    log(
      `at 1 connection: API ${(apiOne['2xx'] / apiOne.duration).toFixed(1)} req/s, p50 ${apiOne.latency.p50} ms, p99 ${apiOne.latency.p99} ms (non-2xx ${apiOne.non2xx}); raw ${rawOne.txPerSecond.toFixed(1)} tx/s, p50 ${rawOne.latencyMs.p50} ms, p99 ${rawOne.latencyMs.p99} ms`,
    );
    log(`API / raw = ${ratio.toFixed(2)} (target >= 0.5); API p99 ${r.latency.p99} ms (target < 50 ms)`);

    // 5b. The built API as its own process(es): API_WORKERS=N (node:cluster), same triage load; RSS of the process tree.
    const clusterRuns: (Omit<ApiTriageRun, 'serial'> & { workers: number; ratioToRaw: number; loadAvg: number })[] = [];
    for (const n of API_WORKERS) {
      const idsN = await prepareSubmitted(owner, ids, N_ACTIONS + WARMUP_ACTIONS + SPARE_IDS);
      const { serial: _none, ...out } = await withApiProcess(benchEnv, n, (api) =>
        measureApiTriage(api, { warm: idsN.slice(0, WARMUP_ACTIONS), ids: idsN.slice(WARMUP_ACTIONS), amount: N_ACTIONS, connections: CONNECTIONS, body }),
      );
      const run = { workers: n, ...out, ratioToRaw: Math.round((out.requestsPerSecond / raw.txPerSecond) * 100) / 100, loadAvg: load1() };
      clusterRuns.push(run);
      log(
        `API as a process, API_WORKERS=${n}: ${run.requestsPerSecond} req/s (${run.ok} ok, ${run.non2xx} non-2xx), p50 ${run.p50} ms, p99 ${run.p99} ms; / raw = ${run.ratioToRaw}; CPU ${run.cpuMsPerRequest} ms per request (process tree); RSS idle ${run.rssIdleMb} MB, peak ${run.rssPeakMb} MB; load ${run.loadAvg}`,
      );
    }
    summary.apiProcesses = clusterRuns;
    const ratioLoad = load1();

    summary.actions = {
      api: {
        requests: r['2xx'] + r.non2xx,
        ok: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        seconds: r.duration,
        requestsPerSecond: Math.round(apiRps * 10) / 10,
        autocannonAvgPerSecond: r.requests.average,
        latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
        idsTaken: api.idsTaken,
        triageEvents: triaged.n,
        failures: api.failures,
        sqlStatementsPerRequest: one.queries.length,
        sqlStatements: one.queries.map((q) => q.slice(0, 120)),
        cpu: apiCpu,
        profile: apiProfile,
      },
      raw: { ...raw, txPerSecond: Math.round(raw.txPerSecond * 10) / 10, sqlStatementsPerTx: 12, cpu: rawCpu },
      ratioApiToRaw: Math.round(ratio * 100) / 100,
      serviceTime: {
        note: 'same triage at 1 connection / 1 worker: latency without queueing',
        api: {
          ok: apiOne['2xx'],
          non2xx: apiOne.non2xx,
          requestsPerSecond: Math.round((apiOne['2xx'] / apiOne.duration) * 10) / 10,
          latencyMs: { p50: apiOne.latency.p50, p90: apiOne.latency.p90, p99: apiOne.latency.p99, max: apiOne.latency.max },
        },
        raw: { tx: rawOne.transactions, failed: rawOne.failed, txPerSecond: Math.round(rawOne.txPerSecond * 10) / 10, latencyMs: rawOne.latencyMs },
      },
      targets: { ratioMin: 0.5, ratioMet: ratio >= 0.5, apiP99MaxMs: 50, apiP99Met: r.latency.p99 < 50, non2xxZero: r.non2xx === 0 && r.errors === 0 },
    };

    // 6. List queries through the API (at each scale of --scales, growing the same database).
    const physics = ids.departments.physics;
    const tokens: Record<string, string> = { officer: officerToken, researcher: researcherToken, researcher2: researcher2Token, head: headToken };
    const measureLists = async () => {
      // 6. List queries through the API.
      const oldRef: string = (
        await owner.query(`SELECT reference FROM collaboration_case WHERE created_at < now() - interval '400 days' ORDER BY created_at DESC LIMIT 1`)
      ).rows[0].reference;
      const cases: { name: string; path: string; as: 'officer' | 'researcher' | 'researcher2' | 'head' }[] = [
        { name: 'first page', path: '/api/cases?limit=25', as: 'officer' },
        { name: `text search q=${SEARCH_WORD}`, path: `/api/cases?q=${SEARCH_WORD}`, as: 'officer' },
        { name: 'department=Physics', path: `/api/cases?department=${physics}`, as: 'officer' },
        { name: 'reference search (extra)', path: `/api/cases?q=${oldRef}`, as: 'officer' },
        { name: 'state=triaged&sort=age', path: '/api/cases?state=triaged&sort=age', as: 'officer' },
        { name: 'researcher first page', path: '/api/cases?limit=25', as: 'researcher' },
        { name: 'researcher2 first page (extra)', path: '/api/cases?limit=25', as: 'researcher2' },
        { name: 'head of Physics first page (extra)', path: '/api/cases?limit=25', as: 'head' },
      ];
      const tokenOf = (as: string) => tokens[as];
      const lists: ListResult[] = [];
      for (const lc of cases) {
        for (let i = 0; i < 20; i++) await request(port, 'GET', lc.path, tokenOf(lc.as));
        const lat: number[] = [];
        let non2xx = 0;
        let last: { items: unknown[]; nextCursor: string | null } = { items: [], nextCursor: null };
        for (let i = 0; i < REPEAT; i++) {
          const res = await request(port, 'GET', lc.path, tokenOf(lc.as));
          if (res.status !== 200) non2xx++;
          else last = res.body;
          lat.push(res.ms);
        }
        const s = summarize(lat);
        lists.push({ name: lc.name, path: lc.path, as: lc.as, latencyMs: s, items: last.items.length, hasNext: !!last.nextCursor, non2xx });
        log(`list ${lc.name} (${lc.as}): p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms, max ${s.max} ms; ${last.items.length} items; non-2xx ${non2xx}`);
      }
      // Deep pages: follow nextCursor 50 times from the first page, several walks.
      const walks = Math.max(1, Math.round(REPEAT / 50));
      const cursorLat: number[] = [];
      const page50: number[] = [];
      let deepCursor: string | null = null;
      let deepNon2xx = 0;
      for (let w = 0; w <= walks; w++) {
        let res = await request(port, 'GET', '/api/cases?limit=25', officerToken);
        for (let p = 1; p <= 50; p++) {
          const cursor: string = res.body.nextCursor;
          if (!cursor) throw new Error(`no nextCursor at page ${p}`);
          if (p === 50) deepCursor = cursor;
          res = await request(port, 'GET', `/api/cases?limit=25&cursor=${encodeURIComponent(cursor)}`, officerToken);
          if (res.status !== 200) deepNon2xx++;
          if (w > 0) {
            // walk 0 warms up
            cursorLat.push(res.ms);
            if (p === 50) page50.push(res.ms);
          }
        }
      }
      const cs = summarize(cursorLat);
      const p50s = summarize(page50);
      lists.push({
        name: 'cursor pages 1..50 (follow nextCursor)',
        path: '/api/cases?limit=25&cursor=…',
        as: 'officer',
        latencyMs: cs,
        items: 25,
        hasNext: true,
        non2xx: deepNon2xx,
      });
      log(
        `list cursor walk (${walks} walks x 50 follows): p50 ${cs.p50} ms, p95 ${cs.p95} ms, p99 ${cs.p99} ms; 50th follow: ${page50.map((x) => x.toFixed(1)).join(', ')} ms (median ${p50s.p50})`,
      );
      return { lists, page50, p50s, deepCursor, oldRef };
    };
    const sampler2 = new RssSampler();
    sampler2.start();
    const growth: { cases: number; loadAvg: number; seedMs: number; p95: Record<string, number> }[] = [];
    let measured = await measureLists();
    growth.push({ cases: firstScale, loadAvg: load1(), seedMs, p95: Object.fromEntries(measured.lists.map((l) => [l.name, l.latencyMs.p95])) });
    for (const scale of SCALES.slice(1)) {
      const have = Number((await owner.query('SELECT count(*)::int AS n FROM collaboration_case')).rows[0].n);
      const ts = performance.now();
      const steps = await seedCases(owner, ids, Math.max(0, scale - have), { years: SEED_YEARS, seed: scale / 1e7 });
      const grewMs = Math.round(performance.now() - ts);
      await owner.query('ANALYZE');
      log(`grew to ${scale} cases in ${grewMs} ms (${JSON.stringify(steps)})`);
      measured = await measureLists();
      growth.push({ cases: scale, loadAvg: load1(), seedMs: grewMs, p95: Object.fromEntries(measured.lists.map((l) => [l.name, l.latencyMs.p95])) });
    }
    const { lists, page50, p50s, deepCursor, oldRef } = measured;
    if (growth.length > 1) {
      const names = lists.map((l) => l.name);
      const head = ['list p95 (ms)', ...growth.map((g) => `${g.cases.toLocaleString('en-GB')} cases`)];
      const rowsG = names.map((n) => [n, ...growth.map((g) => String(g.p95[n]))]);
      const wg = head.map((_, i) => Math.max(head[i].length, ...rowsG.map((r) => r[i].length)));
      const lineG = (x: string[]) => x.map((v, i) => v.padEnd(wg[i])).join(' | ');
      process.stdout.write(
        `\nGrowth (same queries, same database grown)\n${lineG(head)}\n${wg.map((n) => '-'.repeat(n)).join('-+-')}\n${rowsG.map(lineG).join('\n')}\n${lineG(['load average', ...growth.map((g) => String(g.loadAvg))])}\n\n`,
      );
    }
    summary.growth = growth;
    const rssPeakLists = sampler2.stop();
    const rssAfterLists = process.memoryUsage();

    summary.lists = {
      items: lists,
      page50Ms: page50.map((x) => Math.round(x * 100) / 100),
      page50MedianMs: p50s.p50,
      targetP95Ms: 30,
      allMet: lists.every((l) => l.latencyMs.p95 < 30 && l.non2xx === 0),
    };

    // 6b. Reports (staff): each report over the default year and over all three years, p95 at this scale.
    // The report summary as the worker keeps it (this bench runs no worker): one refresh first.
    const noReports = process.argv.includes('--no-reports');
    const summaryStart = performance.now();
    const built = noReports ? null : await app.get(ReportService).refreshSummary();
    log(`report summary: ${built?.cases ?? 0} cases in ${Math.round(performance.now() - summaryStart)} ms`);
    const reportCases: { name: string; path: string }[] = noReports
      ? []
      : [
          { name: 'all reports, last 12 months', path: '/api/reports' },
          { name: 'all reports, 3 years', path: `/api/reports?from=${DateTime.now().minus({ years: 3 }).toISODate()}` },
          { name: 'all reports, Physics, 3 years', path: `/api/reports?from=${DateTime.now().minus({ years: 3 }).toISODate()}&department=${physics}` },
          ...['volumes', 'stage-times', 'sla', 'backlog', 'outcomes', 'countries', 'nsi-areas', 'screening', 're-reviews'].map((n) => ({
            name: `${n}, 12 months`,
            path: `/api/reports/${n}`,
          })),
          { name: 'volumes as XLSX, 12 months', path: '/api/reports/volumes?format=xlsx' },
        ];
    const reportRepeat = Math.max(10, Math.round(REPEAT / 5));
    const reports: { name: string; path: string; latencyMs: Stats; non2xx: number }[] = [];
    for (const rc of reportCases) {
      for (let i = 0; i < 3; i++) await request(port, 'GET', rc.path, officerToken);
      const lat: number[] = [];
      let non2xx = 0;
      for (let i = 0; i < reportRepeat; i++) {
        const res = await request(port, 'GET', rc.path, officerToken);
        if (res.status !== 200) non2xx++;
        lat.push(res.ms);
      }
      const s = summarize(lat);
      reports.push({ name: rc.name, path: rc.path, latencyMs: s, non2xx });
      log(`report ${rc.name}: p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms; non-2xx ${non2xx}`);
    }
    summary.reports = { items: reports, targetP95Ms: 200, allMet: reports.every((x) => x.latencyMs.p95 < 200 && x.non2xx === 0) };

    // 7. EXPLAIN the list SQL, exactly as CaseRepository.list builds it.
    appPool = new Pool({ connectionString: appUrl, max: 2, application_name: 'trusted-research-bench-explain' });
    const today = DateTime.now().setZone(config.timezone).toISODate()!;
    const staff: Viewer = { id: ids.officer, staff: true, today };
    // Non-staff viewers carry what they may sign, exactly as CaseService.viewer() builds them.
    const users = new UserRepository();
    // The repository only calls query(); a pg Client answers rows the same way.
    const asManager = { query: async (sql: string, params?: unknown[]) => (await owner.query(sql, params)).rows } as unknown as Parameters<
      UserRepository['viewerSigning']
    >[0];
    const nonStaff = async (id: string): Promise<Viewer> => ({ id, staff: false, today, signing: await users.viewerSigning(asManager, id, today) });
    const researcher: Viewer = await nonStaff(ids.researcher.id);
    const userId = async (email: string): Promise<string> => (await owner.query('SELECT id FROM app_user WHERE email = $1', [email])).rows[0].id;
    const headId = await userId('head.physics@example.ac.uk');
    const researcher2Id = await userId('researcher2@example.ac.uk');
    const decoded = deepCursor ? (JSON.parse(Buffer.from(deepCursor, 'base64url').toString('utf8')) as { k: string; i: string }) : null;
    const plans: ExplainSummary[] = [];
    const toExplain: [string, Viewer, Parameters<typeof captureListSql>[1], Parameters<typeof captureListSql>[2], Parameters<typeof captureListSql>[4]][] = [
      ['first page', staff, { states: [] }, 'created', null],
      [`text search q=${SEARCH_WORD}`, staff, { states: [], text: SEARCH_WORD }, 'created', null],
      ['department=Physics', staff, { states: [], departmentId: physics }, 'created', null],
      ['reference search (extra)', staff, { states: [], text: oldRef.toLowerCase() }, 'created', null],
      ['cursor page 51 (50th follow)', staff, { states: [] }, 'created', decoded ? { key: decoded.k, id: decoded.i } : null],
      ['state=triaged&sort=age', staff, { states: ['triaged'] }, 'age', null],
      ['researcher first page', researcher, { states: [] }, 'created', null],
      ['researcher2 first page (extra)', await nonStaff(researcher2Id), { states: [] }, 'created', null],
      ['head of Physics first page (extra)', await nonStaff(headId), { states: [] }, 'created', null],
    ];
    let explainText = `# EXPLAIN (ANALYZE, BUFFERS) of CaseRepository.list SQL, ${new Date().toISOString()}\n# ${N_CASES} seeded cases; postgres ${pgSettings.server_version}\n`;
    for (const [name, viewer, filter, sort, after] of toExplain) {
      const q = await captureListSql(viewer, filter, sort, 25, after);
      const e = await explain(appPool, name, q);
      plans.push(e);
      explainText += `\n\n===== ${name} =====\n-- params: ${JSON.stringify(q.params)}\n${inlineParams(q).replace(/\n\s*\n/g, '\n')};\n\n${e.plan}\n`;
      log(`EXPLAIN ${name}: ${e.scans.join(' + ') || '(no scans?)'}; execution ${e.executionMs} ms, planning ${e.planningMs} ms; buffers ${e.topBuffers}`);
    }
    writeFileSync(path.join(RESULTS, 'explain.txt'), explainText);
    summary.explain = plans.map(({ plan: _p, ...rest }) => rest);

    // 8. Memory (the API shares this process with the bench driver; autocannon runs in a worker thread of it).
    summary.memory = {
      note: 'process.memoryUsage() of the bench process, which hosts the API in-process (and autocannon in a worker thread during action load)',
      rssIdleMb: mb(rssIdle.rss),
      heapIdleMb: mb(rssIdle.heapUsed),
      rssBeforeActionLoadMb: mb(rssBeforeLoad),
      rssPeakActionLoadMb: mb(rssPeakActions),
      rssAfterActionLoadMb: mb(rssAfterActions),
      rssPeakListLoadMb: mb(rssPeakLists),
      rssAfterListLoadMb: mb(rssAfterLists.rss),
      heapAfterListLoadMb: mb(rssAfterLists.heapUsed),
    };

    // 9. Summary: ONE table, each figure against its target (issue 17), with the load average when it was measured.
    const loadAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
    const listLoad = growth[growth.length - 1].loadAvg;
    const begin = one.queries.findIndex((q) => /^(BEGIN|START TRANSACTION)/i.test(q));
    const commandStatements = begin >= 0 ? one.queries.length - begin : one.queries.length;
    const single = clusterRuns.find((x) => x.workers === 1);
    const rssMb = single ? single.rssPeakMb : mb(Math.max(rssPeakActions, rssPeakLists));
    const mailFile = path.join(RESULTS, 'mail.json');
    const mail = existsSync(mailFile) ? (JSON.parse(readFileSync(mailFile, 'utf8')) as Record<string, unknown>) : null;
    const mailRatio = mail
      ? ([mail.ratio, mail.ratioToRaw, mail.pipelineToRaw, (mail.summary as Record<string, unknown> | undefined)?.ratio].find((x) => typeof x === 'number') as
          number | undefined)
      : undefined;
    type Row = [figure: string, value: string, target: string, met: string, load: string];
    const yes = (b: boolean) => (b ? 'met' : 'MISSED');
    const rows: Row[] = [
      [
        'triage API / raw pg, 32 connections (API in process)',
        `${ratio.toFixed(2)} (${apiRps.toFixed(1)} req/s vs ${raw.txPerSecond.toFixed(1)} tx/s)`,
        '>= 0.5',
        yes(ratio >= 0.5),
        String(ratioLoad),
      ],
      ...clusterRuns.map((x): Row => [
        `triage API / raw pg, 32 connections, API_WORKERS=${x.workers} (own process)`,
        `${x.ratioToRaw.toFixed(2)} (${x.requestsPerSecond} req/s, p99 ${x.p99} ms)`,
        '>= 0.5',
        yes(x.ratioToRaw >= 0.5),
        String(x.loadAvg),
      ]),
      [
        'triage at 1 connection, API p50 (raw pg p50)',
        `${apiOne.latency.p50} ms (${rawOne.latencyMs.p50} ms)`,
        '<= 8 ms',
        yes(apiOne.latency.p50 <= 8),
        String(ratioLoad),
      ],
      [
        'statements per triage, BEGIN..COMMIT + answer (+ session check)',
        `${commandStatements} (+${one.queries.length - commandStatements}) = ${one.queries.length}`,
        '<= 12',
        yes(one.queries.length <= 12),
        '-',
      ],
      ...lists.map((l): Row => [
        `list p95 at ${N_CASES.toLocaleString('en-GB')}: ${l.name} (${l.as})`,
        `${l.latencyMs.p95} ms`,
        '< 30 ms',
        yes(l.latencyMs.p95 < 30 && l.non2xx === 0),
        String(listLoad),
      ]),
      [
        `API RSS peak under load (${single ? 'own process, API_WORKERS=1' : 'in process with the load generator'})`,
        `${rssMb} MB`,
        '<= 250 MB',
        yes(rssMb <= 250),
        String(single ? single.loadAvg : listLoad),
      ],
      [
        'email pipeline / raw nodemailer (bench:mail, bench/results/mail.json)',
        mailRatio !== undefined ? mailRatio.toFixed(2) : mail ? 'see mail.json' : 'not run',
        '>= 0.8',
        mailRatio !== undefined ? yes(mailRatio >= 0.8) : '-',
        '-',
      ],
      ...reports.map((x): Row => [
        `report p95: ${x.name}`,
        `${x.latencyMs.p95} ms`,
        '< 200 ms',
        yes(x.latencyMs.p95 < 200 && x.non2xx === 0),
        String(listLoad),
      ]),
      [
        `seed ${N_CASES.toLocaleString('en-GB')} cases (${SEED_YEARS} years)`,
        `${Math.round(growth.reduce((t, g) => t + g.seedMs, 0) / 1000)} s (+ANALYZE ${analyzeMs} ms)`,
        '-',
        '-',
        '-',
      ],
    ];
    const head: Row = ['figure', 'value', 'target', 'met', 'load avg'];
    const w = [0, 1, 2, 3, 4].map((i) => Math.max(head[i].length, ...rows.map((x) => x[i].length)));
    const line = (x: string[]) => x.map((v, i) => v.padEnd(w[i])).join(' | ');
    process.stdout.write(
      `\n${os.cpus().length} cores; load average (1/5/15 min) at start ${loadAtStart.join(' / ')}, at end ${loadAtEnd.join(' / ')}\n${line(head)}\n${w.map((n) => '-'.repeat(n)).join('-+-')}\n${rows.map(line).join('\n')}\n\n`,
    );
    summary.table = rows.map(([figure, value, target, met, loadAvg]) => ({ figure, value, target, met, loadAvg }));
    (summary.machine as Record<string, unknown>).loadAverageAtEnd = loadAtEnd;
    for (const e of plans) process.stdout.write(`EXPLAIN ${e.name}: ${e.scans.join(' + ')}; ${e.executionMs} ms\n`);
    summary.finishedAt = new Date().toISOString();
    summary.totalSeconds = Math.round((performance.now() - started) / 100) / 10;
    writeFileSync(path.join(RESULTS, 'summary.json'), JSON.stringify(summary, null, 2));
    log(`wrote ${path.join(RESULTS, 'summary.json')} and explain.txt`);
  } finally {
    closeAgent();
    if (app) await app.close().catch((e: unknown) => log(`app.close: ${String(e)}`));
    if (appPool) await appPool.end().catch(() => undefined);
    await owner.end().catch(() => undefined);
    if (!KEEP) {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
      log(`dropped ${DB}`);
    } else log(`kept ${DB} (--keep)`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
