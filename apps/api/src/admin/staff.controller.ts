import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Role, ROLES } from '@app/domain';
import { UserRepository } from '@app/persistence';
import { RequireRoles } from '../common/request-context';
import { Returns } from '../common/response-schemas';

export class StaffQuery {
  @ApiPropertyOptional({ enum: ROLES, description: 'Only people with this role' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ description: 'Part of a name or email address', maxLength: 100 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'q must be text' })
  @MaxLength(100, { message: 'q must be at most 100 characters long' })
  q?: string;
}

/**
 * The staff directory: active colleagues by name, so pickers (assignee, export
 * reviewer, delegate, handover) never ask for a pasted user id. Staff only.
 */
@ApiTags('staff')
@ApiBearerAuth()
@Controller('staff')
export class StaffController {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UserRepository,
  ) {}

  @Get()
  @Returns('StaffList')
  @RequireRoles('rsdo_officer', 'rsdo_lead', 'export_control', 'admin')
  @ApiOperation({ summary: 'Active people by name, optionally with one role or matching part of a name or email (staff only)' })
  async list(@Query() query: StaffQuery) {
    const needle = query.q?.toLowerCase() ?? '';
    const all = await this.users.listUsers(this.ds.manager);
    const items = all
      .filter((u) => u.active)
      .map((u) => ({ id: u.id, name: u.name, email: u.email, roles: [...u.roles].sort() as Role[] }))
      .filter((u) => !query.role || u.roles.includes(query.role))
      .filter((u) => !needle || u.name.toLowerCase().includes(needle) || u.email.includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
    return { items };
  }
}
