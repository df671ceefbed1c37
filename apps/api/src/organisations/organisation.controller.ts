import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { IdPipe } from '../admin/id.pipe';
import { DueDiligenceDto, ListOrganisationsQuery, MergeDto, OrganisationDetailsDto, OrganisationDocumentDto } from './organisation.dto';
import { OrganisationService } from './organisation.service';

const OrganisationIdPipe = new IdPipe('organisation');

/** The partner register (issue 19): staff only. */
@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationController {
  constructor(private readonly service: OrganisationService) {}

  @Get()
  @Returns('OrganisationList')
  @RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control', 'admin')
  @ApiOperation({ summary: 'Search the partner register (partners, funders, parent organisations)' })
  list(@Query() q: ListOrganisationsQuery) {
    return this.service.list(q.q, q.limit);
  }

  @Get(':id')
  @Returns('OrganisationPage')
  @RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control', 'admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'An organisation: its cases with outcome, conditions and dates; screening history; parents; due diligence; documents; likely duplicates',
  })
  get(@Param('id', OrganisationIdPipe) id: string) {
    return this.service.page(id);
  }

  @Patch(':id')
  @Returns('OrganisationPage')
  @RequireRoles('rsdo_officer', 'rsdo_lead')
  @ApiOperation({ summary: 'Record identifiers (ROR id, company number, website) and the parent organisation' })
  update(@User() user: CurrentUser, @Param('id', OrganisationIdPipe) id: string, @Body() body: OrganisationDetailsDto) {
    return this.service.updateDetails(user, id, body);
  }

  @Post(':id/due-diligence')
  @HttpCode(200)
  @Returns('OrganisationPage')
  @RequireRoles('rsdo_officer', 'rsdo_lead')
  @ApiOperation({ summary: 'Set the due-diligence status (cleared until a date, restricted, prohibited) with a reason' })
  dueDiligence(@User() user: CurrentUser, @Param('id', OrganisationIdPipe) id: string, @Body() body: DueDiligenceDto) {
    return this.service.setDueDiligence(user, id, body);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Returns('OrganisationMerge')
  @RequireRoles('rsdo_officer', 'rsdo_lead')
  @ApiOperation({ summary: 'Confirm this organisation is the same as another: merge it into that one' })
  merge(@User() user: CurrentUser, @Param('id', OrganisationIdPipe) id: string, @Body() body: MergeDto) {
    return this.service.merge(user, id, body);
  }

  @Post(':id/documents')
  @HttpCode(201)
  @Returns('OrganisationPage', 201)
  @RequireRoles('rsdo_officer', 'rsdo_lead')
  @ApiOperation({ summary: 'Record a document kept against the organisation (due-diligence questionnaire, agreement, ...)' })
  addDocument(@User() user: CurrentUser, @Param('id', OrganisationIdPipe) id: string, @Body() body: OrganisationDocumentDto) {
    return this.service.addDocument(user, id, body);
  }
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class PrecedentController {
  constructor(private readonly service: OrganisationService) {}

  @Get(':id/precedents')
  @Returns('Precedents')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: "The case's organisations and similar past cases (same organisation, parent, country and sensitive area, control-list entry): staff view only",
  })
  precedents(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.service.precedents(user, id);
  }
}
