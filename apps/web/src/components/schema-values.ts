/** The pure half of SchemaForm: form values to a request body, and the checks made before sending. */
import type { JsonSchema } from '@app/domain/action-schemas';
import { humanise } from '../labels';
import type { FieldError } from './govuk';

export type Value = string | boolean | Value[] | { [k: string]: Value } | undefined;
export type Values = Record<string, Value>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const OTHER = '__other__';

export const isLongText = (name: string, s: JsonSchema) =>
  (s.maxLength ?? 0) > 4000 || /comment|reason|note|text|question|message|assessment|description/i.test(name);

export function emptyOf(s: JsonSchema): Value {
  if (s.type === 'array') return [];
  if (s.type === 'object') return {};
  return '';
}

/** Form values → request body: typed, with blanks left out. */
export function toBody(schema: JsonSchema, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const v = values[name];
    if (s.type === 'array' && Array.isArray(v)) {
      const items = v.map((item) => toBody(s.items ?? {}, (item ?? {}) as Values)).filter((o) => Object.keys(o).length > 0);
      if (items.length) out[name] = items;
    } else if (s.type === 'boolean') {
      if (v === 'true' || v === 'false') out[name] = v === 'true';
    } else if (s.type === 'integer' || s.type === 'number') {
      if (typeof v === 'string' && v.trim() !== '') out[name] = Number(v);
    } else if (typeof v === 'string' && v.trim() !== '') {
      out[name] = v.trim();
    }
  }
  return out;
}

export function check(schema: JsonSchema, values: Values, prefix: string, path: string, errors: Record<string, string>, summary: FieldError[]): void {
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const id = `${prefix}-${name}`;
    const v = values[name];
    const title = (s.title ?? humanise(name)).toLowerCase();
    const fail = (message: string) => {
      errors[`${path}${name}`] = message;
      summary.push({ href: id, message });
    };
    const blank = v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    if (blank) {
      if (schema.required?.includes(name)) fail(s.enum || s.type === 'boolean' || s.format === 'uuid' ? `Choose the ${title}` : `Enter the ${title}`);
      continue;
    }
    if (s.type === 'array' && Array.isArray(v)) {
      v.forEach((item, i) => check(s.items ?? {}, (item ?? {}) as Values, `${id}-${i}`, `${path}${name}.${i}.`, errors, summary));
      continue;
    }
    if (typeof v !== 'string') continue;
    if (s.format === 'uuid' && v !== OTHER && !UUID.test(v.trim())) fail(`The ${title} must be a user ID such as 3f2c…-…, or choose from the list`);
    if (s.format === 'date' && !DATE.test(v.trim())) fail(`The ${title} must be a date written as YYYY-MM-DD`);
    if (s.maxLength && v.length > s.maxLength) fail(`The ${title} must be ${s.maxLength} characters or fewer`);
    if ((s.type === 'integer' || s.type === 'number') && !/^-?\d+$/.test(v.trim())) fail(`The ${title} must be a whole number`);
  }
}

