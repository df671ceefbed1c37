import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ACTIONS } from '@app/domain';
import { CurrentUser, User } from '../common/request-context';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CaseService } from './case.service';
import { CaseQueries } from './case-queries';
import { CreateCaseDto, ListCasesQuery, NoteDto, UpdateCaseDto } from './case.dto';
import { NoteService } from './note.service';

export const actionSchemaName = (a: string) => `${a.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}ActionBody`;

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseController {
  constructor(
    private readonly service: CaseService,
    private readonly queries: CaseQueries,
    private readonly notes: NoteService,
  ) {}

  @Post() @ApiOperation({ summary: 'Open a draft case (researchers)' })
  async create(@User() user: CurrentUser, @Body() body: CreateCaseDto) {
    const c = await this.service.createDraft(user, body.title, body.answers);
    return this.queries.view(user, c.id);
  }

  @Get() @ApiOperation({ summary: 'List the cases you may see, newest first, by keyset pages' })
  list(@User() user: CurrentUser, @Query() q: ListCasesQuery) {
    return this.queries.list(user, q);
  }

  @Get(':id') @ApiParam({ name: 'id', format: 'uuid' })
  get(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.queries.view(user, id);
  }

  @Patch(':id') @ApiOperation({ summary: 'Edit a draft (its owner)' })
  async update(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Body() body: UpdateCaseDto) {
    await this.service.updateDraft(user, id, body);
    return this.queries.view(user, id);
  }

  @Get(':id/events') @ApiOperation({ summary: 'The audit timeline of a case' })
  events(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.queries.events(user, id);
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
    return { case: await this.queries.view(user, id, after), event: { id: event.id, seq: event.seq, action: event.action, fromState: event.fromState, toState: event.toState } };
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
