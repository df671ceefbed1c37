import { Module } from '@nestjs/common';
import { NotificationPreferenceRepository } from '@app/persistence';
import { CasesModule } from '../cases/cases.module';
import { NotificationController } from './notification.controller';
import { NotificationService } from './notification.service';

/** Deliveries per case, mail alarms for the operator, and each person's notification preferences. */
@Module({
  imports: [CasesModule],
  controllers: [NotificationController],
  providers: [NotificationService, NotificationPreferenceRepository],
})
export class NotificationsModule {}
