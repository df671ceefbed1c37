import { Module } from '@nestjs/common';
import { ReportService } from '@app/persistence';
import { CasesModule } from '../cases/cases.module';
import { ReportController } from './report.controller';

/** Staff reports over the cases: aggregates, and CSV / XLSX downloads of them and of the case list. */
@Module({
  imports: [CasesModule],
  controllers: [ReportController],
  providers: [ReportService],
  exports: [ReportService],
})
export class ReportsModule {}
