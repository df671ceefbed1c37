import { Module } from '@nestjs/common';
import { CASE_SCREENING } from '@app/screening';
import { CommitModule } from '../commit/commit.module';
import { ScreeningService } from '@app/screening';

/**
 * Screening and scoring without HTTP: what the case lifecycle calls at submit and
 * respond (under the CASE_SCREENING token it declares), and list imports. It depends on
 * the commit path only, so the cases module can import it without a cycle.
 */
@Module({
  imports: [CommitModule],
  providers: [ScreeningService, { provide: CASE_SCREENING, useExisting: ScreeningService }],
  exports: [ScreeningService, CASE_SCREENING],
})
export class ScreeningCoreModule {}
