/**
 * Report latency at scale: seeds N cases (the shared seeder plus report-specific extras),
 * builds the report summary, then times every report through ReportService twice in the
 * same run, interleaved: from the summary (what the API serves) and directly from the
 * cases (the plain SQL aggregates: the raw baseline). Prints p50/p95 per report, the ratio
 * direct/summary, and the load average at start and end. The machine is shared: read the
 * ratios, and the absolute figures against the load average.
 *
 *   npm run bench:reports -- --cases=100000 [--repeat=20] [--keep] [--reuse] [--only=all,stage-times] [--no-direct]
 *
 * --no-direct times the summary only (at 1,000,000 cases the direct queries take seconds each);
 * --reuse keeps an already seeded tr_bench_reports_<N> database (seeding 1M cases takes
 * minutes); --keep leaves it for the next --reuse. Talks to 127.0.0.1 only.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { REPORT_NAMES, ReportQuery } from '@app/domain';
import { createDataSource, migrate, ReportService, seedDemo } from '@app/persistence';
import { createApiApp } from '../apps/api/src/bootstrap';
import { seedReportExtras } from './report-seed';
import { loadIds, seedCases } from './seed-data';
import { summarize } from './stats';

const PG = 'postgres://postgres@127.0.0.1:5432';
const arg = (name: string, dflt: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
};
const N = arg('cases', 100_000);
const REPEAT = arg('repeat', 20);
const KEEP = process.argv.includes('--keep');
const REUSE = process.argv.includes('--reuse');
const SOURCES = process.argv.includes('--no-direct') ? (['summary'] as const) : (['summary', 'direct'] as const);
/** --only=volumes,all: time only the cases whose name starts with one of these. */
const ONLY =
  process.argv
    .find((x) => x.startsWith('--only='))
    ?.slice(7)
    .split(',') ?? null;
const DB = `tr_bench_reports_${N}`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const t0 = performance.now();
const log = (s: string) => process.stdout.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}\n`);

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const loadStart = load();
  log(`report bench: ${N} cases, ${REPEAT} timed runs per report and source; load average ${loadStart}`);
  const exists = (await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]))).rowCount! > 0;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `${PG}/${DB}`,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: 'trbenchreports',
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
  });
  if (!(REUSE && exists)) {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
    await migrate(config);
    const ds = createDataSource(config, 'owner', 2);
    await ds.initialize();
    await seedDemo(ds);
    await ds.destroy();
    const c = new Client({ connectionString: config.database.url });
    await c.connect();
    let t = performance.now();
    const steps = await seedCases(c, await loadIds(c), N);
    log(`seeded ${N} cases in ${Math.round(performance.now() - t)} ms ${JSON.stringify(steps)}`);
    t = performance.now();
    await seedReportExtras(c);
    await c.query('ANALYZE');
    log(`report extras and ANALYZE in ${Math.round(performance.now() - t)} ms`);
    await c.end();
  } else {
    await migrate(config);
    log(`reusing ${DB}`);
  }

  const app = await createApiApp(config, { logger: false });
  await app.init();
  const reports = app.get(ReportService);
  const owner = new Client({ connectionString: config.database.url });
  await owner.connect();
  try {
    // The summary: a full build (first run or calendar change), then an incremental refresh with nothing changed.
    await owner.query('DELETE FROM report_summary_state');
    let t = performance.now();
    const full = await reports.refreshSummary();
    const fullMs = Math.round(performance.now() - t);
    // As autovacuum would after the build's inserts (and the seed's timers): statistics, and the visibility map that lets
    // report_stage, the open report_case rows and the pending re-review timers be read from their indexes alone.
    await owner.query('VACUUM ANALYZE report_case, report_stage, report_day, report_stage_day, case_timer');
    t = performance.now();
    await reports.refreshSummary();
    const incrMs = Math.round(performance.now() - t);
    const counts = (
      await owner.query(`SELECT (SELECT count(*) FROM collaboration_case)::int AS cases, (SELECT count(*) FROM case_stage_interval)::int AS stays,
      (SELECT count(*) FROM report_case)::int AS summary, pg_size_pretty(pg_total_relation_size('report_case')) AS "summarySize"`)
    ).rows[0];
    log(`summary built: ${full?.cases} rows in ${fullMs} ms; incremental refresh (nothing changed) ${incrMs} ms; ${JSON.stringify(counts)}`);

    const physics = (await owner.query(`SELECT id FROM department WHERE code = 'PHYS'`)).rows[0].id as string;
    const from3y = DateTime.now().minus({ years: 3 }).toISODate()!;
    const cases: { name: string; run: (source: 'summary' | 'direct') => Promise<unknown> }[] = [
      { name: 'all nine, 12 months', run: (s) => reports.all({}, s) },
      { name: 'all nine, 3 years', run: (s) => reports.all({ from: from3y }, s) },
      { name: 'all nine, Physics, 3 years', run: (s) => reports.all({ from: from3y, department: physics }, s) },
      { name: 'all nine, CN, 3 years', run: (s) => reports.all({ from: from3y, country: 'CN' } as ReportQuery, s) },
      { name: 'all nine, CN + high, 3 years', run: (s) => reports.all({ from: from3y, country: 'CN', riskTier: 'high' } as ReportQuery, s) },
      ...REPORT_NAMES.map((n) => ({ name: `${n}, 12 months`, run: (s: 'summary' | 'direct') => reports.one(n, {}, s) })),
      ...(['stage-times', 'sla', 'countries'] as const).map((n) => ({
        name: `${n}, 3 years`,
        run: (s: 'summary' | 'direct') => reports.one(n, { from: from3y }, s),
      })),
    ];
    const rows: { name: string; summary: ReturnType<typeof summarize>; direct: ReturnType<typeof summarize> }[] = [];
    for (const c of cases.filter((x) => !ONLY || ONLY.some((o) => x.name.startsWith(o)))) {
      for (let i = 0; i < 2; i++) {
        for (const s of SOURCES) await c.run(s);
      }
      const ms: Record<'summary' | 'direct', number[]> = { summary: [], direct: [] };
      for (let i = 0; i < REPEAT; i++) {
        for (const s of SOURCES) {
          const t1 = performance.now();
          await c.run(s);
          ms[s].push(performance.now() - t1);
        }
      }
      const r = { name: c.name, summary: summarize(ms.summary), direct: summarize(ms.direct) };
      rows.push(r);
      log(`${c.name}: summary p95 ${r.summary.p95} ms, direct p95 ${r.direct.p95} ms`);
    }
    const loadEnd = load();
    const target = N >= 1_000_000 ? 1000 : 200;
    const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—').padStart(8);
    const lines = [
      `Reports at ${N.toLocaleString('en-GB')} cases (${counts.stays.toLocaleString('en-GB')} stays; summary ${counts.summary.toLocaleString('en-GB')} rows, ${counts.summarySize}); ${REPEAT} runs each, interleaved`,
      `load average (1/5/15 min) at start ${loadStart}, at end ${loadEnd}; summary full build ${fullMs} ms, incremental refresh ${incrMs} ms`,
      '',
      `| report | summary p50 | summary p95 | direct p50 | direct p95 | direct/summary (p95) | target p95 < ${target} ms |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${fmt(r.summary.p50)} | ${fmt(r.summary.p95)} | ${fmt(r.direct.p50)} | ${fmt(r.direct.p95)} | ${r.direct.n ? `${(r.direct.p95 / r.summary.p95).toFixed(1)}×` : '—'} | ${r.summary.p95 < target ? 'met' : 'missed'} |`,
      ),
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
    const dir = path.resolve(process.cwd(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `reports-${N}.json`), JSON.stringify({ cases: N, repeat: REPEAT, loadStart, loadEnd, fullMs, incrMs, counts, rows }, null, 2));
  } finally {
    await owner.end();
    await app.close();
    if (!KEEP) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
