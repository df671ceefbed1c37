import { resolve } from 'node:path';

/**
 * Where a configured screening list source may be read from (docs/screening.md
 * "Where a source may point"). The rule that applies it is libs/screening
 * source-location.ts; this is only the configuration.
 */
export interface ScreeningSourceConfig {
  /**
   * SCREENING_IMPORT_DIR, absolute: a source's file location must resolve inside it.
   * Demo default: the repository's fixtures/screening; production: none (file
   * locations are refused until it is set).
   */
  importDir: string | null;
  /**
   * SCREENING_SOURCE_HOSTS as origins: a bare host name means https on port 443
   * (`https://data.trade.gov`); an entry written as an origin is taken as it is, so
   * `http://127.0.0.1:8080` allows exactly that plain-http origin.
   */
  allowedOrigins: string[];
}

/**
 * The publishers of the formats the importer reads (libs/screening formats.ts), by the
 * hosts their files are downloaded from: FCDO UK Sanctions List and OFSI, UN Security
 * Council, OFAC (SDN CSV and advanced XML), the EU Financial Sanctions Files, and
 * trade.gov's Consolidated Screening List.
 */
export const DEFAULT_SCREENING_SOURCE_HOSTS = [
  'docs.fcdo.gov.uk',
  'assets.publishing.service.gov.uk',
  'ofsistorage.blob.core.windows.net',
  'scsanctions.un.org',
  'sanctionslistservice.ofac.treas.gov',
  'www.treasury.gov',
  'webgate.ec.europa.eu',
  'data.trade.gov',
  'api.trade.gov',
] as const;

type Env = Record<string, string | undefined>;

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** One SCREENING_SOURCE_HOSTS entry as an origin, or null when it is neither a host name nor an http(s) origin. */
export function sourceOrigin(entry: string): string | null {
  const e = entry.trim().toLowerCase();
  if (HOST.test(e)) return `https://${e}`;
  try {
    const u = new URL(e);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash)
      return null;
    return u.origin;
  } catch {
    return null;
  }
}

export function loadScreeningSourceConfig(env: Env, production: boolean, problems: string[]): ScreeningSourceConfig {
  const dir = env.SCREENING_IMPORT_DIR;
  const importDir = dir ? resolve(dir) : production ? null : resolve('fixtures/screening');
  const raw = env.SCREENING_SOURCE_HOSTS;
  const entries = raw === undefined ? [...DEFAULT_SCREENING_SOURCE_HOSTS] : raw.split(',').filter((s) => s.trim());
  const allowedOrigins: string[] = [];
  for (const entry of entries) {
    const origin = sourceOrigin(entry);
    if (origin) allowedOrigins.push(origin);
    else problems.push(`SCREENING_SOURCE_HOSTS: "${entry.trim()}" is neither a host name nor an origin such as https://data.trade.gov.`);
  }
  return { importDir, allowedOrigins };
}
