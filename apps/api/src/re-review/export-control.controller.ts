import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EXEMPTION_LABELS, LICENCE_TYPE_LABELS, OGEL_NAMES, parseControlEntry, searchControlListReference } from '@app/domain';

/** The control-list reference the export-control form shows beside the entry field. */
@ApiTags('export-control')
@ApiBearerAuth()
@Controller('export-control')
export class ExportControlController {
  @Get('reference')
  @ApiOperation({ summary: 'Search the control-list reference table (Military List headings, dual-use categories and groups, PL entries)' })
  @ApiQuery({ name: 'q', required: false })
  reference(@Query('q') q?: string) {
    return { items: searchControlListReference(typeof q === 'string' ? q.slice(0, 200) : ''), exemptions: EXEMPTION_LABELS, licenceTypes: LICENCE_TYPE_LABELS, ogels: OGEL_NAMES };
  }

  @Get('check')
  @ApiOperation({ summary: 'Check the format of a candidate control-list entry and say what its heading covers' })
  @ApiQuery({ name: 'entry', required: true })
  check(@Query('entry') entry?: string) {
    return parseControlEntry(typeof entry === 'string' ? entry.slice(0, 60) : '');
  }
}
