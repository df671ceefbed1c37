import { Module } from '@nestjs/common';
import { CommitModule } from '../commit/commit.module';
import { ScreeningCoreModule } from '../screening/screening-core.module';
import { ActionValidator } from './action-validator';
import { CaseController } from './case.controller';
import { CaseService } from './case.service';
import { CaseQueries } from './case-queries';
import { NoteService } from './note.service';

@Module({
  imports: [CommitModule, ScreeningCoreModule],
  controllers: [CaseController],
  providers: [CaseService, CaseQueries, NoteService, ActionValidator],
  exports: [CaseService, CaseQueries],
})
export class CasesModule {}
