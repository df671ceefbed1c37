import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ORGANISATION_DOCUMENT_SCHEMA, OrganisationDocumentBody } from '@app/domain';
import { UploadedFile as Upload } from '../documents/file-intake';
import { sendFile } from '../documents/documents.controller';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { IdPipe } from '../admin/id.pipe';
import { DueDiligenceDto, ListOrganisationsQuery, MergeDto, OrganisationDetailsDto } from './organisation.dto';
import { SchemaBodyPipe } from '../common/schema-body.pipe';
import { OrganisationService } from './organisation.service';

const OrganisationIdPipe = new IdPipe('organisation');
const DocumentIdPipe = new IdPipe('document');
const STAFF = ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'] as const;

/** The partner register (issue 19): staff only. */
@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationController {
  constructor(private readonly service: OrganisationService) {}

  @Get()
  @Returns('OrganisationList')
  @RequireRoles(...STAFF)
  @ApiOperation({ summary: 'Search the partner register (partners, funders, parent organisations)' })
  list(@Query() q: ListOrganisationsQuery) {
    return this.service.list(q.q, q.limit);
  }

  @Get(':id')
  @Returns('OrganisationPage')
  @RequireRoles(...STAFF)
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
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      ...ORGANISATION_DOCUMENT_SCHEMA,
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: 'The document; virus-scanned before anyone can download it (without a file: a record of where it is kept)',
        },
        ...ORGANISATION_DOCUMENT_SCHEMA.properties,
      },
    } as never,
  })
  @ApiOperation({
    summary:
      'Add a document kept against the organisation (due-diligence questionnaire, agreement, ...): a file, scanned by ClamAV, or a record of where it is kept',
  })
  addDocument(
    @User() user: CurrentUser,
    @Param('id', OrganisationIdPipe) id: string,
    @Body(new SchemaBodyPipe(ORGANISATION_DOCUMENT_SCHEMA)) body: OrganisationDocumentBody,
    @UploadedFile() file?: Upload,
  ) {
    return this.service.addDocument(user, id, body, file);
  }

  @Get(':id/documents/:documentId/content')
  @RequireRoles(...STAFF)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'documentId', format: 'uuid' })
  @ApiOperation({ summary: "Download an organisation document's file, once it is scanned clean" })
  async download(@Param('id', OrganisationIdPipe) id: string, @Param('documentId', DocumentIdPipe) documentId: string, @Res() res: Response) {
    const { row, stream } = await this.service.downloadDocument(id, documentId);
    sendFile(res, { contentType: row.contentType!, sizeBytes: Number(row.sizeBytes), fileName: row.fileName! }, stream);
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
