import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ACTIONS } from '@app/domain';
import { CurrentUser, User } from '../common/request-context';
import { CaseIdPipe } from '../common/case-id.pipe';
import { Returns } from '../common/response-schemas';
import { CaseService } from './case.service';
import { CaseQueries } from './case-queries';
import { CreateCaseDto, ListCasesQuery, NoteDto, UpdateCaseDto } from './case.dto';
import { NoteService } from './note.service';

export const actionSchemaName = (a: string) =>
  `${a
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}ActionBody`;

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseController {
  constructor(
    private readonly service: CaseService,
    private readonly queries: CaseQueries,
    private readonly notes: NoteService,
  ) {}

  @Post()
  @Returns('CaseView', 201)
  @ApiOperation({ summary: 'Open a draft case (researchers)' })
  async create(@User() user: CurrentUser, @Body() body: CreateCaseDto) {
    const c = await this.service.createDraft(user, body.title, body.answers);
    return this.queries.view(user, c.id);
  }

  @Get()
  @Returns('CaseListPage')
  @ApiOperation({ summary: 'List the cases you may see, newest first, by keyset pages' })
  list(@User() user: CurrentUser, @Query() q: ListCasesQuery) {
    return this.queries.list(user, q);
  }

  @Get(':id')
  @Returns('CaseView')
  @ApiParam({ name: 'id', format: 'uuid' })
  get(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.queries.view(user, id);
  }

  @Patch(':id')
  @Returns('CaseView')
  @ApiOperation({ summary: 'Edit a draft (its owner)' })
  async update(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Body() body: UpdateCaseDto) {
    await this.service.updateDraft(user, id, body);
    return this.queries.view(user, id);
  }

  @Get(':id/events')
  @Returns('CaseEventList')
  @ApiOperation({ summary: 'The audit timeline of a case' })
  events(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.queries.events(user, id);
  }

  @Get(':id/actions')
  @Returns('AvailableActionList')
  @ApiOperation({
    summary:
      'The actions you may take on this case now, each with the JSON Schema of its body; and those you could take here but that are blocked now, each with the refusal',
  })
  async actions(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return { items: await this.service.actionsFor(user, id), blocked: await this.service.blockedActionsFor(user, id) };
  }

  @Post(':id/actions/:action')
  @HttpCode(200)
  @Returns('ActionResult')
  @ApiOperation({ summary: 'Take an action on a case; the body is the schema of that action' })
  @ApiParam({ name: 'action', enum: [...ACTIONS] })
  @ApiBody({ schema: { oneOf: ACTIONS.map((a) => ({ $ref: `#/components/schemas/${actionSchemaName(a)}` })) } })
  async act(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Param('action') action: string, @Body() body: unknown) {
    const { case: after, event, teamIds } = await this.service.act(user, id, action, body);
    // The transaction just checked visibility and returned the row it wrote and the team it read: no re-read.
    return {
      case: await this.queries.view(user, id, after, teamIds),
      event: { id: event.id, seq: event.seq, action: event.action, fromState: event.fromState, toState: event.toState },
    };
  }

  @Get(':id/notes')
  @Returns('NoteList')
  notesList(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.notes.list(user, id).then((items) => ({ items }));
  }

  @Post(':id/notes')
  @Returns('Note', 201)
  addNote(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Body() body: NoteDto) {
    return this.notes.add(user, id, body.body, body.visibility);
  }
}
