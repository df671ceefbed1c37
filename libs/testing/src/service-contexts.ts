import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, ConfigModule } from '@app/config';
import { Role } from '@app/domain';
import { createDataSource, PersistenceModule, TimerFireRepository } from '@app/persistence';
import { JobQueue } from '@app/queue';
import { CasesModule } from '../../../apps/api/src/cases/cases.module';
import { CaseService } from '../../../apps/api/src/cases/case.service';
import { CommitModule } from '../../../apps/api/src/commit/commit.module';
import { CurrentUser } from '../../../apps/api/src/common/request-context';
import { LicenceLapse } from '../../../apps/worker/src/timers/licence-lapse';
import { TimerService } from '../../../apps/worker/src/timers/timer.service';
import { DEFAULT_WORKER_OPTIONS, WORKER_OPTIONS } from '../../../apps/worker/src/worker-options';
import { createTestDatabase, releaseTestDatabase, testConfig } from './test-db';

/**
 * Service-level ("medium") tests: the API's CaseService and the worker's TimerService, each in
 * a Nest application context of its own (no HTTP, no running worker), on a database cloned
 * from the template, with an owner connection for assertions.
 */
export interface ServiceContexts {
  config: AppConfig;
  dbName: string;
  owner: DataSource;
  cases: CaseService;
  timers: TimerService;
  /** A demo account as the API's request context sees it. */
  user(email: string): Promise<CurrentUser>;
  close(): Promise<void>;
}

/** `ownerPoolSize`: connections of the owner data source (a test that holds locks on one needs more). */
export async function createServiceContexts(ownerPoolSize = 2): Promise<ServiceContexts> {
  const dbName = await createTestDatabase();
  const config = testConfig(dbName);
  @Module({ imports: [ConfigModule.forRoot(config), PersistenceModule, CasesModule] })
  class CasesOnly {}
  @Module({
    imports: [ConfigModule.forRoot(config), PersistenceModule, CommitModule],
    providers: [
      { provide: WORKER_OPTIONS, useValue: DEFAULT_WORKER_OPTIONS },
      { provide: JobQueue, inject: [APP_CONFIG], useFactory: (c: AppConfig) => JobQueue.connect(c) },
      TimerFireRepository,
      TimerService,
      LicenceLapse,
    ],
  })
  class TimersOnly {}
  let api: INestApplicationContext | undefined;
  let timersCtx: INestApplicationContext | undefined;
  let owner: DataSource | undefined;
  const close = async () => {
    await timersCtx?.get(JobQueue).close();
    await timersCtx?.close();
    await api?.close();
    if (owner?.isInitialized) await owner.destroy();
    await releaseTestDatabase(dbName);
  };
  try {
    api = await NestFactory.createApplicationContext(CasesOnly, { logger: false, abortOnError: false });
    timersCtx = await NestFactory.createApplicationContext(TimersOnly, { logger: false, abortOnError: false });
    owner = createDataSource(config, 'owner', ownerPoolSize);
    await owner.initialize();
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  const ownerDs = owner;
  return {
    config,
    dbName,
    owner: ownerDs,
    cases: api.get(CaseService),
    timers: timersCtx.get(TimerService),
    async user(email) {
      const [u] = await ownerDs.query('SELECT id, email, name, roles, department_id AS "departmentId" FROM app_user WHERE lower(email) = lower($1)', [email]);
      if (!u) throw new Error(`no user ${email}`);
      return { id: u.id, email: u.email, name: u.name, roles: new Set(u.roles as Role[]), departmentId: u.departmentId };
    },
    close,
  };
}
