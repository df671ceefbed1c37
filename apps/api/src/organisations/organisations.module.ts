import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { OrganisationController, PrecedentController } from './organisation.controller';
import { OrganisationService } from './organisation.service';

/** The partner register and the triage precedent panel (issue 19). */
@Module({
  imports: [CasesModule],
  controllers: [OrganisationController, PrecedentController],
  providers: [OrganisationService],
})
export class OrganisationsModule {}
