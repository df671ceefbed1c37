import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateBy } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/domain';

/**
 * The edge every request crosses before a controller sees it (docs/security.md "Bad
 * input"): bodies are refused before parsing when nested deeper than any API schema
 * needs, and every string a client sends (body values and keys, query, path) must be
 * well-formed text without NUL, which PostgreSQL cannot store. The answers are one
 * sentence naming the field; nothing of the parser's own text, which echoes the body.
 */
export const MAX_JSON_DEPTH = 32;
export const MAX_BODY = '1mb';

export class BodyTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep; send a flatter JSON document.`);
  }
}

/**
 * body-parser's `verify` hook: it sees the raw bytes before JSON.parse. A single pass
 * counting brackets outside strings; throwing here makes body-parser answer 400 with
 * this error, so a 10,000-deep body never reaches the parser or the validation pipe.
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new BodyTooDeepError();
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** NUL and unpaired UTF-16 surrogates: text PostgreSQL refuses (22021, 22P05) and no person types. */
export function isBadText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

/** A field path a person can read, without echoing raw control characters. */
export function fieldName(path: string): string {
  const clean = path.replace(/[\u0000-\u001f\u007f]|[\ud800-\udfff]/g, '?');
  return clean.length > 80 ? clean.slice(0, 77) + '...' : clean;
}

/** The first string (value or key) that is not plain text, as a dotted path; null when all are. */
export function findBadText(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return isBadText(value) ? path : null;
  if (value === null || typeof value !== 'object' || depth > MAX_JSON_DEPTH + 2) return null;
  for (const [k, v] of Object.entries(value)) {
    const p = path ? (Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`) : k;
    if (isBadText(k)) return p;
    const found = findBadText(v, p, depth + 1);
    if (found) return found;
  }
  return null;
}

function badText(field: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, `${fieldName(field)} contains a NUL character or a broken Unicode character; send plain text.`, {
    field: fieldName(field),
  });
}

/** After the body parser: body, query and path must be plain text. */
export function plainTextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(new DomainError(ErrorCode.VALIDATION_FAILED, 'The address contains a broken percent-encoded character; send a valid URL.'));
  }
  if (isBadText(path)) return next(badText('The address'));
  const inQuery = findBadText(req.query, '');
  if (inQuery) return next(badText(inQuery));
  const inBody = findBadText(req.body, '');
  if (inBody) return next(badText(inBody));
  next();
}

/** Constraints that say what kind of value is wanted: reported before length or range, which would give the wrong reason. */
const TYPE_CONSTRAINTS = [
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isEmail',
  'isUuid',
  'isUUID',
  'isEnum',
  'isIn',
  'isDateString',
  'isISO8601',
  'matches',
  'whitelistValidation',
];

function firstProblem(e: ValidationError, prefix: string): string[] {
  const field = fieldName(prefix ? `${prefix}.${e.property}` : e.property);
  const c = e.constraints ?? {};
  if (c.whitelistValidation) return [`${field} is not a field this request accepts.`];
  const out: string[] = [];
  if (Object.keys(c).length) {
    if (e.value === undefined) out.push(`${field} is required.`);
    else {
      const key = TYPE_CONSTRAINTS.find((k) => k in c) ?? Object.keys(c)[0];
      let msg = c[key];
      // class-validator's own wording for a few defaults, said plainly.
      msg = msg
        .replace(/^(\S+) must be shorter than or equal to (\d+) characters$/, '$1 must be at most $2 characters long')
        .replace(/^(\S+) must be longer than or equal to (\d+) characters$/, '$1 must be at least $2 characters long')
        .replace(/^(\S+) must not be greater than (\d+)$/, '$1 must be at most $2')
        .replace(/^(\S+) must not be less than (\d+)$/, '$1 must be at least $2')
        .replace(/^(\S+) must be a UUID$/, '$1 must be an id (a UUID)')
        .replace(/^each value in (\S+) must be/, 'each of $1 must be');
      // Name the full path of a nested field.
      if (prefix && msg.startsWith(e.property + ' ')) msg = field + msg.slice(e.property.length);
      out.push(msg.endsWith('.') ? msg : msg + '.');
    }
  }
  for (const child of e.children ?? []) out.push(...firstProblem(child, prefix ? `${prefix}.${e.property}` : e.property));
  return out;
}

/** The validation pipe every controller uses, reporting one sentence per field. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(errors.flatMap((e) => firstProblem(e, ''))),
  });
}

/** True for a YYYY-MM-DD that names a day of the calendar (not 2031-02-30). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * class-validator: a YYYY-MM-DD string that names a real day. The message says which
 * rule failed: the written form ("startsOn must be a date written YYYY-MM-DD") or the
 * calendar ("startsOn: 2027-02-30 is not a real calendar date").
 */
export const IsCalendarDate = (field: string) =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && isCalendarDate(v),
      defaultMessage: (args) => {
        const v: unknown = args?.value;
        return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
          ? `${field}: ${v} is not a real calendar date; give a day that exists, written YYYY-MM-DD`
          : `${field} must be a date written YYYY-MM-DD`;
      },
    },
  });
