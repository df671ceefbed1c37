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

/** One table as a workbook (exceljs writes both CSV and XLSX), headings in the first row. */
async function workbook(title: string, columns: ReportColumn[], rows: Record<string, unknown>[], format: 'csv' | 'xlsx'): Promise<Buffer> {
  // Loaded on the first export, not at boot: exceljs holds ~27 MB that a process serving commands never needs (issue 17, RSS).
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Trusted Research';
  const ws = wb.addWorksheet(title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  ws.columns = columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(12, c.label.length + 2) }));
  for (const r of rows) ws.addRow(Object.fromEntries(columns.map((c) => [c.key, format === 'csv' ? inert(r[c.key] ?? null) : (r[c.key] ?? null)])));
  if (format === 'xlsx') {
    ws.getRow(1).font = { bold: true };
    columns.forEach((c, i) => {
      if (c.kind === 'days') ws.getColumn(i + 1).numFmt = '0.00';
      if (c.kind === 'percent') ws.getColumn(i + 1).numFmt = '0.00"%"';
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  return Buffer.from(await wb.csv.writeBuffer());
}

const TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

/** Sends the table as a download named `<file>.<format>`. */
export async function sendTable(
  res: Response,
  file: string,
  title: string,
  columns: ReportColumn[],
  rows: Record<string, unknown>[],
  format: 'csv' | 'xlsx',
): Promise<void> {
  const body = await workbook(title, columns, rows, format);
  res.setHeader('Content-Type', TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${file.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}"`);
  res.send(body);
}
