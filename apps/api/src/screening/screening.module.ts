import { Global, Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CaseScreeningController, QuestionnaireController, ScreeningController } from './screening.controller';
import { ScreeningService } from './screening.service';

/**
 * Global so CaseService can inject ScreeningService (submit and respond screen and
 * score) without the cases module importing this one back.
 */
@Global()
@Module({
  imports: [CasesModule],
  controllers: [ScreeningController, QuestionnaireController, CaseScreeningController],
  providers: [ScreeningService],
  exports: [ScreeningService],
})
export class ScreeningModule {}
