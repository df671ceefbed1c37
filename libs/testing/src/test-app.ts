import { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { createDataSource, DEMO_PASSWORD } from '@app/persistence';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { createTestDatabase, releaseTestDatabase, testConfig } from './test-db';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  dbName: string;
  /** Owner connection for assertions and for tampering tests (the app role cannot). */
  owner: DataSource;
  http: () => request.Agent;
  /** Signs in a demo account and returns its bearer token (cached per email). */
  token(email: string): Promise<string>;
  /** Looks up a demo user's id by email. */
  userId(email: string): Promise<string>;
  close(): Promise<void>;
}

/** A real API on its own database cloned from the template, talking to the real Redis. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dbName = await createTestDatabase();
  const config = testConfig(dbName, env);
  const app = await createApiApp(config, { logger: false });
  await app.init();
  const owner = createDataSource(config, 'owner', 2);
  await owner.initialize();
  const tokens = new Map<string, string>();
  const server = app.getHttpServer();
  return {
    app,
    config,
    dbName,
    owner,
    http: () => request(server) as unknown as request.Agent,
    async token(email) {
      const cached = tokens.get(email);
      if (cached) return cached;
      const res = await request(server).post('/api/auth/login').send({ email, password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(email, res.body.accessToken);
      return res.body.accessToken;
    },
    async userId(email) {
      const [row] = await owner.query('SELECT id FROM app_user WHERE lower(email) = lower($1)', [email]);
      if (!row) throw new Error(`no user ${email}`);
      return row.id;
    },
    async close() {
      await app.close();
      await owner.destroy();
      const r = new Redis(config.redis.url);
      const keys = await r.keys(`${config.redis.keyPrefix}:*`);
      if (keys.length) await r.del(...keys);
      r.disconnect();
      await releaseTestDatabase(dbName);
    },
  };
}
