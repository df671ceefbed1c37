import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { API_NODE_ARGS } from '../../apps/api/src/node-args';

/** Runs `code` (CommonJS, repository root as cwd) in a process with the API's own V8 settings. */
function underApiHeap(code: string) {
  const run = spawnSync(process.execPath, [...API_NODE_ARGS, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', code], {
    cwd: path.resolve(__dirname, '..', '..'),
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: run.status, signal: run.signal, out: run.stdout, err: run.status === 0 ? '' : run.stderr.slice(-2000) };
}

/**
 * The largest download the API offers, the case list at its cap (CASE_EXPORT_MAX rows), written
 * by the API's own export code in a process started with the API's own V8 settings
 * (API_NODE_ARGS: its heap limit). Building the workbook in memory took ~400 MB of heap for
 * 50,000 rows and the process died of "JavaScript heap out of memory" under a 256 MB limit;
 * it is written as a stream now. Needs no database: the rows are made here, as wide as real ones.
 */
describe('case-list export at its cap, under the API heap limit', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tr-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (format: 'csv' | 'xlsx') => {
    const file = path.join(dir, `cases.${format}`);
    const child = `
      const fs = require('node:fs');
      const { writeTable } = require('./apps/api/src/reports/table-export');
      const { CASE_COLUMNS, CASE_EXPORT_MAX } = require('./apps/api/src/reports/report.controller');
      const rows = Array.from({ length: CASE_EXPORT_MAX }, (_, i) => ({
        reference: 'TR-2026-' + String(i).padStart(6, '0'),
        title: 'Joint study of quantum sensing for navigation with partner institute number ' + i + ' '.repeat(40) + 'x',
        state: 'approved', riskLevel: 'high', departmentName: 'Department of Electronic and Electrical Engineering',
        ownerName: 'Researcher Name ' + i, assigneeName: 'Officer Name ' + (i % 40),
        submittedAt: new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(), updatedAt: new Date().toISOString(),
      }));
      writeTable(fs.createWriteStream(${JSON.stringify(file)}), 'Cases', CASE_COLUMNS, rows, ${JSON.stringify(format)})
        .then(() => console.log('written', CASE_EXPORT_MAX, 'heap MB', Math.round(process.memoryUsage().heapUsed / 1e6)))
        .catch((e) => { console.error(e); process.exit(1); });`;
    return { file, ...underApiHeap(child) };
  };

  it('writes the XLSX and it reads back with every row', async () => {
    const r = write('xlsx');
    expect({ status: r.status, signal: r.signal, err: r.err }).toEqual({ status: 0, signal: null, err: '' });
    expect(r.out).toContain('written 50000');
    let rows = 0;
    let first: unknown[] = [];
    let last: unknown[] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(r.file), {});
    for await (const ws of reader) {
      for await (const row of ws) {
        rows++;
        if (rows === 1) first = (row.values as unknown[]).slice(1);
        last = (row.values as unknown[]).slice(1);
      }
    }
    expect(rows).toBe(50_001);
    expect(first).toEqual(['Reference', 'Title', 'State', 'Risk level', 'Department', 'Researcher', 'Officer', 'Submitted', 'Updated']);
    expect(last[0]).toBe('TR-2026-049999');
  }, 300_000);

  it('writes the CSV with every row', () => {
    const r = write('csv');
    expect({ status: r.status, signal: r.signal, err: r.err }).toEqual({ status: 0, signal: null, err: '' });
    const lines = readFileSync(r.file, 'utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(50_001);
    expect(lines[0]).toBe('Reference,Title,State,Risk level,Department,Researcher,Officer,Submitted,Updated');
    expect(lines[50_000]).toMatch(/^TR-2026-049999,/);
  }, 300_000);
});

/**
 * A sanctions list uploaded or fetched by "import now" is parsed in the API process. The
 * parse holds the whole file as objects: 88 MB of heap for the real 3.8 MB OFSI ConList of
 * December 2018, 436 MB for a 15 MB one — today's UK list is of that order — which died of
 * "JavaScript heap out of memory" under a 256 MB limit. This builds a 16 MB list in the
 * published ConList layout from the real excerpt (every row a new group, so nothing merges)
 * and parses it under the API's limit.
 */
describe('a large sanctions list parsed under the API heap limit', () => {
  it('parses a 16 MB OFSI ConList', () => {
    const r = underApiHeap(`
      const fs = require('node:fs');
      const { parseList, decodeText } = require('./libs/screening/src/formats');
      const rows = decodeText(fs.readFileSync('fixtures/screening/real/ofsi-conlist-2018-12.excerpt.csv')).split(/\\r?\\n/).filter(Boolean);
      const lines = [];
      let size = 0;
      for (let i = 0; size < 16e6; i++)
        for (const row of rows) {
          const line = 'N' + i + row.replace(/,(\\d+)\\s*$/, (_, g) => ',' + g + '0' + i);
          lines.push(line);
          size += line.length + 2;
        }
      const list = parseList('uk_sanctions', lines.join('\\r\\n'));
      console.log('parsed', list.entries.length, 'entries from', Math.round(size / 1e6), 'MB');`);
    expect({ status: r.status, signal: r.signal, err: r.err }).toEqual({ status: 0, signal: null, err: '' });
    expect(r.out).toMatch(/parsed \d+ entries from 16 MB/);
    expect(Number(/parsed (\d+)/.exec(r.out)![1])).toBeGreaterThan(20_000);
  }, 300_000);
});
