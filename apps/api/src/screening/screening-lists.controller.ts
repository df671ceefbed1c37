import { Body, Controller, Get, HttpCode, Inject, Injectable, Param, Patch, Post, PipeTransform, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CREATE_SCREENING_SOURCE_SCHEMA, DomainError, ErrorCode, ScreeningListKind, ScreeningSourceBody, UPDATE_SCREENING_SOURCE_SCHEMA } from '@app/domain';
import { ScreeningWatchRepository } from '@app/persistence';
import { RequireRoles } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { SchemaBodyPipe } from '../common/schema-body.pipe';
import { checkSourceLocation, ScreeningService } from '@app/screening';
import { APP_CONFIG, AppConfig } from '@app/config';

const STAFF = ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A source or version id from the path: a malformed one names nothing. */
const notFound = (what: string, id: string) => new DomainError(ErrorCode.NOT_FOUND, `There is no screening list ${what} ${id}.`);

@Injectable()
class SourceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw notFound('source', value);
    return value;
  }
}

/**
 * Continuous screening (issue 19): the configured list sources, importing one now (from
 * its location or an uploaded file), its versions with their diffs, and a version's
 * blast radius. Staff read; the administrator configures and imports.
 */
@ApiTags('screening')
@ApiBearerAuth()
@Controller('screening')
export class ScreeningListsController {
  constructor(
    private readonly ds: DataSource,
    private readonly watch: ScreeningWatchRepository,
    private readonly service: ScreeningService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The location rule (libs/screening source-location.ts); the importer applies it again before each read. */
  private async checkLocation(location: string | null | undefined): Promise<string | null | undefined> {
    if (location === undefined || location === null) return location;
    await checkSourceLocation(location, this.config.screeningSources, { mustExist: false });
    return location.trim();
  }

  @Get('sources')
  @RequireRoles(...STAFF)
  @Returns('ScreeningSourceList')
  @ApiOperation({ summary: 'The configured list sources: kind, location, cadence, the current version and the last run' })
  async sources() {
    return { items: await this.watch.listSources(this.ds.manager) };
  }

  @Post('sources')
  @RequireRoles('admin')
  @Returns('ScreeningSource', 201)
  @ApiOperation({
    summary: 'Add a list source (a sanctions list, or a custom watch list with its own ratings); the worker schedules it when it has a location and a cadence',
  })
  @ApiBody({ schema: CREATE_SCREENING_SOURCE_SCHEMA as never })
  async create(@Body(new SchemaBodyPipe(CREATE_SCREENING_SOURCE_SCHEMA)) body: ScreeningSourceBody & { name: string; listKind: ScreeningListKind }) {
    const em = this.ds.manager;
    if (await this.watch.sourceNameTaken(em, body.name, null))
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `name: a source called "${body.name}" already exists.`, {
        fields: [{ field: 'name', message: `name: a source called "${body.name}" already exists.` }],
      });
    const location = (await this.checkLocation(body.location)) ?? null;
    const id = await this.watch.createSource(em, {
      name: body.name.trim(),
      listKind: body.listKind,
      location,
      cadenceMinutes: body.cadenceMinutes ?? null,
      publisherUrl: body.publisherUrl ?? null,
      enabled: body.enabled ?? true,
    });
    return this.watch.getSource(em, id);
  }

  @Patch('sources/:sourceId')
  @RequireRoles('admin')
  @Returns('ScreeningSource')
  @ApiOperation({ summary: "Change a list source's name, format (before its first import), location, cadence, publisher page or whether it is scheduled" })
  @ApiBody({ schema: UPDATE_SCREENING_SOURCE_SCHEMA as never })
  async update(@Param('sourceId', SourceIdPipe) id: string, @Body(new SchemaBodyPipe(UPDATE_SCREENING_SOURCE_SCHEMA)) body: ScreeningSourceBody) {
    const em = this.ds.manager;
    const source = await this.watch.getSource(em, id);
    if (!source) throw notFound('source', id);
    if (body.name !== undefined && (await this.watch.sourceNameTaken(em, body.name, id)))
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `name: a source called "${body.name}" already exists.`, {
        fields: [{ field: 'name', message: `name: a source called "${body.name}" already exists.` }],
      });
    // Versions are parsed and diffed as their source's format, so the format is fixed once a version exists.
    if (body.listKind !== undefined && body.listKind !== source.listKind && (await this.watch.versions(em, id)).length > 0) {
      const message = `listKind: ${source.name} already has imported versions read as ${source.listKind}; add a new source for a list in another format.`;
      throw new DomainError(ErrorCode.VALIDATION_FAILED, message, { fields: [{ field: 'listKind', message }] });
    }
    const location = await this.checkLocation(body.location);
    if (!(await this.watch.updateSource(em, id, { ...body, name: body.name?.trim(), location }))) throw notFound('source', id);
    return this.watch.getSource(em, id);
  }

  @Post('sources/:sourceId/import')
  @HttpCode(200)
  @RequireRoles('admin')
  @Returns('ScreeningImportResult')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 200 * 1024 * 1024, files: 1, fields: 2 } }))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary', description: 'The list file; without it the source is read from its location' } },
    },
  })
  @ApiOperation({
    summary:
      'Import a source now, from its location or an uploaded file: a new version diffed against the last, then every live case rescreened and the blast radius worked out',
  })
  async importNow(@Param('sourceId', SourceIdPipe) id: string, @UploadedFile() file?: { originalname: string; buffer: Buffer }) {
    if (!(await this.watch.getSource(this.ds.manager, id))) throw notFound('source', id);
    return this.service.importSource(id, file ? { bytes: file.buffer, filename: file.originalname || 'upload' } : null, file ? 'upload' : 'import_now');
  }

  @Get('sources/:sourceId/versions')
  @RequireRoles(...STAFF)
  @Returns('ScreeningVersionList')
  @ApiOperation({ summary: "A source's imported versions, newest first, with the counts of added, removed and changed entries and what the rescreen found" })
  async versions(@Param('sourceId', SourceIdPipe) id: string) {
    const source = await this.watch.getSource(this.ds.manager, id);
    if (!source) throw notFound('source', id);
    return { source, items: await this.watch.versions(this.ds.manager, id) };
  }

  @Get('versions/:versionId')
  @RequireRoles(...STAFF)
  @Returns('ScreeningVersionDiff')
  @ApiOperation({ summary: 'One version and its diff against the version before: every added, removed and changed entry, with what changed' })
  async version(@Param('versionId') id: string) {
    if (!UUID.test(id)) throw notFound('version', id);
    const version = await this.watch.version(this.ds.manager, id);
    if (!version) throw notFound('version', id);
    return { version, changes: await this.watch.changes(this.ds.manager, id) };
  }

  @Get('versions/:versionId/blast-radius')
  @RequireRoles(...STAFF)
  @Returns('ScreeningBlastRadius')
  @ApiOperation({ summary: 'Blast radius: every case (approved and closed ones included) and subject that an added or changed entry of this version touches' })
  async blast(@Param('versionId') id: string) {
    if (!UUID.test(id)) throw notFound('version', id);
    const version = await this.watch.version(this.ds.manager, id);
    if (!version) throw notFound('version', id);
    return { version, items: await this.watch.blast(this.ds.manager, id) };
  }
}
