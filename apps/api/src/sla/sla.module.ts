import { Module } from '@nestjs/common';
import { SlaController } from './sla.controller';
import { SlaAdminService } from './sla.service';

/** Admin API for service levels: stage policies, working hours and closure days. */
@Module({
  controllers: [SlaController],
  providers: [SlaAdminService],
})
export class SlaModule {}
