import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CaseListRow, CaseRepository, Keyset, ReportService } from '@app/persistence';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { CaseService } from '../cases/case.service';
import { listRowFor } from '../cases/case-queries';
import { caseListFilter } from '../cases/list-filter';
import { CaseListExportQuery, ReportQueryDto } from './report.dto';
import { REPORT_NAMES, ReportColumn } from '@app/domain';
import { exportFormat, sendTable } from './table-export';
import { Returns } from '../common/response-schemas';

/** The case list export stops here; the header X-Truncated says so. */
export const CASE_EXPORT_MAX = 50_000;
const CASE_EXPORT_PAGE = 100;

/** The case-list export's columns (also written by test/e2e/api-heap.e2e-spec.ts at full size). */
export const CASE_COLUMNS: ReportColumn[] = [
  { key: 'reference', label: 'Reference', kind: 'text' },
  { key: 'title', label: 'Title', kind: 'text' },
  { key: 'state', label: 'State', kind: 'text' },
  { key: 'riskLevel', label: 'Risk level', kind: 'text' },
  { key: 'departmentName', label: 'Department', kind: 'text' },
  { key: 'ownerName', label: 'Researcher', kind: 'text' },
  { key: 'assigneeName', label: 'Officer', kind: 'text' },
  { key: 'submittedAt', label: 'Submitted', kind: 'text' },
  { key: 'updatedAt', label: 'Updated', kind: 'text' },
];

@ApiTags('reports')
@ApiBearerAuth()
@RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control', 'admin')
@Controller('reports')
export class ReportController {
  constructor(
    private readonly reports: ReportService,
    private readonly ds: DataSource,
    private readonly cases: CaseRepository,
    private readonly caseService: CaseService,
  ) {}

  @Get()
  @Returns('ReportsResponse')
  @ApiOperation({ summary: `Every report over a date range and filters: ${REPORT_NAMES.join(', ')}` })
  all(@Query() q: ReportQueryDto) {
    return this.reports.all(q);
  }

  @Get('case-list')
  @ApiOperation({ summary: 'The case list with the same filters as GET /api/cases, as CSV or XLSX' })
  async caseList(@User() user: CurrentUser, @Query() q: CaseListExportQuery, @Res() res: Response) {
    const filter = caseListFilter(user, q);
    const viewer = await this.caseService.viewer(this.ds.manager, user);
    const rows: CaseListRow[] = [];
    let after: Keyset | null = null;
    do {
      const page: { rows: CaseListRow[]; next: Keyset | null } = await this.cases.list(
        this.ds.manager,
        viewer,
        filter,
        q.sort ?? 'created',
        CASE_EXPORT_PAGE,
        after,
      );
      rows.push(...page.rows.map((r) => listRowFor(user, r) as CaseListRow));
      after = page.next;
    } while (after && rows.length < CASE_EXPORT_MAX);
    if (after) res.setHeader('X-Truncated', `first ${CASE_EXPORT_MAX} cases`);
    await sendTable(res, 'cases', 'Cases', CASE_COLUMNS, rows.slice(0, CASE_EXPORT_MAX) as unknown as Record<string, unknown>[], q.format);
  }

  @Get(':name')
  @ApiParam({ name: 'name', enum: REPORT_NAMES })
  @ApiOperation({ summary: 'One report, as JSON or a CSV / XLSX download (?format=)' })
  async one(@Param('name') name: string, @Query() q: ReportQueryDto, @Res() res: Response) {
    const format = exportFormat(q.format);
    const { range, table } = await this.reports.one(name, q);
    if (format === 'json') res.json({ range, table });
    else await sendTable(res, `${table.name}-${range.from}-${range.to}`, table.title, table.columns, table.rows, format);
  }
}
