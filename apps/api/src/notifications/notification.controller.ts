import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CaseIdPipe } from '../common/case-id.pipe';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { NotificationPreferencesDto } from './notification.dto';
import { NotificationService } from './notification.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationController {
  constructor(private readonly service: NotificationService) {}

  @Get('cases/:id/notifications')
  @ApiParam({ name: 'id', format: 'uuid' })
  @RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control', 'admin')
  @ApiOperation({ summary: 'The emails of a case: recipient (with a flag if their address was refused), template, status, reason, attempts' })
  caseNotifications(@User() user: CurrentUser, @Param('id', CaseIdPipe) id: string) {
    return this.service.caseNotifications(user, id);
  }

  @Get('admin/mail/status')
  @Returns('MailStatus')
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Mail health: open operator alarms (e.g. SMTP authentication refused) and deliveries by status' })
  mailStatus() {
    return this.service.mailStatus();
  }

  @Get('me/notification-preferences')
  @Returns('NotificationPreferences')
  @ApiOperation({ summary: 'Your mode per category (immediate, digest, off); decision emails are critical and always sent' })
  preferences(@User() user: CurrentUser) {
    return this.service.preferences(user.id);
  }

  @Put('me/notification-preferences')
  @Returns('NotificationPreferences')
  @ApiOperation({
    summary: 'Change your mode for some categories; in digest mode the email is recorded as suppressed ("in digest") and listed in your 08:30 digest',
  })
  setPreferences(@User() user: CurrentUser, @Body() body: NotificationPreferencesDto) {
    return this.service.setPreferences(user.id, body);
  }
}
