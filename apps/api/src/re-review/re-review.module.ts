import { Module } from '@nestjs/common';
import { CommitModule } from '../commit/commit.module';
import { CasesModule } from '../cases/cases.module';
import { ExportControlController } from './export-control.controller';
import { ReReviewController } from './re-review.controller';
import { ReReviewService } from './re-review.service';

/** Decisions after approval (re-review, what a linked case changed) and the export-control reference table. */
@Module({
  imports: [CasesModule, CommitModule],
  controllers: [ReReviewController, ExportControlController],
  providers: [ReReviewService],
})
export class ReReviewModule {}
