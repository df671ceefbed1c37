/**
 * `npm run bench:screening`: screening latency on a generated list of 12,000 parties
 * (about 30,000 names) in a scratch database, plus precision and recall on the
 * labelled pairs in fixtures/screening/labelled-name-pairs.json.
 *
 * The generated list is synthetic (no real parties): city + subject + institution type
 * for organisations, first + patronymic + surname for people, with aliases. Queries are
 * listed names perturbed the way researchers type them (word order, suffixes, case,
 * transliteration) and names that are not listed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { nameSimilarity, ParsedList, ParsedListEntry, RISK_CONFIG } from '@app/domain';
import { AuditRepository, CaseRepository, createDataSource, ensureDatabaseExists, migrate, OutboxRepository, ScreeningRepository, SlaRepository, TimerRepository } from '@app/persistence';
import { CaseCommit } from '../apps/api/src/commit/case-commit';
import { ScreeningService } from '../apps/api/src/screening/screening.service';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 12000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 400);

// Deterministic pseudo-random numbers, so runs are comparable.
let seed = 42;
function rnd(): number {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const CITIES = ['Harbin', 'Nanjing', 'Xian', 'Chengdu', 'Wuhan', 'Changsha', 'Hefei', 'Dalian', 'Shenyang', 'Tianjin', 'Qingdao', 'Jinan',
  'Zhengzhou', 'Kunming', 'Lanzhou', 'Taiyuan', 'Novosibirsk', 'Tomsk', 'Kazan', 'Samara', 'Perm', 'Omsk', 'Ufa', 'Izhevsk', 'Tula',
  'Voronezh', 'Saratov', 'Tehran', 'Isfahan', 'Shiraz', 'Tabriz', 'Mashhad', 'Minsk', 'Gomel', 'Pyongyang', 'Hamhung', 'Damascus',
  'Aleppo', 'Karachi', 'Lahore', 'Baku', 'Yerevan', 'Almaty', 'Tashkent', 'Bishkek', 'Dushanbe', 'Ashgabat', 'Hanoi'];
const SUBJECTS = ['Aeronautics', 'Astronautics', 'Electronics', 'Optics', 'Photonics', 'Materials', 'Propulsion', 'Radio Engineering',
  'Precision Instruments', 'Marine Systems', 'Nuclear Physics', 'Applied Chemistry', 'Avionics', 'Navigation', 'Cryogenics', 'Lasers',
  'Microwave Devices', 'Semiconductors', 'Robotics', 'Composite Materials', 'Telemetry', 'Acoustics', 'Metallurgy', 'Energetics', 'Ballistics'];
const TYPES = ['Institute', 'Research Institute', 'University', 'Design Bureau', 'Academy', 'Plant', 'Scientific Production Association', 'Laboratory'];
const SUFFIXES = ['Co., Ltd.', 'JSC', 'LLC', 'Corporation', 'Limited', 'OJSC', ''];
const FIRST = ['Ivan', 'Sergei', 'Dmitry', 'Alexander', 'Mikhail', 'Andrei', 'Nikolai', 'Vladimir', 'Yuri', 'Oleg', 'Pavel', 'Viktor',
  'Wei', 'Jun', 'Li', 'Hui', 'Ming', 'Ali', 'Reza', 'Hassan', 'Mohammad', 'Kim', 'Pak', 'Ri'];
const LAST = ['Ivanov', 'Petrov', 'Sidorov', 'Smirnov', 'Kuznetsov', 'Popov', 'Sokolov', 'Lebedev', 'Kozlov', 'Novikov', 'Morozov',
  'Volkov', 'Solovyov', 'Vasiliev', 'Zaitsev', 'Pavlov', 'Semenov', 'Golubev', 'Vinogradov', 'Bogdanov', 'Zhang', 'Wang', 'Chen',
  'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Hosseini', 'Rezaei', 'Mohammadi', 'Ahmadi', 'Karimi', 'Jafari', 'Chol', 'Song'];
const PATRONYMICS = ['Ivanovich', 'Sergeyevich', 'Petrovich', 'Viktorovich', 'Nikolayevich', 'Alexandrovich', 'Mikhailovich'];

function generate(n: number): ParsedList {
  const entries: ParsedListEntry[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (entries.length < n) {
    i++;
    const person = rnd() < 0.3;
    const name = person
      ? `${pick(FIRST)} ${pick(PATRONYMICS)} ${pick(LAST)}`
      : `${pick(CITIES)} ${pick(TYPES)} of ${pick(SUBJECTS)}${rnd() < 0.3 ? ` No. ${1 + Math.floor(rnd() * 99)}` : ''}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const names = [{ name, type: 'primary' }];
    if (!person && rnd() < 0.6) names.push({ name: `${name} ${pick(SUFFIXES)}`.trim(), type: 'alias' });
    if (rnd() < 0.4) names.push({ name: name.split(' ').map((w) => w[0]).join('').toUpperCase() + `-${i}`, type: 'alias' });
    entries.push({
      externalId: `GEN-${i}`, partyType: person ? 'individual' : 'organisation', primaryName: name, sourceList: 'Generated benchmark list',
      countries: [pick(['CN', 'RU', 'IR', 'BY', 'KP', 'SY', 'PK'])], rating: null, names, details: {},
    });
  }
  return { kind: 'us_csl', publishedAt: null, entries };
}

function perturb(name: string): string {
  const words = name.split(' ');
  switch (Math.floor(rnd() * 4)) {
    case 0: return [...words.slice(1), words[0]].join(' ');
    case 1: return `${name} ${pick(SUFFIXES)}`.trim();
    case 2: return name.toUpperCase();
    default: return name.replace(/ei/g, 'ey').replace(/y$/, 'i').replace(/Xi/g, 'Hsi');
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function main(): Promise<void> {
  const base = loadConfig();
  const url = new URL(base.database.url);
  url.pathname = '/tr_bench_screening';
  const config = { ...base, database: { ...base.database, url: url.toString() } };
  await ensureDatabaseExists(config.database.url);
  console.log('migrating the scratch database tr_bench_screening');
  await migrate(config);
  console.log('generating and importing the list');
  const ds: DataSource = await createDataSource(config, 'owner', 4).initialize();
  try {
    const repo = new ScreeningRepository();
    const service = new ScreeningService(ds, repo, new CaseRepository(), new AuditRepository(),
      new CaseCommit(config, new CaseRepository(), new AuditRepository(), new TimerRepository(), new OutboxRepository(), new SlaRepository()));
    const list = generate(ENTRIES);
    let t0 = Date.now();
    await ds.transaction((em) => repo.importList(em, list, 'generated', `bench-${Date.now()}`));
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM screening_entry_name n JOIN screening_list_version v ON v.id = n.list_version_id AND v.is_current`);
    console.log(`imported ${list.entries.length} entries (${n} names currently screenable) in ${Date.now() - t0} ms`);
    await ds.query('ANALYZE screening_entry_name');

    const queries = Array.from({ length: QUERIES }, (_, i) => (i % 2 === 0 ? perturb(pick(list.entries).primaryName) : `${pick(['Oxford', 'Lyon', 'Osaka', 'Boston', 'Leiden', 'Graz'])} ${pick(TYPES)} of ${pick(['Botany', 'Linguistics', 'Music', 'Economics', 'History'])}`));
    for (const q of queries.slice(0, 20)) await service.check(ds.manager, q); // warm up
    const times: number[] = [];
    let withHits = 0;
    for (const q of queries) {
      t0 = performance.now();
      const hits = await service.check(ds.manager, q);
      times.push(performance.now() - t0);
      if (hits.length) withHits++;
    }
    console.log(`screening one name, ${QUERIES} queries: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; ${withHits} queries had hits`);

    const { pairs } = JSON.parse(readFileSync(join(__dirname, '../fixtures/screening/labelled-name-pairs.json'), 'utf8')) as { pairs: { query: string; listed: string; match: boolean; kind: string }[] };
    const th = RISK_CONFIG.screeningThreshold;
    const scored = pairs.map((p) => ({ ...p, hit: nameSimilarity(p.query, p.listed) >= th }));
    const tp = scored.filter((p) => p.match && p.hit).length;
    const fp = scored.filter((p) => !p.match && p.hit).length;
    const fn = scored.filter((p) => p.match && !p.hit).length;
    console.log(`labelled pairs: ${pairs.length} (${pairs.filter((p) => p.match).length} should match, ${pairs.filter((p) => !p.match).length} near misses), threshold ${th}: precision ${(tp / (tp + fp)).toFixed(3)}, recall ${(tp / (tp + fn)).toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})`);
    for (const p of scored.filter((x) => x.match !== x.hit)) console.log(`  ${p.match ? 'missed' : 'false hit'} [${p.kind}]: ${p.query} / ${p.listed}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
