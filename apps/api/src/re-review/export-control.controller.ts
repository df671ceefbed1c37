import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  EXEMPTION_LABELS,
  exemptionRuleFor,
  ITEM_KINDS,
  ItemKind,
  LICENCE_TYPE_LABELS,
  OGEL_NAMES,
  OGELS,
  parseControlEntry,
  searchControlListReference,
} from '@app/domain';

/** The control-list reference the export-control form shows beside the entry field. */
@ApiTags('export-control')
@ApiBearerAuth()
@Controller('export-control')
export class ExportControlController {
  @Get('reference')
  @ApiOperation({ summary: 'Search the control-list reference table (Military List headings, dual-use categories and groups, PL entries)' })
  @ApiQuery({ name: 'q', required: false })
  reference(@Query('q') q?: string) {
    return {
      items: searchControlListReference(typeof q === 'string' ? q.slice(0, 200) : ''),
      exemptions: EXEMPTION_LABELS,
      licenceTypes: LICENCE_TYPE_LABELS,
      ogels: OGEL_NAMES,
      ogelRecords: OGELS,
    };
  }

  @Get('check')
  @ApiOperation({ summary: 'Check the format of a candidate control-list entry and say what its heading covers' })
  @ApiQuery({ name: 'entry', required: true })
  @ApiQuery({ name: 'kind', required: false, description: 'The item kind (technology, software, ...), which decides the exemptions a PL entry can take' })
  check(@Query('entry') entry?: string, @Query('kind') kind?: string) {
    const r = parseControlEntry(typeof entry === 'string' ? entry.slice(0, 60) : '');
    if (!r.ok) return r;
    // The exemptions this entry's list family allows and the note the officer is shown (issue 13, rules 2 and 6).
    const itemKind = (ITEM_KINDS as readonly string[]).includes(kind ?? '') ? (kind as ItemKind) : undefined;
    return { ...r, exemptionRule: exemptionRuleFor(r.entry, itemKind) };
  }
}
