import { Module } from '@nestjs/common';
import { ActionValidator } from './action-validator';
import { CaseController } from './case.controller';
import { CaseService } from './case.service';
import { NoteService } from './note.service';

@Module({
  controllers: [CaseController],
  providers: [CaseService, NoteService, ActionValidator],
  exports: [CaseService],
})
export class CasesModule {}
