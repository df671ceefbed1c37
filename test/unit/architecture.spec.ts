import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Guard rails on the source itself: the one commit path for changes to a case. A change
 * written by hand elsewhere (an audit append, a version bump, its own stale-version
 * check) would drift from the others; these tests name the file and line that does it.
 */
const ROOT = join(__dirname, '..', '..');
const COMMIT_MODULE = 'libs/persistence/src/commit/case-commit.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' || d.name === 'dist' ? [] : sourceFiles(rel);
    return /\.tsx?$/.test(d.name) ? [rel] : [];
  });
}

const FILES = ['apps', 'libs', 'scripts', 'bench', 'test'].flatMap(sourceFiles).filter((f) => !f.startsWith('apps/web/'));

/** Lines (file:line: text) matching a pattern, outside the files allowed to hold it. */
function offenders(pattern: RegExp, allowed: string[]): string[] {
  return FILES.filter((f) => !allowed.includes(f)).flatMap((f) =>
    readFileSync(join(ROOT, f), 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('one commit path for every change to a case', () => {
  const self = relative(ROOT, __filename);

  it('finds the source it scans (the scan itself works)', () => {
    expect(FILES).toContain(COMMIT_MODULE);
    expect(FILES).toContain('apps/api/src/cases/case.service.ts');
    expect(offenders(/appendCaseEvent\(/, [])).toEqual(expect.arrayContaining([expect.stringContaining(COMMIT_MODULE)]));
  });

  it('appends case events only in the commit module (and the repository that defines the append)', () => {
    expect(offenders(/\bappendCaseEvent\b/, [COMMIT_MODULE, 'libs/persistence/src/repositories/audit.repository.ts', self])).toEqual([]);
  });

  it('bumps a case version only in the commit module', () => {
    // `x.version += 1`, `x.version++`, `x.version = x.version + 1`, and SQL `version = version + 1`.
    const bump = /\.version\s*(\+=|\+\+|=\s*[\w.]*version\s*\+)|\bversion\s*=\s*version\s*\+/;
    // bench/raw-triage.ts is the hand-written SQL baseline the benchmarks measure the API against.
    expect(offenders(bump, [COMMIT_MODULE, 'bench/raw-triage.ts', self])).toEqual([]);
  });

  it('checks expectedVersion only in the commit module', () => {
    const appCode = (f: string) => !/\.(spec|e2e-spec)\.ts$/.test(f);
    expect(offenders(/new DomainError\(ErrorCode\.STALE_VERSION/, [COMMIT_MODULE]).filter((o) => appCode(o.split(':')[0]))).toEqual([]);
  });
});

describe('one home for SQL', () => {
  it('apps write no data SQL of their own: queries live in libs/persistence repositories', () => {
    const dataSql = /\.query\(\s*[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;
    // The health check asks the server its version; no table is read.
    const found = offenders(dataSql, ['apps/api/src/health/health.controller.ts']).filter((o) => o.startsWith('apps/'));
    expect(found).toEqual([]);
  });
});

describe('the worker stands on the libraries', () => {
  it('imports nothing from apps/api (the commit path lives in libs/persistence/src/commit)', () => {
    expect(offenders(/from\s+['"][./]*api\/src\//, []).filter((o) => o.startsWith('apps/worker/'))).toEqual([]);
  });
});
