import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuditRepository } from '@app/persistence';
import { RequireRoles } from '../common/request-context';
import { Returns } from '../common/response-schemas';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/audit')
export class AuditController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  @Get('verify')
  @Returns('AuditVerification')
  @RequireRoles('admin', 'rsdo_lead')
  @ApiOperation({ summary: 'Re-hash every audit chain and report the first broken link' })
  verify() {
    return this.audit.verify(this.ds.manager);
  }
}
