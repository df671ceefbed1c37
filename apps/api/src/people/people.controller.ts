import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CurrentUser, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { IdPipe } from '../admin/id.pipe';
import { AddPersonDto, UpdatePersonDto } from './people.dto';
import { PeopleService } from './people.service';

const PersonIdPipe = new IdPipe('person on this case');

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class PeopleController {
  constructor(private readonly service: PeopleService) {}

  @Get(':id/people')
  @Returns('CasePeople')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'People named on the case: role, affiliation, nationality, ATAS, declared conflicts; and what approval waits for from them' })
  list(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.service.list(user, id);
  }

  @Post(':id/people')
  @HttpCode(201)
  @Returns('CasePeople', 201)
  @ApiOperation({ summary: 'Name a person on the case (the research team or the research office)' })
  add(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Body() body: AddPersonDto) {
    return this.service.add(user, id, body);
  }

  @Patch(':id/people/:personId')
  @Returns('CasePeople')
  @ApiParam({ name: 'personId', format: 'uuid' })
  @ApiOperation({ summary: "Change a person's affiliation, nationalities or declared conflicts, or record their ATAS certificate" })
  update(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Param('personId', PersonIdPipe) personId: string, @Body() body: UpdatePersonDto) {
    return this.service.update(user, id, personId, body);
  }

  @Post(':id/people/:personId/confirm')
  @HttpCode(200)
  @Returns('CasePeople')
  @ApiParam({ name: 'personId', format: 'uuid' })
  @ApiOperation({ summary: 'The principal investigator confirms a case submitted on their behalf' })
  confirm(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Param('personId', PersonIdPipe) personId: string) {
    return this.service.confirm(user, id, personId);
  }
}
