import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig, ConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { QueueBackendModule } from '@app/queue';
import { AdminModule } from './admin/admin.module';
import { AuditController } from './admin/audit.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { SsoModule } from './auth/sso/sso.module';
import { CasesModule } from './cases/cases.module';
import { HealthController } from './health/health.controller';
import { NotificationsModule } from './notifications/notifications.module';
import { ScreeningModule } from './screening/screening.module';
import { SlaModule } from './sla/sla.module';
import { DocumentsModule } from './documents/documents.module';
import { ReReviewModule } from './re-review/re-review.module';
import { ReportsModule } from './reports/reports.module';
import { EvidenceModule } from './evidence/evidence.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueBoardModule } from './queue-board/queue-board.module';
import { apiLogging } from '@app/config';
import { OrganisationsModule } from './organisations/organisations.module';
import { PeopleModule } from './people/people.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        apiLogging(config),
        PersistenceModule,
        QueueBackendModule.forRoot(config),
        // A key object: given a string, jsonwebtoken first tries it as a PEM key on every call (~0.5 ms).
        JwtModule.register({
          global: true,
          secret: createSecretKey(Buffer.from(config.auth.jwtSecret)),
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
        AuthModule,
        SsoModule,
        CasesModule,
        AdminModule,
        ScreeningModule,
        SlaModule,
        DocumentsModule,
        ReReviewModule,
        NotificationsModule,
        ReportsModule,
        EvidenceModule,
        MetricsModule,
        QueueBoardModule,
        OrganisationsModule,
        PeopleModule,
      ],
      controllers: [HealthController, AuditController],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
