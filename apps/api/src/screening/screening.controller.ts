import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CURRENT_QUESTIONNAIRE_VERSION, DomainError, ErrorCode, isStaff, QUESTIONNAIRES, questionnaire, renderAnswers, RISK_CONFIG } from '@app/domain';
import { CaseRepository, ScreeningRepository } from '@app/persistence';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { CaseService } from '../cases/case.service';
import { ConfirmFlagDto, ScreeningCheckDto } from './screening.dto';
import { ScreeningService } from './screening.service';

@ApiTags('screening')
@ApiBearerAuth()
@Controller('screening')
export class ScreeningController {
  constructor(private readonly ds: DataSource, private readonly service: ScreeningService, private readonly screening: ScreeningRepository) {}

  @Post('check') @HttpCode(200) @RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control')
  @ApiOperation({ summary: 'Screen one name against the current restricted-party lists; hits above the threshold, best first, each with its explanation; warnings when the name could not be screened as asked' })
  async check(@Body() body: ScreeningCheckDto) {
    const started = process.hrtime.bigint();
    const { hits, warnings } = await this.service.checkDetailed(this.ds.manager, { name: body.name, country: body.country ?? null, birthDate: body.birthDate ?? null, identifiers: body.identifiers ?? [] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { name: body.name, country: body.country ?? null, threshold: this.service.threshold, hits, warnings, tookMs: Math.round(ms * 100) / 100 };
  }

  @Get('lists') @RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control', 'admin')
  @ApiOperation({ summary: 'The list versions screening reads now' })
  async lists() {
    return { items: await this.screening.currentVersions(this.ds.manager) };
  }
}

@ApiTags('questionnaires')
@ApiBearerAuth()
@Controller('questionnaires')
export class QuestionnaireController {
  @Get() @ApiOperation({ summary: 'Every questionnaire version, and which is current' })
  list() {
    return { current: CURRENT_QUESTIONNAIRE_VERSION, versions: Object.values(QUESTIONNAIRES).map((q) => ({ version: q.version, title: q.title })) };
  }

  @Get(':version') @ApiOperation({ summary: 'A questionnaire definition: sections, questions, options and why each is asked' })
  get(@Param('version', new ParseIntPipe({ exceptionFactory: () => new DomainError(ErrorCode.VALIDATION_FAILED, 'version in the path must be a whole number, such as 1.') })) version: number) {
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
    private readonly service: ScreeningService,
    private readonly screening: ScreeningRepository,
    private readonly cases: CaseRepository,
    private readonly caseService: CaseService,
  ) {}

  @Get(':id/answers') @ApiOperation({ summary: 'The answers laid out under the questions of the version the case answered' })
  async answers(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    const c = await this.caseService.getVisible(this.ds.manager, id, user);
    return { questionnaireVersion: c.questionnaireVersion, sections: renderAnswers(questionnaire(c.questionnaireVersion), c.answers as Record<string, unknown>) };
  }

  @Get(':id/risk') @ApiOperation({ summary: 'Staff: the latest proposal with every factor that fired, and the screening hits' })
  async risk(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    if (!isStaff(user.roles)) throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${id} exists, or you may not see it.`);
    const em = this.ds.manager;
    const c = await this.caseService.getVisible(em, id, user);
    const latest = await this.screening.latestAssessment(em, id);
    return {
      caseId: c.id, questionnaireVersion: c.questionnaireVersion, proposedRiskLevel: c.proposedRiskLevel, riskLevel: c.riskLevel,
      triageStale: c.triageStale, currentRulesVersion: RISK_CONFIG.version,
      assessment: latest ? { ...latest.assessment, trigger: latest.trigger, questionnaireVersion: latest.questionnaireVersion, createdAt: latest.createdAt } : null,
      screeningHits: await this.screening.hitsForCase(em, id),
    };
  }

  @Post(':id/flags/:flagId/confirm') @HttpCode(200) @RequireRoles('rsdo_officer', 'rsdo_lead')
  @ApiOperation({ summary: 'Confirm a screening hit as a true match: the flag stays blocking; the case goes on to rejection or the RSDO lead' })
  async confirm(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string, @Param('flagId', CaseIdPipe) flagId: string, @Body() body: ConfirmFlagDto) {
    const result = await this.service.confirmFlag(user, id, flagId, body.route, body.reason);
    return { ...result, flags: await this.cases.flags(this.ds.manager, id) };
  }
}
