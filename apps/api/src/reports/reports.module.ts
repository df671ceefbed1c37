import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ReportController } from './report.controller';
import { ReportService } from './report.service';

/** Staff reports over the cases: aggregates, and CSV / XLSX downloads of them and of the case list. */
@Module({
  imports: [CasesModule],
  controllers: [ReportController],
  providers: [ReportService],
  exports: [ReportService],
})
export class ReportsModule {}
