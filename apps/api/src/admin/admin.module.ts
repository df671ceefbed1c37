import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';

/** Users, roles, departments, heads and delegates. */
@Module({ imports: [CasesModule] })
export class AdminModule {}
