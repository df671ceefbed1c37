import { DomainError, ErrorCode } from '@app/domain';

/**
 * PostgreSQL's refusals of a value a client sent (SQLSTATE class 22, "data exception":
 * 22P02 invalid text representation, 22P05 untranslatable character, 22008 datetime
 * out of range, 22021 bad byte sequence, 22003 numeric out of range, 22007 invalid
 * datetime format, 22001 string too long...) become 400, never 500. The edge
 * (input-guard.ts, the DTOs) should have refused such a value already: this is the net
 * under it, so a missed check costs a plain 400 and not a server error. The database's
 * own message quotes the value, so it is not passed on; the column is named when
 * PostgreSQL says which.
 */
const WHAT: Record<string, string> = {
  '22001': 'is longer than the field allows',
  '22003': 'is a number out of the range the field allows',
  '22007': 'is not a date or time in the form the field needs (YYYY-MM-DD, ISO 8601)',
  '22008': 'is a date or time that does not exist or is out of range',
  '22021': 'contains bytes that are not valid text',
  '22P02': 'is not in the form the field needs (for example an id that is not a UUID, or a word where a number belongs)',
  '22P05': 'contains a character the database cannot store',
  '2201B': 'is not a valid pattern',
  '22019': 'contains an invalid escape character',
  '22025': 'contains an invalid escape sequence',
  '22023': 'is not a value the field accepts',
  '2202E': 'names an array element that does not exist',
};

function pgCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A DomainError (400) for a PostgreSQL input error, or null when the error is something else. */
export function pgInputError(err: unknown): DomainError | null {
  const code = pgCode(err);
  if (!code || !(code.startsWith('22') || code === '23502')) return null;
  const e = err as { column?: unknown; driverError?: { column?: unknown } };
  const column = e.driverError?.column ?? e.column;
  const field = typeof column === 'string' && /^[a-z_]{1,63}$/.test(column) ? column : 'A value in the request';
  // 23502: a null reached a column that needs a value (the DTO let an optional field be null).
  if (code === '23502')
    return new DomainError(ErrorCode.VALIDATION_FAILED, `${field} needs a value, not null; leave the field out or send a value.`, { sqlstate: code });
  return new DomainError(ErrorCode.VALIDATION_FAILED, `${field} ${WHAT[code] ?? 'is not a value the field accepts'}; correct it and send the request again.`, {
    sqlstate: code,
  });
}
