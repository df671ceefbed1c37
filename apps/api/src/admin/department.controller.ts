import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { Returns } from '../common/response-schemas';
import { AddDelegateDto, CreateDepartmentDto, SetHeadDto } from './admin.dto';
import { DepartmentService } from './department.service';
import { DelegationIdPipe, DepartmentIdPipe } from './id.pipe';

@ApiTags('departments')
@ApiBearerAuth()
@Controller()
export class DepartmentController {
  constructor(private readonly departments: DepartmentService) {}

  @Get('departments')
  @Returns('DepartmentList')
  @ApiOperation({ summary: 'Departments with their head and live delegates (any signed-in user)' })
  async list() {
    return { items: await this.departments.list() };
  }

  @Post('admin/departments')
  @Returns('Department', 201)
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Create a department' })
  create(@User() admin: CurrentUser, @Body() body: CreateDepartmentDto) {
    return this.departments.create(admin, body);
  }

  @Put('admin/departments/:id/head')
  @Returns('Department')
  @RequireRoles('admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Set the head of a department (they gain the department_head role if missing)' })
  setHead(@User() admin: CurrentUser, @Param('id', DepartmentIdPipe) id: string, @Body() body: SetHeadDto) {
    return this.departments.setHead(admin, id, body.userId);
  }

  @Post('departments/:id/delegates')
  @Returns('Delegation', 201)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Name a delegate who signs for the head between two dates (admins and the head)' })
  addDelegate(@User() user: CurrentUser, @Param('id', DepartmentIdPipe) id: string, @Body() body: AddDelegateDto) {
    return this.departments.addDelegate(user, id, body);
  }

  @Delete('departments/:id/delegates/:delegateId')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'delegateId', format: 'uuid' })
  @ApiOperation({ summary: 'Revoke a delegation (admins and the head)' })
  revokeDelegate(@User() user: CurrentUser, @Param('id', DepartmentIdPipe) id: string, @Param('delegateId', DelegationIdPipe) delegateId: string) {
    return this.departments.revokeDelegate(user, id, delegateId);
  }
}
