import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CaseScreeningController, QuestionnaireController, ScreeningController } from './screening.controller';
import { ScreeningCoreModule } from './screening-core.module';
import { ScreeningQueries } from './screening-queries';
import { ScreeningListsController } from './screening-lists.controller';

/** The screening API: checks, list versions, questionnaires, a case's risk and confirming hits. */
@Module({
  imports: [CasesModule, ScreeningCoreModule],
  controllers: [ScreeningController, QuestionnaireController, CaseScreeningController, ScreeningListsController],
  providers: [ScreeningQueries],
})
export class ScreeningModule {}
