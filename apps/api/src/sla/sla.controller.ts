import { Body, Controller, Delete, Get, HttpCode, Param, Put, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '@app/domain';
import { isCalendarDate } from '../common/input-guard';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { ClosureDayDto, SlaPolicyDto, SlaSettingsDto } from './sla.dto';
import { SlaAdminService } from './sla.service';

@ApiTags('service levels')
@ApiBearerAuth()
@RequireRoles('admin')
@Controller('admin/sla')
export class SlaController {
  constructor(private readonly service: SlaAdminService) {}

  @Get('policies')
  @Returns('SlaPolicyList')
  @ApiOperation({ summary: 'The service level of each stage: target and ladder' })
  policies() {
    return this.service.policies();
  }

  @Put('policies/:stage')
  @Returns('SlaPolicyChange')
  @ApiParam({ name: 'stage' })
  @ApiOperation({ summary: 'Change a stage’s policy; open cases in that stage get new timers (the old ones are cancelled)' })
  setPolicy(@User() admin: CurrentUser, @Param('stage') stage: string, @Body() body: SlaPolicyDto) {
    return this.service.setPolicy(admin, stage, body);
  }

  @Get('settings')
  @Returns('SlaSettings')
  @ApiOperation({ summary: 'Working hours, head of the research office, reminders before an information reply is due' })
  settings() {
    return this.service.settings();
  }

  @Put('settings')
  @Returns('SlaSettings')
  @ApiOperation({ summary: 'Change working hours and reminder settings' })
  setSettings(@User() admin: CurrentUser, @Body() body: SlaSettingsDto) {
    return this.service.setSettings(admin, body);
  }

  @Get('closure-days')
  @Returns('ClosureDayList')
  @ApiOperation({ summary: 'The university’s own closure days (bank holidays come from the GOV.UK division)' })
  closureDays() {
    return this.service.closureDays();
  }

  @Post('closure-days')
  @Returns('ClosureDay', 201)
  @ApiOperation({ summary: 'Add a closure day' })
  addClosureDay(@User() admin: CurrentUser, @Body() body: ClosureDayDto) {
    return this.service.addClosureDay(admin, body);
  }

  @Delete('closure-days/:day')
  @HttpCode(204)
  @ApiParam({ name: 'day', example: '2026-12-29' })
  async removeClosureDay(@User() admin: CurrentUser, @Param('day') day: string) {
    if (!isCalendarDate(day)) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'day in the path must be a date of the calendar, YYYY-MM-DD.');
    await this.service.removeClosureDay(admin, day);
  }
}
