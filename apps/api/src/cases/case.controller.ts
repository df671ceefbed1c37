import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ACTIONS, CASE_STATES, CaseState, DomainError, ErrorCode, isStaff } from '@app/domain';
import { AuditRepository, CaseEntity, CaseListFilter, CaseRepository, ScreeningRepository, TimerRepository } from '@app/persistence';
import { CurrentUser, User } from '../common/request-context';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CaseService } from './case.service';
import { caseView, eventView } from './case-view';
import { CreateCaseDto, ListCasesQuery, NoteDto, UpdateCaseDto } from './case.dto';
import { decodeCursor, encodeCursor, filterDigest } from './cursor';
import { NoteService } from './note.service';
import { caseListFilter } from './list-filter';

export const actionSchemaName = (a: string) => `${a.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}ActionBody`;

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseController {
  constructor(
    private readonly ds: DataSource,
    private readonly service: CaseService,
    private readonly notes: NoteService,
    private readonly cases: CaseRepository,
    private readonly audit: AuditRepository,
    private readonly timers: TimerRepository,
    private readonly screening: ScreeningRepository,
  ) {}

  private async view(user: CurrentUser, id: string, known?: CaseEntity) {
    const em = this.ds.manager;
    const c = known ?? (await this.service.getVisible(em, id, user));
    const staff = isStaff(user.roles);
    const signer = !staff && c.ownerId !== user.id;
    const full = staff || signer;
    return caseView(c, user, {
      signer,
      flags: full ? await this.cases.flags(em, id) : [],
      timers: full ? await this.timers.pendingForCase(em, id) : [],
      screening: full ? { assessment: await this.screening.latestAssessment(em, id), hits: await this.screening.hitsForCase(em, id) } : undefined,
      sla: full ? await this.service.clocks.view(em, id) : null,
    });
  }

  @Post() @ApiOperation({ summary: 'Open a draft case (researchers)' })
  async create(@User() user: CurrentUser, @Body() body: CreateCaseDto) {
    const c = await this.service.createDraft(user, body.title, body.answers);
    return this.view(user, c.id);
  }

  @Get() @ApiOperation({ summary: 'List the cases you may see, newest first, by keyset pages' })
  async list(@User() user: CurrentUser, @Query() q: ListCasesQuery) {
    const filter = caseListFilter(user, q);
    const sort = q.sort ?? 'created';
    const digest = filterDigest({ filter, viewer: user.id });
    const after = q.cursor ? decodeCursor(q.cursor, sort, digest) : null;
    const page = await this.cases.list(this.ds.manager, await this.service.viewer(this.ds.manager, user), filter, sort, q.limit ?? 25, after);
    return { items: page.rows, nextCursor: page.next ? encodeCursor(sort, digest, page.next) : null };
  }

  @Get(':id') @ApiParam({ name: 'id', format: 'uuid' })
  get(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.view(user, id);
  }

  @Patch(':id') @ApiOperation({ summary: 'Edit a draft (its owner)' })
  async update(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Body() body: UpdateCaseDto) {
    await this.service.updateDraft(user, id, body);
    return this.view(user, id);
  }

  @Get(':id/events') @ApiOperation({ summary: 'The audit timeline of a case' })
  async events(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    const c = await this.service.getVisible(this.ds.manager, id, user);
    const full = isStaff(user.roles) || c.ownerId !== user.id;
    const events = await this.audit.caseEvents(this.ds.manager, id);
    return { items: events.map((e) => eventView(e, full)).filter((e) => e !== null) };
  }

  @Get(':id/actions') @ApiOperation({ summary: 'The actions you may take on this case now, each with the JSON Schema of its body' })
  async actions(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return { items: await this.service.actionsFor(user, id) };
  }

  @Post(':id/actions/:action') @HttpCode(200)
  @ApiOperation({ summary: 'Take an action on a case; the body is the schema of that action' })
  @ApiParam({ name: 'action', enum: [...ACTIONS] })
  @ApiBody({ schema: { oneOf: ACTIONS.map((a) => ({ $ref: `#/components/schemas/${actionSchemaName(a)}` })) } })
  async act(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Param('action') action: string, @Body() body: unknown) {
    const { case: after, event } = await this.service.act(user, id, action, body);
    // The transaction just checked visibility and returned the row it wrote: no re-read.
    return { case: await this.view(user, id, after), event: { id: event.id, seq: event.seq, action: event.action, fromState: event.fromState, toState: event.toState } };
  }

  @Get(':id/notes')
  notesList(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.notes.list(user, id).then((items) => ({ items }));
  }

  @Post(':id/notes')
  addNote(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Body() body: NoteDto) {
    return this.notes.add(user, id, body.body, body.visibility);
  }
}
