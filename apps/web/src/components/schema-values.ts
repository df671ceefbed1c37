/** The pure half of SchemaForm: form values to a request body, and the checks made before sending. */
import type { JsonSchema } from '@app/domain/action-schemas';
import { humanise } from '../labels';
import type { FieldError } from './govuk';

export type Value = string | boolean | Value[] | { [k: string]: Value } | undefined;
export type Values = Record<string, Value>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const OTHER = '__other__';

/**
 * Conditional keywords of JSON Schema the form understands: `if`/`then` (alone or under
 * `allOf`; the action schemas declare them, e.g. complete_export_review's licence) and
 * `dependentRequired`.
 */
export type ConditionalSchema = JsonSchema & {
  readonly allOf?: readonly ConditionalSchema[];
  readonly dependentRequired?: Readonly<Record<string, readonly string[]>>;
};

export const isLongText = (name: string, s: JsonSchema) =>
  (s.maxLength ?? 0) > 4000 || /comment|reason|note|text|question|message|assessment|description|conditions/i.test(name);

export function emptyOf(s: JsonSchema): Value {
  if (s.type === 'array') return [];
  if (s.type === 'object') return {};
  return '';
}

const blankValue = (v: Value) =>
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(blankValue));

function matches(cond: JsonSchema, values: Values): boolean {
  for (const name of cond.required ?? []) if (blankValue(values[name])) return false;
  for (const [name, s] of Object.entries(cond.properties ?? {})) {
    const v = values[name];
    const typed = s.type === 'boolean' ? v === 'true' || v === true : v;
    if ('const' in s && typed !== s.const) return false;
    if (s.enum && !s.enum.includes(String(typed))) return false;
  }
  return true;
}

/** Two schemas of one value as one: properties merged field by field, required lists joined. */
function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: Record<string, unknown> = { ...b, ...a };
  if (a.properties || b.properties) {
    const properties: Record<string, JsonSchema> = { ...a.properties };
    for (const [k, s] of Object.entries(b.properties ?? {})) properties[k] = properties[k] ? merge(properties[k], s) : s;
    out.properties = properties;
  }
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  return out as JsonSchema;
}

/**
 * The schema as the current values make it: the `then` of every condition that holds
 * merged in, so a condition on one field reaches the fields of a nested object (with
 * outcome licence_granted, the licence's reference, dates, type and conditions are
 * required inside the licence fieldset).
 */
export function applied(schema: ConditionalSchema, values: Values): ConditionalSchema {
  return [schema, ...(schema.allOf ?? [])].filter((r) => r.if && r.then && matches(r.if, values)).reduce<JsonSchema>((s, r) => merge(s, r.then!), schema);
}

/**
 * Which fields the current values make required, and which are hidden because the
 * condition that asks for them does not hold (GOV.UK conditional reveal).
 */
export function conditions(schema: ConditionalSchema, values: Values): { required: Set<string>; hidden: Set<string> } {
  const required = new Set(schema.required ?? []);
  const hidden = new Set<string>();
  const rules = [schema, ...(schema.allOf ?? [])].filter((r) => r.if && r.then);
  const shown = new Set<string>();
  for (const r of rules) {
    const names = [...(r.then!.required ?? []), ...Object.keys(r.then!.properties ?? {})];
    if (matches(r.if!, values)) {
      for (const n of r.then!.required ?? []) required.add(n);
      names.forEach((n) => shown.add(n));
    } else names.forEach((n) => hidden.add(n));
  }
  for (const [on, deps] of Object.entries(schema.dependentRequired ?? {})) {
    if (blankValue(values[on])) deps.forEach((n) => hidden.add(n));
    else
      deps.forEach((n) => {
        required.add(n);
        shown.add(n);
      });
  }
  shown.forEach((n) => hidden.delete(n));
  return { required, hidden };
}

/** Form values → request body: typed, with blanks and hidden conditional fields left out. */
export function toBody(schema: JsonSchema, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { hidden } = conditions(schema, values);
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    if (hidden.has(name)) continue;
    const v = values[name];
    if (s.type === 'array' && Array.isArray(v)) {
      if (s.items?.type === 'object') {
        const items = v.map((item) => toBody(s.items ?? {}, (item ?? {}) as Values)).filter((o) => Object.keys(o).length > 0);
        if (items.length) out[name] = items;
      } else if (v.length) out[name] = v;
    } else if (s.type === 'object' && s.properties && v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = toBody(s, v as Values);
      if (Object.keys(inner).length) out[name] = inner;
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

const isRealIsoDate = (v: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};

/** "a"/"an" before a word, as people write it (vowel sound by first letter; "an SLA", "a user"). */
export function article(word: string): string {
  return /^(?:[aeio]|u(?![sn]i|ser)|hour|SLA|RSDO|OGEL|ECJU|FIRS|NSI)/i.test(word.trim()) ? 'an' : 'a';
}

export function check(
  schema: JsonSchema,
  values: Values,
  prefix: string,
  path: string,
  errors: Record<string, string>,
  summary: FieldError[],
  labelPrefix = '',
): void {
  schema = applied(schema, values);
  const { required, hidden } = conditions(schema, values);
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    if (hidden.has(name)) continue;
    const id = `${prefix}-${name}`;
    const v = values[name];
    const title = s.title ?? humanise(name);
    const lower = title.charAt(0) + title.slice(1).toLowerCase() === title ? title.toLowerCase() : title;
    const fail = (message: string) => {
      errors[`${path}${name}`] = message;
      summary.push({ href: id, message: labelPrefix ? `${labelPrefix}: ${message.charAt(0).toLowerCase()}${message.slice(1)}` : message });
    };
    const blank = blankValue(v);
    if (blank) {
      if (required.has(name))
        fail(s.enum || s.type === 'boolean' || s.format === 'uuid' ? `Choose the ${lower}` : s.format === 'date' ? `Enter the ${lower}` : `Enter the ${lower}`);
      continue;
    }
    if (s.type === 'array' && Array.isArray(v)) {
      const itemTitle = s.items?.title ?? 'Item';
      v.forEach((item, i) => check(s.items ?? {}, (item ?? {}) as Values, `${id}-${i}`, `${path}${name}.${i}.`, errors, summary, `${itemTitle} ${i + 1}`));
      continue;
    }
    if (s.type === 'object' && v && typeof v === 'object') {
      check(s, v as Values, id, `${path}${name}.`, errors, summary, s.title ?? humanise(name));
      continue;
    }
    if (typeof v !== 'string') continue;
    if (s.format === 'uuid' && v !== OTHER && !UUID.test(v.trim())) fail(`The ${lower} must be a user ID such as 3f2c…-…, or choose from the list`);
    if (s.format === 'date' && !isRealIsoDate(v.trim())) fail(`The ${lower} must be a real date, for example 27 3 2027`);
    if (s.maxLength && v.length > s.maxLength) fail(`The ${lower} must be ${s.maxLength.toLocaleString('en-GB')} characters or fewer`);
    if ((s.type === 'integer' || s.type === 'number') && !/^-?\d+$/.test(v.trim())) fail(`The ${lower} must be a whole number`);
    if (s.pattern && s.format !== 'date' && !new RegExp(s.pattern).test(v.trim()))
      fail(s.description ? `The ${lower} is not in the right form. ${s.description}` : `The ${lower} is not in the right form`);
  }
}

/**
 * Server refusals, each next to its field: the API names fields as "licence.expiresOn" or
 * "items[0].destinationCountry" and starts its sentence with that key; the key is dropped
 * from what the person reads, since the message sits under the field's own label.
 */
export function serverErrors(
  fields: { field: string; message: string }[],
  schema: JsonSchema,
  prefix: string,
): { errors: Record<string, string>; summary: FieldError[]; unplaced: string[] } {
  const errors: Record<string, string> = {};
  const summary: FieldError[] = [];
  const unplaced: string[] = [];
  for (const f of fields) {
    const path = f.field.replace(/\[(\d+)\]/g, '.$1');
    const parts = path.split('.');
    let s: JsonSchema | undefined = schema;
    const labels: string[] = [];
    for (const p of parts) {
      if (!s) break;
      if (s.type === 'array') {
        if (/^\d+$/.test(p)) labels.push(`${s.items?.title ?? 'Item'} ${Number(p) + 1}`);
        s = /^\d+$/.test(p) ? s.items : undefined;
        continue;
      }
      s = s.properties?.[p];
      if (s) labels.push(s.title ?? humanise(p));
    }
    const last = labels[labels.length - 1] ?? 'This answer';
    const sentence = f.message.startsWith(`${f.field}:`)
      ? capitalise(f.message.slice(f.field.length + 1).trim())
      : f.message.startsWith(`${f.field} `)
        ? `${last} ${f.message.slice(f.field.length + 1)}`
        : f.message;
    if (!s || errors[path]) {
      if (!unplaced.includes(sentence)) unplaced.push(sentence);
      continue;
    }
    errors[path] = sentence;
    summary.push({ href: `${prefix}-${parts.join('-')}`, message: `${labels.join(', ')}: ${sentence}` });
  }
  return { errors, summary, unplaced };
}

const capitalise = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
