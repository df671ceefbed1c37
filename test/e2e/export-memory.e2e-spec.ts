import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { API_NODE_ARGS } from '../../apps/api/src/node-args';

/**
 * The largest download the API offers, the case list at its cap (CASE_EXPORT_MAX rows), written
 * by the API's own export code in a process started with the API's own V8 settings
 * (API_NODE_ARGS: its heap limit). Building the workbook in memory took ~400 MB of heap for
 * 50,000 rows and the process died of "JavaScript heap out of memory" under the 256 MB limit;
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
    const run = spawnSync(process.execPath, [...API_NODE_ARGS, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', child], {
      cwd: path.resolve(__dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 240_000,
    });
    return { file, status: run.status, signal: run.signal, out: run.stdout, err: run.stderr.slice(-2000) };
  };

  it('writes the XLSX and it reads back with every row', async () => {
    const r = write('xlsx');
    expect({ status: r.status, signal: r.signal, err: r.status === 0 ? '' : r.err }).toEqual({ status: 0, signal: null, err: '' });
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
    expect({ status: r.status, signal: r.signal, err: r.status === 0 ? '' : r.err }).toEqual({ status: 0, signal: null, err: '' });
    const lines = readFileSync(r.file, 'utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(50_001);
    expect(lines[0]).toBe('Reference,Title,State,Risk level,Department,Researcher,Officer,Submitted,Updated');
    expect(lines[50_000]).toMatch(/^TR-2026-049999,/);
  }, 300_000);
});
