import { ConfigError, embeddedPostgresMode, loadConfig } from './config';

const PROD = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u@db/tr',
  SMTP_URL: 'smtp://mail',
  MAIL_FROM: 'x@example.ac.uk',
  PUBLIC_URL: 'https://tr.example.ac.uk',
  JWT_SECRET: 'x'.repeat(32),
  AUDIT_KEY: 'a'.repeat(32),
};

describe('queue backend and embedded PostgreSQL settings', () => {
  it('defaults to redis, the schema bullmq and the embedded database on auto', () => {
    const c = loadConfig({});
    expect(c.queueBackend).toBe('redis');
    expect(c.queuePostgres).toEqual({ schema: 'bullmq', poolSize: 3 });
    expect(c.embeddedPostgres).toEqual({ mode: 'auto', port: 54329, dataDir: '.data/postgres' });
    expect(c.database.embedded).toBe(false);
  });

  it('needs no REDIS_URL in production on the postgres backend, and still does on redis', () => {
    expect(loadConfig({ ...PROD, QUEUE_BACKEND: 'postgres' }).queueBackend).toBe('postgres');
    expect(() => loadConfig(PROD)).toThrow(/REDIS_URL is required in production/);
  });

  it.each([
    [{ QUEUE_BACKEND: 'kafka' }, /QUEUE_BACKEND must be redis or postgres/],
    [{ EMBEDDED_POSTGRES: 'yes' }, /EMBEDDED_POSTGRES must be auto, force or off/],
    [{ QUEUE_PG_SCHEMA: 'Bull-MQ' }, /QUEUE_PG_SCHEMA must be a lower-case SQL identifier/],
    [{ ...PROD, QUEUE_BACKEND: 'postgres', EMBEDDED_POSTGRES: 'force' }, /EMBEDDED_POSTGRES=force is for demo mode only/],
    [{ ...PROD, QUEUE_BACKEND: 'postgres', DATABASE_EMBEDDED: 'true' }, /the embedded PostgreSQL never runs in production/],
  ])('refuses %j', (env, message) => expect(() => loadConfig(env as Record<string, string>)).toThrow(message));

  it('reads EMBEDDED_POSTGRES alone for the launcher, with the same rules', () => {
    expect(embeddedPostgresMode({})).toBe('auto');
    expect(embeddedPostgresMode({ EMBEDDED_POSTGRES: 'force' })).toBe('force');
    expect(() => embeddedPostgresMode({ EMBEDDED_POSTGRES: 'force', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => embeddedPostgresMode({ EMBEDDED_POSTGRES: 'on' })).toThrow(/auto, force or off/);
  });
});
