import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { createDataSource } from './data-source';
import { AuditRepository } from './repositories/audit.repository';
import { CaseRepository } from './repositories/case.repository';
import { DeliveryRepository } from './repositories/delivery.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { TimerRepository } from './repositories/timer.repository';
import { UserRepository } from './repositories/user.repository';
import { ScreeningRepository } from './repositories/screening.repository';
import { SlaRepository } from './repositories/sla.repository';
import { AttachmentRepository } from './repositories/attachment.repository';
import { ReportRepository } from './repositories/report.repository';
import { EvidenceRepository } from './repositories/evidence.repository';
import { ScreeningWatchRepository } from './repositories/screening-watch.repository';
import { OrganisationRepository } from './repositories/organisation.repository';
import { CasePersonRepository } from './repositories/case-person.repository';

const repositories = [
  AuditRepository,
  CaseRepository,
  OutboxRepository,
  TimerRepository,
  UserRepository,
  DeliveryRepository,
  ScreeningRepository,
  SlaRepository,
  AttachmentRepository,
  ReportRepository,
  EvidenceRepository,
  ScreeningWatchRepository,
  OrganisationRepository,
  CasePersonRepository,
];

/** The app-role DataSource and the repositories. Migrations have run before this boots. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => createDataSource(config, 'app').initialize(),
    },
    ...repositories,
  ],
  exports: [DataSource, ...repositories],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
