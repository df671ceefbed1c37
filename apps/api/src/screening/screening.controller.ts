import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CURRENT_QUESTIONNAIRE_VERSION, DomainError, ErrorCode, QUESTIONNAIRES, questionnaire, renderAnswers } from '@app/domain';
import { ScreeningRepository } from '@app/persistence';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { CaseService } from '../cases/case.service';
import { ConfirmFlagDto, ScreeningCheckDto } from './screening.dto';
import { ScreeningQueries } from './screening-queries';

@ApiTags('screening')
@ApiBearerAuth()
@Controller('screening')
export class ScreeningController {
  constructor(
    private readonly ds: DataSource,
    private readonly queries: ScreeningQueries,
    private readonly screening: ScreeningRepository,
  ) {}

  @Post('check')
  @HttpCode(200)
  @RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control')
  @ApiOperation({
    summary:
      'Screen one name against the current restricted-party lists; hits above the threshold, best first, each with its explanation; warnings when the name could not be screened as asked',
  })
  check(@Body() body: ScreeningCheckDto) {
    return this.queries.check({ name: body.name, country: body.country ?? null, birthDate: body.birthDate ?? null, identifiers: body.identifiers ?? [] });
  }

  @Get('lists')
  @RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control', 'admin')
  @ApiOperation({ summary: 'The list versions screening reads now' })
  async lists() {
    return { items: await this.screening.currentVersions(this.ds.manager) };
  }
}

@ApiTags('questionnaires')
@ApiBearerAuth()
@Controller('questionnaires')
export class QuestionnaireController {
  @Get()
  @Returns('QuestionnaireVersions')
  @ApiOperation({ summary: 'Every questionnaire version, and which is current' })
  list() {
    return { current: CURRENT_QUESTIONNAIRE_VERSION, versions: Object.values(QUESTIONNAIRES).map((q) => ({ version: q.version, title: q.title })) };
  }

  @Get(':version')
  @Returns('Questionnaire')
  @ApiOperation({ summary: 'A questionnaire definition: sections, questions, options and why each is asked' })
  get(
    @Param(
      'version',
      new ParseIntPipe({ exceptionFactory: () => new DomainError(ErrorCode.VALIDATION_FAILED, 'version in the path must be a whole number, such as 1.') }),
    )
    version: number,
  ) {
    if (!QUESTIONNAIRES[version]) throw new DomainError(ErrorCode.NOT_FOUND, `There is no questionnaire version ${version}.`);
    return questionnaire(version);
  }
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseScreeningController {
  constructor(
    private readonly ds: DataSource,
    private readonly queries: ScreeningQueries,
    private readonly caseService: CaseService,
  ) {}

  @Get(':id/answers')
  @ApiOperation({ summary: 'The answers laid out under the questions of the version the case answered' })
  async answers(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    const c = await this.caseService.getVisible(this.ds.manager, id, user);
    return {
      questionnaireVersion: c.questionnaireVersion,
      sections: renderAnswers(questionnaire(c.questionnaireVersion), c.answers as Record<string, unknown>),
    };
  }

  @Get(':id/risk')
  @ApiOperation({ summary: 'Staff: the latest proposal with every factor that fired, and the screening hits' })
  async risk(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    const { case: c, parts } = await this.caseService.access(this.ds.manager, id, user);
    // The researcher view has no risk: answered exactly as a case they may not see.
    if (!parts.risk) throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${id} exists, or you may not see it.`);
    return this.queries.risk(c);
  }

  @Post(':id/flags/:flagId/confirm')
  @HttpCode(200)
  @RequireRoles('rsdo_officer', 'rsdo_lead')
  @ApiOperation({ summary: 'Confirm a screening hit as a true match: the flag stays blocking; the case goes on to rejection or the RSDO lead' })
  async confirm(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Param('flagId', CaseIdPipe) flagId: string, @Body() body: ConfirmFlagDto) {
    return this.queries.confirmFlag(user, id, flagId, body.route, body.reason);
  }
}
