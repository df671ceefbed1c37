/**
 * Draws an action's form from the JSON Schema the API serves with it
 * (GET /api/cases/{id}/actions), validates what it can before sending, and shows the
 * API's own sentence when the server refuses. Values survive every failed attempt.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import type { JsonSchema } from '@app/domain/action-schemas';
import { humanise } from '../labels';
import { check, emptyOf, isLongText, OTHER, toBody, type Value, type Values } from './schema-values';
import { Checkboxes, ErrorSummary, Radios, Select, Textarea, TextInput, type FieldError } from './govuk';

export type Option = { value: string; label: string };

export interface SchemaFormProps {
  id: string;
  schema: JsonSchema;
  submitLabel: string;
  /** Choices for fields the schema can only call a uuid or an index (officers, flags, conditions). */
  choices?: Record<string, Option[]>;
  /** Labels for enum values (e.g. risk levels, rejection categories). */
  enumLabels?: Record<string, Record<string, string>>;
  hidden?: string[];
  warning?: boolean;
  onSubmit(body: Record<string, unknown>): Promise<void>;
}

export function SchemaForm({ id, schema, submitLabel, choices = {}, enumLabels = {}, hidden = ['expectedVersion'], warning, onSubmit }: SchemaFormProps) {
  const [values, setValues] = useState<Values>({});
  const [others, setOthers] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const effective: Values = { ...values };
    for (const [k, v] of Object.entries(values)) if (v === OTHER) effective[k] = others[k] ?? '';
    const errs: Record<string, string> = {};
    const sum: FieldError[] = [];
    check(schema, effective, id, '', errs, sum);
    setErrors(errs);
    setSummary(sum);
    if (sum.length) return;
    setBusy(true);
    try {
      await onSubmit(toBody(schema, effective));
    } catch (err) {
      // The API's message is a sentence naming the field; "field: why" also marks the field.
      const message = errorMessage(err);
      const named = /^([A-Za-z]+)(?:\[\d+\])?[:.]?\s/.exec(message)?.[1];
      const field = named && schema.properties?.[named] ? named : undefined;
      setErrors(field ? { [field]: message } : {});
      setSummary([{ href: field ? `${id}-${field}` : '', message }]);
      if (err instanceof ApiError && err.fields.length) setSummary([{ href: '', message }, ...err.fields.map((f) => ({ href: '', message: f.message }))]);
    } finally {
      setBusy(false);
    }
  };

  const field = (name: string, s: JsonSchema, value: Value, set: (v: Value) => void, prefix: string, path: string) => {
    const fid = `${prefix}-${name}`;
    const label = s.title ?? humanise(name);
    const optional = !(schema.required?.includes(name) ?? false) && prefix === id ? ' (optional)' : '';
    const common = { id: fid, label: label + optional, hint: s.description, error: errors[`${path}${name}`] };
    const str = typeof value === 'string' ? value : '';
    if (s.type === 'boolean') {
      return <Radios key={name} {...common} inline value={str} onChange={set} options={[{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }]} />;
    }
    if (s.enum) {
      const opts = s.enum.map((v) => ({ value: v, label: enumLabels[name]?.[v] ?? humanise(v) }));
      return opts.length <= 6
        ? <Radios key={name} {...common} value={str} onChange={set} options={opts} />
        : <Select key={name} {...common} value={str} onChange={set} options={opts} />;
    }
    if (choices[name]) {
      const allowOther = s.format === 'uuid' && name !== 'flagId';
      return (
        <div key={name}>
          <Select {...common} value={str} onChange={set} options={[...choices[name], ...(allowOther ? [{ value: OTHER, label: 'Someone else (enter their user ID)' }] : [])]} />
          {str === OTHER && (
            <TextInput id={`${fid}-other`} label={`${label}: user ID`} value={others[name] ?? ''} onChange={(v) => setOthers({ ...others, [name]: v })} width="30" />
          )}
        </div>
      );
    }
    if (s.type === 'array' && s.items?.type === 'object') {
      const rows = Array.isArray(value) ? (value as Values[]) : [];
      const itemTitle = s.items.title ?? 'Item';
      return (
        <fieldset className="govuk-fieldset govuk-!-margin-bottom-6" key={name} aria-describedby={s.description ? `${fid}-hint` : undefined}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{label}{optional}</legend>
          {s.description && <div className="govuk-hint" id={`${fid}-hint`}>{s.description}</div>}
          {rows.map((row, i) => (
            <div className="tr-repeat" key={i}>
              <h3 className="govuk-heading-s">{itemTitle} {i + 1}</h3>
              {Object.entries(s.items!.properties ?? {}).map(([sub, ss]) =>
                field(sub, ss, row[sub], (v) => set(rows.map((r, j) => (j === i ? { ...r, [sub]: v } : r))), `${fid}-${i}`, `${path}${name}.${i}.`),
              )}
              <button type="button" className="govuk-button govuk-button--secondary" onClick={() => set(rows.filter((_, j) => j !== i))}>
                Remove<span className="govuk-visually-hidden"> {itemTitle.toLowerCase()} {i + 1}</span>
              </button>
            </div>
          ))}
          {(s.maxItems === undefined || rows.length < s.maxItems) && (
            <button type="button" className="govuk-button govuk-button--secondary" onClick={() => set([...rows, {}])}>
              Add {rows.length ? 'another ' : 'a '}{itemTitle.toLowerCase()}
            </button>
          )}
        </fieldset>
      );
    }
    if (s.type === 'array' && s.items?.enum) {
      const vals = Array.isArray(value) ? (value as string[]) : [];
      return <Checkboxes key={name} {...common} values={vals} onChange={set} options={s.items.enum.map((v) => ({ value: v, label: humanise(v) }))} />;
    }
    if (s.type === 'object') return null; // free-form objects (e.g. respond's changed answers) have their own pages
    if (s.format === 'date') return <TextInput key={name} {...common} type="date" width="10" value={str} onChange={set} />;
    if (s.type === 'integer' || s.type === 'number') return <TextInput key={name} {...common} inputMode="numeric" width="4" value={str} onChange={set} />;
    if (s.format !== 'uuid' && isLongText(name, s)) return <Textarea key={name} {...common} value={str} onChange={set} rows={name === 'decisionText' || name === 'assessment' ? 6 : 3} />;
    return <TextInput key={name} {...common} value={str} onChange={set} width={s.format === 'uuid' ? '30' : undefined} />;
  };

  const props = Object.entries(schema.properties ?? {}).filter(([n]) => !hidden.includes(n));
  return (
    <form id={id} onSubmit={submit} noValidate>
      <ErrorSummary errors={summary} />
      {props.map(([name, s]) => field(name, s, values[name] ?? emptyOf(s), (v) => setValues((prev) => ({ ...prev, [name]: v })), id, ''))}
      <button type="submit" className={`govuk-button${warning ? ' govuk-button--warning' : ''}`} disabled={busy} aria-disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
