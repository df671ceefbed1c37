import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ScreeningSourceConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';

/**
 * The one rule for where a configured screening list source may be read from
 * (docs/screening.md "Where a source may point"; docs/security.md). A location is an
 * administrator's text, and the worker acts on it with the server's rights, so it is
 * confined: a file must resolve, symbolic links followed, inside SCREENING_IMPORT_DIR;
 * an address must be https on a publisher host of SCREENING_SOURCE_HOSTS (or an origin
 * written there in full). The API checks it when a source is created or changed, the
 * importer again before every read (a row written earlier or by SQL is refused too),
 * and every redirect of a download is checked the same way.
 */
export type CheckedLocation = { kind: 'file'; path: string } | { kind: 'url'; url: URL };

function refused(message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, `location: ${message}`, { fields: [{ field: 'location', message }] });
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Inside `dir` (or `dir` itself is not enough: a file below it). */
function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function checkUrl(text: string, policy: ScreeningSourceConfig): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(`"${text}" is not a valid web address.`);
  }
  if (url.username || url.password) throw refused('a web address must not carry a user name or password.');
  const origin = url.origin.toLowerCase();
  const allowed = policy.allowedOrigins.includes(origin);
  if (url.protocol !== 'https:' && !allowed)
    throw refused(
      `${url.protocol.replace(':', '')} addresses are refused; lists are downloaded over https only (an operator may allow one exact origin in SCREENING_SOURCE_HOSTS).`,
    );
  if (!allowed)
    throw refused(
      `${url.host} is not a publisher lists may be downloaded from; the allowed hosts are ${
        policy.allowedOrigins.map((o) => o.replace(/^https:\/\//, '')).join(', ') || 'none'
      } (SCREENING_SOURCE_HOSTS).`,
    );
  return url;
}

/**
 * A file location: relative to the import folder or absolute; no `..`; when it exists
 * (always at import), its real path (symbolic links resolved) must lie in the folder's
 * real path and be a regular file.
 */
async function checkFile(text: string, policy: ScreeningSourceConfig, mustExist: boolean): Promise<string> {
  if (!policy.importDir) throw refused('files cannot be read: no import folder is configured (SCREENING_IMPORT_DIR); use an https address or upload the file.');
  if (text.includes('\0')) throw refused('a file path must not contain a NUL character.');
  if (text.split(/[\\/]/).includes('..')) throw refused(`"${text}" contains "..": give a path inside the import folder ${policy.importDir}.`);
  const path = resolve(policy.importDir, text);
  if (!inside(policy.importDir, path)) throw refused(`${text} is outside the import folder ${policy.importDir}; only files in it are read.`);
  let real: string;
  let realDir: string;
  try {
    realDir = await realpath(policy.importDir);
    real = await realpath(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw refused(`${text} cannot be read (${(e as NodeJS.ErrnoException).code}).`);
    if (mustExist) throw refused(`there is no file ${text} in the import folder ${policy.importDir}.`);
    return path;
  }
  if (!inside(realDir, real))
    throw refused(`${text} leads outside the import folder ${policy.importDir} (through a symbolic link); only files in it are read.`);
  if (!(await stat(real)).isFile()) throw refused(`${text} is not a file.`);
  return real;
}

/**
 * Checks a source location against the policy; throws a 400 DomainError whose message
 * names the field `location` and says why. `mustExist: false` (configuring a source)
 * lets a file that is not there yet pass its path checks; the import checks it again.
 */
export async function checkSourceLocation(location: string, policy: ScreeningSourceConfig, opts: { mustExist: boolean }): Promise<CheckedLocation> {
  const text = location.trim();
  if (!text) throw refused('must not be blank.');
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\lists\...), which is a path.
  if (scheme && scheme.length > 1) {
    if (scheme !== 'https' && scheme !== 'http') throw refused(`${scheme}: locations are refused; give a file in the import folder or an https address.`);
    return { kind: 'url', url: checkUrl(text, policy) };
  }
  return { kind: 'file', path: await checkFile(text, policy, opts.mustExist) };
}

const MAX_REDIRECTS = 5;

/** Reads a checked location: the file, or the download with every redirect checked by the same rule. */
export async function readSourceLocation(location: string, policy: ScreeningSourceConfig): Promise<{ bytes: Buffer; checked: CheckedLocation }> {
  const checked = await checkSourceLocation(location, policy, { mustExist: true });
  if (checked.kind === 'file') return { bytes: await readFile(checked.path), checked };
  let url = checked.url;
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(120_000) });
    } catch (e) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `Downloading ${url.href} failed: ${(e as Error).message}.`);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      if (hop >= MAX_REDIRECTS) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `Downloading ${location} failed: more than ${MAX_REDIRECTS} redirects.`);
      const next = new URL(res.headers.get('location')!, url).href;
      try {
        url = checkUrl(next, policy);
      } catch (e) {
        throw refused(`${location} redirects to ${next}, which is refused: ${(e as DomainError).message.replace(/^location: /, '')}`);
      }
      continue;
    }
    if (!res.ok) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `Downloading ${url.href} failed: HTTP ${res.status}.`);
    return { bytes: Buffer.from(await res.arrayBuffer()), checked: { kind: 'url', url } };
  }
}

/**
 * OFAC's legacy CSV comes as three files: alt.csv and add.csv sit beside sdn.csv under
 * the same name with "sdn" replaced ("ofac-sdn-2019-01.csv" → "ofac-alt-2019-01.csv").
 * Each companion passes the same rule (a companion that is a link out of the folder is skipped).
 */
export async function ofacCompanionFiles(sdnPath: string, policy: ScreeningSourceConfig | null): Promise<{ alt?: Buffer; add?: Buffer }> {
  const name = basename(sdnPath);
  const i = name.toLowerCase().lastIndexOf('sdn');
  if (i < 0) return {};
  const sibling = async (what: string): Promise<Buffer | undefined> => {
    const path = join(dirname(sdnPath), name.slice(0, i) + what + name.slice(i + 3));
    try {
      const real = policy ? await checkSourceLocation(path, policy, { mustExist: true }) : { kind: 'file' as const, path };
      return real.kind === 'file' ? await readFile(real.path) : undefined;
    } catch {
      return undefined;
    }
  };
  return { alt: await sibling('alt'), add: await sibling('add') };
}
