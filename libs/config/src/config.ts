/**
 * One validated, typed configuration object, built once at boot from the environment
 * (README "Configuration"). Nothing else in the code base reads process.env.
 * Demo mode fills safe defaults; production refuses to start without its required
 * settings and says which.
 */
import { randomBytes } from 'node:crypto';
import { AttachmentConfig, loadAttachmentConfig } from './attachments';
export type { AttachmentConfig } from './attachments';
import { loadSsoConfig, SsoConfig } from './sso';
import { loadScreeningSourceConfig, ScreeningSourceConfig } from './screening-sources';
export * from './screening-sources';
export * from './sso';

export type NodeEnv = 'development' | 'test' | 'production';
export type HolidayDivision = 'england-and-wales' | 'scotland' | 'northern-ireland';

export interface AppConfig {
  nodeEnv: NodeEnv;
  /** Demo mode: anything but production. Seeds demo data and fills defaults. */
  demo: boolean;
  port: number;
  publicUrl: string;
  database: {
    /** Owner connection: migrations, seeding, audit verification. */
    url: string;
    /** The role the API and worker log in as; owns no table, so the audit trigger binds it. */
    appUser: string;
    appPassword: string | undefined;
    poolSize: number;
    /**
     * True when `npm start` runs the embedded PostgreSQL (demo mode only); set by the
     * launcher for its children as DATABASE_EMBEDDED, reported by /health.
     */
    embedded: boolean;
  };
  /**
   * `npm start`'s embedded PostgreSQL (demo mode): `auto` starts it when DATABASE_URL is
   * unset and nothing answers at 127.0.0.1:5432; `force` always (a bare-machine run);
   * `off` never. Production refuses `force`.
   */
  embeddedPostgres: { mode: EmbeddedPostgresMode; port: number; dataDir: string };
  /** Used by the redis queue backend (and its login throttle); unused on `postgres`. */
  redis: { url: string; keyPrefix: string };
  /** BullMQ on Redis, or BullMQ's PostgreSQL backend in `queuePostgres.schema` of the same database. */
  queueBackend: QueueBackendKind;
  queuePostgres: {
    schema: string;
    /** Query pool of each BullMQ Queue/Worker connection; every Worker adds one LISTEN connection. */
    poolSize: number;
  };
  mail: {
    smtpUrl: string | undefined;
    from: string;
    /** Demo mode without SMTP_URL: `npm start` runs a mail catcher on these ports. */
    demoCatcher: { smtpPort: number; webPort: number };
  };
  auth: {
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    loginMaxAttempts: number;
    loginWindowSeconds: number;
  };
  /**
   * The audit chain's HMAC-SHA-256 key (docs/security.md "Audit key"): AUDIT_KEY with its
   * id AUDIT_KEY_ID, stored on each event; AUDIT_PREVIOUS_KEYS ("id:key,id:key") keeps
   * verifying events sealed before a rotation. The database never holds a key.
   */
  audit: { keyId: string; key: string; previousKeys: ReadonlyMap<string, string> };
  timezone: string;
  holidayDivision: HolidayDivision;
  /** GET /metrics: a Prometheus scraper sends `Authorization: Bearer <token>`; without a token only an admin's session may read it. */
  metrics: { token: string | null };
  /** pino level of the JSON logs (API and worker); `silent` by default under NODE_ENV=test. */
  logLevel: string;
  /** ATTACHMENTS_DIR, ATTACHMENT_MAX_BYTES, CLAMD_SOCKET or CLAMD_HOST/CLAMD_PORT (see attachments.ts). */
  attachments: AttachmentConfig;
  /** OIDC_*, SAML_*, LOCAL_LOGIN, SSO_* (see sso.ts). */
  sso: SsoConfig;
  /** SCREENING_IMPORT_DIR, SCREENING_SOURCE_HOSTS: where list sources may be read from (see screening-sources.ts). */
  screeningSources: ScreeningSourceConfig;
}

export type QueueBackendKind = 'redis' | 'postgres';
export type EmbeddedPostgresMode = 'auto' | 'force' | 'off';
export const EMBEDDED_POSTGRES_MODES: EmbeddedPostgresMode[] = ['auto', 'force', 'off'];

export class ConfigError extends Error {}

/**
 * EMBEDDED_POSTGRES, read on its own: the launcher needs it before the full config can be
 * built (it decides DATABASE_URL). loadConfig validates it again with everything else.
 */
export function embeddedPostgresMode(env: Env = process.env): EmbeddedPostgresMode {
  const raw = env.EMBEDDED_POSTGRES || 'auto';
  if (!(EMBEDDED_POSTGRES_MODES as string[]).includes(raw)) {
    throw new ConfigError(`Configuration is not valid:\n  - EMBEDDED_POSTGRES must be auto, force or off (got "${raw}").`);
  }
  if (env.NODE_ENV === 'production' && raw === 'force') {
    throw new ConfigError('Configuration is not valid:\n  - EMBEDDED_POSTGRES=force is for demo mode only; production needs a real DATABASE_URL.');
  }
  return raw as EmbeddedPostgresMode;
}

type Env = Record<string, string | undefined>;

const DIVISIONS: HolidayDivision[] = ['england-and-wales', 'scotland', 'northern-ireland'];

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'test', 'production'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be development, test or production (got "${nodeEnvRaw}").`);
  }
  const nodeEnv = nodeEnvRaw as NodeEnv;
  const production = nodeEnv === 'production';

  const required = (name: string, demoDefault: string): string => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (production) {
      problems.push(`${name} is required in production.`);
      return '';
    }
    return demoDefault;
  };
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return dflt;
    }
    return n;
  };
  const url = (name: string, value: string, protocols: string[]): string => {
    if (!value) return value;
    try {
      const u = new URL(value);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} must start with ${protocols.map((p) => p + '//').join(' or ')} (got "${value}").`);
      }
    } catch {
      problems.push(`${name} is not a valid URL (got "${value}").`);
    }
    return value;
  };

  const databaseUrl = url('DATABASE_URL', required('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/trusted_research'), ['postgres:', 'postgresql:']);
  const queueBackend = (env.QUEUE_BACKEND || 'redis') as QueueBackendKind;
  if (!['redis', 'postgres'].includes(queueBackend)) {
    problems.push(`QUEUE_BACKEND must be redis or postgres (got "${queueBackend}").`);
  }
  // Redis is required only by the redis queue backend.
  const redisUrl = url('REDIS_URL', queueBackend === 'postgres' ? env.REDIS_URL || 'redis://127.0.0.1:6379' : required('REDIS_URL', 'redis://127.0.0.1:6379'), [
    'redis:',
    'rediss:',
  ]);
  const embeddedModeRaw = env.EMBEDDED_POSTGRES || 'auto';
  if (!(EMBEDDED_POSTGRES_MODES as string[]).includes(embeddedModeRaw)) {
    problems.push(`EMBEDDED_POSTGRES must be auto, force or off (got "${embeddedModeRaw}").`);
  } else if (production && embeddedModeRaw === 'force') {
    problems.push('EMBEDDED_POSTGRES=force is for demo mode only; production needs a real DATABASE_URL.');
  }
  const databaseEmbedded = env.DATABASE_EMBEDDED === 'true';
  if (production && databaseEmbedded) problems.push('DATABASE_EMBEDDED is for demo mode only: the embedded PostgreSQL never runs in production.');
  const queueSchema = env.QUEUE_PG_SCHEMA || 'bullmq';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(queueSchema)) {
    problems.push(`QUEUE_PG_SCHEMA must be a lower-case SQL identifier such as bullmq (got "${queueSchema}").`);
  }
  const smtpUrl = env.SMTP_URL ? url('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:']) : undefined;
  if (production && !smtpUrl) problems.push('SMTP_URL is required in production.');
  const publicUrl = url('PUBLIC_URL', required('PUBLIC_URL', `http://localhost:${env.PORT ?? '3000'}`), ['http:', 'https:']);

  let jwtSecret = env.JWT_SECRET ?? '';
  if (!jwtSecret) {
    if (production) problems.push('JWT_SECRET is required in production.');
    // A fresh random secret per demo boot: tokens simply expire on restart.
    else jwtSecret = randomBytes(32).toString('hex');
  } else if (production && jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters in production.');
  }

  // A fixed, public key in demo and tests: chains stay verifiable across restarts; production must bring its own.
  const auditKey = required('AUDIT_KEY', 'demo-audit-key-public-never-use-in-production');
  if (production && auditKey && auditKey.length < 32) problems.push('AUDIT_KEY must be at least 32 characters in production.');
  const auditKeyId = env.AUDIT_KEY_ID || (production ? 'k1' : 'demo');
  const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;
  if (!KEY_ID.test(auditKeyId) || auditKeyId === 'sha256')
    problems.push(`AUDIT_KEY_ID must be 1-32 letters, digits, dots, dashes or underscores, and not "sha256" (got "${auditKeyId}").`);
  const previousKeys = new Map<string, string>();
  for (const part of (env.AUDIT_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const i = part.indexOf(':');
    const id = i > 0 ? part.slice(0, i) : '';
    if (!KEY_ID.test(id) || i === part.length - 1) problems.push('AUDIT_PREVIOUS_KEYS must be a comma-separated list of id:key pairs.');
    else previousKeys.set(id, part.slice(i + 1));
  }

  const holidayDivision = (env.HOLIDAY_DIVISION ?? 'england-and-wales') as HolidayDivision;
  if (!DIVISIONS.includes(holidayDivision)) {
    problems.push(`HOLIDAY_DIVISION must be one of ${DIVISIONS.join(', ')} (got "${holidayDivision}").`);
  }
  const timezone = env.TIMEZONE ?? 'Europe/London';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone });
  } catch {
    problems.push(`TIMEZONE must be an IANA time zone such as Europe/London (got "${timezone}").`);
  }
  const mailFrom = required('MAIL_FROM', 'Trusted Research <trusted-research@example.ac.uk>');

  const config: AppConfig = {
    nodeEnv,
    demo: !production,
    port: int('PORT', 3000, 0, 65535),
    publicUrl: publicUrl.replace(/\/$/, ''),
    database: {
      url: databaseUrl,
      appUser: env.DATABASE_APP_USER ?? 'tr_app',
      appPassword: env.DATABASE_APP_PASSWORD || undefined,
      poolSize: int('DATABASE_POOL_SIZE', 10, 1, 200),
      embedded: databaseEmbedded,
    },
    embeddedPostgres: {
      mode: embeddedModeRaw as EmbeddedPostgresMode,
      port: int('EMBEDDED_POSTGRES_PORT', 54329, 1, 65535),
      dataDir: env.EMBEDDED_POSTGRES_DIR || '.data/postgres',
    },
    redis: { url: redisUrl, keyPrefix: env.REDIS_PREFIX ?? 'tr' },
    queueBackend,
    queuePostgres: { schema: queueSchema, poolSize: int('QUEUE_PG_POOL_SIZE', 3, 1, 50) },
    mail: {
      smtpUrl,
      from: mailFrom,
      demoCatcher: { smtpPort: int('DEMO_MAIL_SMTP_PORT', 1025, 1, 65535), webPort: int('DEMO_MAIL_WEB_PORT', 1080, 1, 65535) },
    },
    auth: {
      jwtSecret,
      accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
      refreshTokenTtlDays: int('REFRESH_TOKEN_TTL_DAYS', 14, 1, 90),
      loginMaxAttempts: int('LOGIN_MAX_ATTEMPTS', 10, 1, 1000),
      loginWindowSeconds: int('LOGIN_WINDOW_SECONDS', 900, 1, 86400),
    },
    audit: { keyId: auditKeyId, key: auditKey, previousKeys },
    timezone,
    holidayDivision,
    attachments: loadAttachmentConfig(env, problems),
    sso: loadSsoConfig(env, production, problems),
    screeningSources: loadScreeningSourceConfig(env, production, problems),
    metrics: { token: env.METRICS_TOKEN || null },
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel))
    problems.push(`LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent (got "${config.logLevel}").`);
  if (production && config.metrics.token && config.metrics.token.length < 24) problems.push('METRICS_TOKEN must be at least 24 characters in production.');
  if (problems.length) {
    throw new ConfigError(`Configuration is not valid:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

/** The connection string the API and worker use: the owner URL with the app role's credentials. */
export function appDatabaseUrl(config: AppConfig): string {
  const u = new URL(config.database.url);
  u.username = config.database.appUser;
  u.password = config.database.appPassword ?? '';
  return u.toString();
}
