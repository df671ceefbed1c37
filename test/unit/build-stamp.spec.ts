import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `prestart` skips the build when dist/ was built from the current sources: the stamp
 * check passes after a recorded build and fails after any input changes or an output
 * goes missing.
 */
const SCRIPT = resolve(__dirname, '../../scripts/build-stamp.js');

describe('build stamp (a second npm start skips the build)', () => {
  let root: string;
  const run = (cmd: string) => spawnSync(process.execPath, [SCRIPT, cmd], { env: { ...process.env, BUILD_STAMP_ROOT: root }, encoding: 'utf8' });

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'tr-stamp-'));
    for (const d of ['apps/api/src', 'libs/x/src', 'scripts', 'dist/scripts', 'dist/apps/api/src', 'dist/apps/worker/src'])
      mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'apps/api/src/main.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'libs/x/src/index.ts'), 'export const b = 2;\n');
    writeFileSync(join(root, 'package.json'), '{}\n');
    for (const o of ['dist/scripts/start.js', 'dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js']) writeFileSync(join(root, o), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds the first time, skips when nothing changed, builds again after a change', () => {
    expect(run('check').status).toBe(1); // never built with a stamp
    expect(run('write').status).toBe(0);
    const skip = run('check');
    expect(skip.status).toBe(0);
    expect(skip.stdout).toContain('skipping it');

    writeFileSync(join(root, 'libs/x/src/index.ts'), 'export const b = 3;\n'); // same size, new content and time
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'libs/x/src/index.ts'), later, later);
    expect(run('check').status).toBe(1);
    expect(run('write').status).toBe(0);
    expect(run('check').status).toBe(0);

    writeFileSync(join(root, 'apps/api/src/new.ts'), ''); // a new file
    expect(run('check').status).toBe(1);
    expect(run('write').status).toBe(0);

    rmSync(join(root, 'dist/apps/worker/src/main.js')); // an output gone
    expect(run('check').status).toBe(1);
  });
});
