import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@app/config';
import { WorkerModule } from './worker.module';
import { WorkerOptions } from './worker-options';
import { Logger as PinoLogger } from 'nestjs-pino';

/** The worker: a Nest application context, no HTTP. main.ts and the tests both start it here. */
export async function createWorkerApp(config: AppConfig, options: Partial<WorkerOptions> = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, options), {
    logger: options.logger === false ? false : ['error', 'warn', 'log'],
    bufferLogs: options.logger !== false,
  });
  if (options.logger !== false) app.useLogger(app.get(PinoLogger));
  await app.init();
  return app;
}
