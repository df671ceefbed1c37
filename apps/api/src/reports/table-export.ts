import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Response } from 'express';
import { DomainError, ErrorCode, ReportColumn } from '@app/domain';

export type ExportFormat = 'json' | 'csv' | 'xlsx';

export function exportFormat(v: string | undefined): ExportFormat {
  if (v === undefined || v === '' || v === 'json') return 'json';
  if (v === 'csv' || v === 'xlsx') return v;
  throw new DomainError(ErrorCode.VALIDATION_FAILED, `format: "${v}" is not one of json, csv, xlsx.`);
}

/** A spreadsheet opening a CSV runs a cell that starts like a formula; a leading apostrophe keeps it text. */
const inert = (v: unknown) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

const NUM_FMT: Partial<Record<ReportColumn['kind'], string>> = { days: '0.00', percent: '0.00"%"' };

/**
 * Writes one table, headings in the first row, to `out` as it goes: XLSX through exceljs's
 * streaming WorkbookWriter (each row committed and released), CSV through fast-csv (the
 * writer exceljs itself uses for CSV). Building the whole workbook in memory first took
 * ~400 MB of heap for the 50,000-case list export, more than the API's heap limit
 * (apps/api/src/node-args.ts); test/e2e/api-heap.e2e-spec.ts writes that export under
 * that limit. Resolves when `out` has everything.
 */
export async function writeTable(
  out: Writable,
  title: string,
  columns: ReportColumn[],
  rows: Iterable<Record<string, unknown>>,
  format: 'csv' | 'xlsx',
): Promise<void> {
  if (format === 'csv') {
    // Loaded on the first export, not at boot (issue 17, RSS).
    const { format: csvFormat } = await import('@fast-csv/format');
    const csv = csvFormat<(string | number | null)[], (string | number | null)[]>({ headers: false });
    csv.pipe(out);
    csv.write(columns.map((c) => c.label));
    for (const r of rows) {
      const line = columns.map((c) => inert(r[c.key] ?? null) as string | number | null);
      // Honour back-pressure: a slow client must not make the whole file pile up in memory.
      if (!csv.write(line)) await new Promise((ok) => csv.once('drain', ok));
    }
    csv.end();
    await finished(out);
    return;
  }
  // Loaded on the first export, not at boot: exceljs holds ~27 MB that a process serving commands never needs (issue 17, RSS).
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Trusted Research';
  const ws = wb.addWorksheet(title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  ws.columns = columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(12, c.label.length + 2) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const r of rows) {
    const row = ws.addRow(Object.fromEntries(columns.map((c) => [c.key, r[c.key] ?? null])));
    columns.forEach((c, i) => {
      const fmt = NUM_FMT[c.kind];
      if (fmt) row.getCell(i + 1).numFmt = fmt;
    });
    row.commit();
  }
  ws.commit();
  await wb.commit();
  await finished(out);
}

const TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

/** Sends the table as a download named `<file>.<format>`, written as it is produced (writeTable). */
export async function sendTable(
  res: Response,
  file: string,
  title: string,
  columns: ReportColumn[],
  rows: Iterable<Record<string, unknown>>,
  format: 'csv' | 'xlsx',
): Promise<void> {
  res.setHeader('Content-Type', TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${file.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}"`);
  await writeTable(res, title, columns, rows, format);
}
