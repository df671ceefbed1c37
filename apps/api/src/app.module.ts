import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig, ConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { RedisModule } from '@app/queue';
import { AdminModule } from './admin/admin.module';
import { AuditController } from './admin/audit.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule,
        RedisModule,
        JwtModule.register({ global: true, secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
        AuthModule,
        CasesModule,
        AdminModule,
      ],
      controllers: [HealthController, AuditController],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
