#!/usr/bin/env node
/**
 * Lets a second `npm start` skip the build when nothing changed (`prestart`):
 *   node scripts/build-stamp.js check [name]   exit 0 when dist/ was built from the current sources
 *   node scripts/build-stamp.js write [name]   record the sources dist/ was just built from
 * (name: a second stamp for a partial build, e.g. `server` for build:server.)
 * The stamp is a hash of every build input's path, size and modification time (apps/,
 * libs/, scripts/, bench/, the package and TypeScript/Vite settings), kept in
 * dist/.build-stamp. Plain JavaScript: it runs before anything is compiled.
 * The root defaults to the repository; BUILD_STAMP_ROOT overrides it (tests).
 */
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = process.env.BUILD_STAMP_ROOT || join(__dirname, '..');
const INPUT_DIRS = ['apps', 'libs', 'scripts', 'bench'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];
const SKIP = new Set(['node_modules', 'dist', '.data', 'results', 'coverage']);
/** What `npm start` needs from a build; missing means build, whatever the stamp says. */
const OUTPUTS = ['dist/scripts/start.js', 'dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js'];
const STAMP = join(root, 'dist', process.argv[3] ? `.build-stamp-${process.argv[3].replace(/[^a-z0-9-]/gi, '')}` : '.build-stamp');

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

function fingerprint() {
  const files = [];
  for (const d of INPUT_DIRS) walk(join(root, d), files);
  for (const f of INPUT_FILES) if (existsSync(join(root, f))) files.push(join(root, f));
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    const s = statSync(f);
    h.update(`${relative(root, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return `${files.length} ${h.digest('hex')}`;
}

const cmd = process.argv[2];
if (cmd === 'check') {
  const missing = OUTPUTS.filter((o) => !existsSync(join(root, o)));
  if (missing.length) process.exit(1);
  const ok = existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === fingerprint();
  if (ok) console.log('Build is up to date (nothing changed since the last build): skipping it.');
  process.exit(ok ? 0 : 1);
} else if (cmd === 'write') {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(STAMP, fingerprint() + '\n');
} else {
  console.error('usage: node scripts/build-stamp.js check|write');
  process.exit(2);
}
