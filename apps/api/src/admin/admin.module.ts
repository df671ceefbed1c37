import { Module } from '@nestjs/common';
import { CommitModule } from '../commit/commit.module';
import { CasesModule } from '../cases/cases.module';
import { DepartmentController } from './department.controller';
import { DepartmentService } from './department.service';
import { HandoverService } from './handover.service';
import { UserAdminController } from './user-admin.controller';
import { UserAdminService } from './user-admin.service';

/** Users, roles, departments, heads and delegates. */
@Module({
  imports: [CasesModule, CommitModule],
  controllers: [UserAdminController, DepartmentController],
  providers: [UserAdminService, DepartmentService, HandoverService],
})
export class AdminModule {}
