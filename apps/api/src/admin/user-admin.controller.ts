import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { CreateUserDto, HandoverDto, SetDepartmentDto, SetRolesDto } from './admin.dto';
import { HandoverService } from './handover.service';
import { UserIdPipe } from './id.pipe';
import { UserAdminService } from './user-admin.service';

@ApiTags('admin')
@ApiBearerAuth()
@RequireRoles('admin')
@Controller('admin/users')
export class UserAdminController {
  constructor(
    private readonly users: UserAdminService,
    private readonly handovers: HandoverService,
  ) {}

  @Get()
  @Returns('UserList')
  @ApiOperation({ summary: 'Every account, with roles, department, active and email-flag state' })
  async list() {
    return { items: await this.users.list() };
  }

  @Post()
  @Returns('Invitation', 201)
  @ApiOperation({ summary: 'Invite a user: the account has no password until the emailed invitation is accepted (7 days)' })
  create(@User() admin: CurrentUser, @Body() body: CreateUserDto) {
    return this.users.create(admin, body);
  }

  @Put(':id/roles')
  @Returns('UserView')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Replace the roles of a user; takes effect on their next request' })
  setRoles(@User() admin: CurrentUser, @Param('id', UserIdPipe) id: string, @Body() body: SetRolesDto) {
    return this.users.setRoles(admin, id, body.roles);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Deactivate a user at once: their tokens stop working and every session is revoked' })
  deactivate(@User() admin: CurrentUser, @Param('id', UserIdPipe) id: string) {
    return this.users.deactivate(admin, id);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Reactivate a user; they sign in again' })
  reactivate(@User() admin: CurrentUser, @Param('id', UserIdPipe) id: string) {
    return this.users.reactivate(admin, id);
  }

  @Put(':id/department')
  @Returns('UserView')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Set or clear the department a user belongs to (researchers and heads); audited' })
  setDepartment(@User() admin: CurrentUser, @Param('id', UserIdPipe) id: string, @Body() body: SetDepartmentDto) {
    return this.users.setDepartment(admin, id, body.departmentId);
  }

  @Post(':id/handover')
  @HttpCode(200)
  @Returns('HandoverResult')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: "Reassign a leaver's open cases to another officer, each as an audited assign event" })
  handover(@User() admin: CurrentUser, @Param('id', UserIdPipe) id: string, @Body() body: HandoverDto) {
    return this.handovers.handover(admin, id, body.toUserId);
  }
}
