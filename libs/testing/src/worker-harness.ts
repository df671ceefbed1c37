import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { createWorkerApp } from '../../../apps/worker/src/bootstrap';
import { WorkerOptions } from '../../../apps/worker/src/worker-options';
import { CaseDriver } from './case-factory';
import { SmtpSink } from './smtp-sink';
import { createTestApp, TestApp } from './test-app';

/** Short periods so tests do not wait for production cadences. */
export const FAST_WORKER_OPTIONS: Partial<WorkerOptions> = {
  logger: false,
  pollEveryMs: 200,
  reconcileEveryMs: 500,
  sweepEveryMs: 1000,
  sweepAfterMs: 2000,
  retryBaseMs: 200,
  leaseMs: 5000,
  lockDurationMs: 5000,
  stalledIntervalMs: 2000,
};

/** The worker in-process, against the same database and Redis prefix as a TestApp. */
export function startWorker(config: AppConfig, options: Partial<WorkerOptions> = {}): Promise<INestApplicationContext> {
  return createWorkerApp(config, { ...FAST_WORKER_OPTIONS, ...options });
}

/** Polls until `fn` returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000, what = 'a condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The environment loadConfig(process.env) reads in a child worker with this config. */
export function workerEnv(config: AppConfig, smtpUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: config.database.url,
    REDIS_URL: config.redis.url,
    REDIS_PREFIX: config.redis.keyPrefix,
    SMTP_URL: smtpUrl,
    JWT_SECRET: config.auth.jwtSecret,
    PUBLIC_URL: config.publicUrl,
    QUEUE_BACKEND: config.queueBackend,
  };
}

/**
 * apps/worker/src/main.ts as a child process (ts-node, transpile only), as production
 * runs it: its own config from the environment, default periods.
 */
export function spawnWorker(env: Record<string, string>): ChildProcess & { output: () => string } {
  const root = resolve(__dirname, '../../..');
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: resolve(root, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b) => {
    out += b;
  });
  child.stderr!.on('data', (b) => {
    out += b;
  });
  return Object.assign(child, { output: () => out });
}

export interface MailingWorker {
  sink: SmtpSink;
  t: TestApp;
  d: CaseDriver;
  worker: INestApplicationContext;
}

/**
 * The usual setting of a worker test: an SMTP sink, an API on its own database that
 * sends to it, a case driver, and the worker in process with short periods.
 */
export async function startMailingWorker(env: Record<string, string> = {}): Promise<MailingWorker> {
  const sink = await SmtpSink.start();
  const t = await createTestApp({ SMTP_URL: sink.url, ...env });
  return { sink, t, d: new CaseDriver(t), worker: await startWorker(t.config) };
}

/** Stops what startMailingWorker started, worker first (it finishes running jobs). */
export async function stopMailingWorker(m: Partial<MailingWorker>): Promise<void> {
  await m.worker?.close();
  await m.t?.close();
  await m.sink?.close();
}
