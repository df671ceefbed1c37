import { appDatabaseUrl, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('demo mode fills safe defaults', () => {
    const c = loadConfig({});
    expect(c.demo).toBe(true);
    expect(c.database.url).toBe('postgres://postgres@127.0.0.1:5432/trusted_research');
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.auth.jwtSecret).toHaveLength(64);
    expect(c.timezone).toBe('Europe/London');
    expect(c.holidayDivision).toBe('england-and-wales');
  });

  it('production refuses to start without its required settings and names each one', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const msg = (error as Error).message;
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_URL', 'JWT_SECRET', 'MAIL_FROM', 'AUDIT_KEY'])
      expect(msg).toContain(`${name} is required in production.`);
  });

  it('production accepts a complete environment and is not demo', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://owner:pw@db:5432/tr',
      REDIS_URL: 'redis://cache:6379',
      SMTP_URL: 'smtp://mail:25',
      MAIL_FROM: 'TR <tr@uni.ac.uk>',
      PUBLIC_URL: 'https://tr.uni.ac.uk/',
      JWT_SECRET: 'x'.repeat(40),
      AUDIT_KEY: 'a'.repeat(40),
      DATABASE_APP_PASSWORD: 's3cret',
    });
    expect(c.demo).toBe(false);
    expect(c.publicUrl).toBe('https://tr.uni.ac.uk');
    expect(appDatabaseUrl(c)).toBe('postgres://tr_app:s3cret@db:5432/tr');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number from 0 to 65535 (got "eighty").'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres:// or postgresql://'],
    [{ HOLIDAY_DIVISION: 'wales' }, 'HOLIDAY_DIVISION must be one of england-and-wales, scotland, northern-ireland (got "wales").'],
    [{ TIMEZONE: 'Mars/Olympus' }, 'TIMEZONE must be an IANA time zone'],
    [{ QUEUE_BACKEND: 'kafka' }, 'QUEUE_BACKEND must be redis or postgres (got "kafka").'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters in production.'],
    [{ NODE_ENV: 'production', AUDIT_KEY: 'short' }, 'AUDIT_KEY must be at least 32 characters in production.'],
    [{ AUDIT_KEY_ID: 'sha256' }, 'AUDIT_KEY_ID must be 1-32 letters'],
    [{ AUDIT_PREVIOUS_KEYS: 'nocolon' }, 'AUDIT_PREVIOUS_KEYS must be a comma-separated list of id:key pairs.'],
  ])('rejects %j with a sentence naming the setting', (env, sentence) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(sentence);
  });
});

describe('screening source locations (SCREENING_IMPORT_DIR, SCREENING_SOURCE_HOSTS)', () => {
  it('demo mode reads files from fixtures/screening and downloads from the publishers over https', () => {
    const c = loadConfig({});
    expect(c.screeningSources.importDir).toMatch(/fixtures\/screening$/);
    expect(c.screeningSources.allowedOrigins).toContain('https://data.trade.gov');
    expect(c.screeningSources.allowedOrigins.every((o) => o.startsWith('https://'))).toBe(true);
  });

  it('a bare host means https; a full origin is taken as written; anything else is named', () => {
    const c = loadConfig({ SCREENING_SOURCE_HOSTS: 'Data.Trade.Gov, http://127.0.0.1:8080', SCREENING_IMPORT_DIR: '/srv/lists' });
    expect(c.screeningSources).toEqual({ importDir: '/srv/lists', allowedOrigins: ['https://data.trade.gov', 'http://127.0.0.1:8080'] });
    expect(() => loadConfig({ SCREENING_SOURCE_HOSTS: 'https://x.org/path,ftp://y' })).toThrow(/SCREENING_SOURCE_HOSTS: "https:\/\/x.org\/path" is neither/);
  });
});
