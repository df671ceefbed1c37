/** The reports the API offers and the shape of each (shared with the web dashboard). */
export const REPORT_NAMES = ['volumes', 'stage-times', 'sla', 'backlog', 'outcomes', 'countries', 'nsi-areas', 'screening', 're-reviews'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const isReportName = (x: string): x is ReportName => (REPORT_NAMES as readonly string[]).includes(x);

/** The report filters, as query parameters (all optional). */
export const REPORT_FILTERS = ['from', 'to', 'department', 'country', 'nsiArea', 'riskTier', 'outcome', 'officer'] as const;
export type ReportQuery = Partial<Record<(typeof REPORT_FILTERS)[number], string>>;

/** One column of a report table: the key in each row, its heading, and how to show it. */
export interface ReportColumn {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'percent' | 'days';
}

/** A report table: what the dashboard charts, lists for screen readers, and downloads. */
export interface ReportTable {
  name: ReportName;
  title: string;
  description: string;
  columns: ReportColumn[];
  rows: Record<string, string | number | null>[];
}

export interface ReportRange {
  from: string;
  to: string;
}

export interface ReportsResponse {
  range: ReportRange;
  generatedAt: string;
  tables: ReportTable[];
}
