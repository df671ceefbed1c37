import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MetricsModule } from '../metrics/metrics.module';
import { QueueBoard, QueueBoardController } from './queue-board';

/** Bull Board at /admin/queues, for admins (see QueueBoard). */
@Module({
  imports: [AuthModule, MetricsModule],
  controllers: [QueueBoardController],
  providers: [QueueBoard],
})
export class QueueBoardModule {}
