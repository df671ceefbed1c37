import { createHash } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/domain';
import { CaseSort, Keyset } from '@app/persistence';

/** A cursor carries its sort and a digest of the filters it belongs to, so it cannot page a different list. */
export function filterDigest(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(sort: CaseSort, digest: string, k: Keyset): string {
  return Buffer.from(JSON.stringify({ s: sort, f: digest, k: k.key, i: k.id })).toString('base64url');
}

export function decodeCursor(cursor: string, sort: CaseSort, digest: string): Keyset {
  let parsed: { s?: unknown; f?: unknown; k?: unknown; i?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'cursor: is not a cursor this API issued; start again from the first page.');
  }
  if (typeof parsed.k !== 'string' || typeof parsed.i !== 'string' || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(parsed.k) || !/^[0-9a-f-]{36}$/i.test(parsed.i)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'cursor: is not a cursor this API issued; start again from the first page.');
  }
  if (parsed.s !== sort || parsed.f !== digest) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'cursor: belongs to a different sort or filter; start again from the first page.');
  }
  return { key: parsed.k, id: parsed.i };
}
