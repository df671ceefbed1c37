/**
 * Draws an action's form from the JSON Schema the API serves with it
 * (GET /api/cases/{id}/actions): nested objects (licence, end-use concern), repeated
 * rows (items, exemptions, conditions), enums with the domain's labels, GOV.UK date
 * inputs, conditional fields (if/then, dependentRequired), character counts on long
 * text. It validates what it can before sending, and shows each of the API's field
 * errors once, next to its field. Values survive every failed attempt.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client';
import type { JsonSchema } from '@app/domain/action-schemas';
import { humanise } from '../labels';
import { COUNTRY_OPTIONS } from '../countries';
import { applied, article, check, conditions, emptyOf, isLongText, OTHER, serverErrors, toBody, type Value, type Values } from './schema-values';
import { CharacterCount, Checkboxes, DateInput, ErrorSummary, Radios, Select, TextInput, type FieldError } from './govuk';

export type Option = { value: string; label: string };

export interface SchemaFormProps {
  id: string;
  schema: JsonSchema;
  submitLabel: string;
  /** Choices for fields the schema can only call a uuid or an index (officers, flags, conditions). */
  choices?: Record<string, Option[]>;
  /** Labels for enum values, by field name or dotted path (e.g. "endUseConcern.kind"). */
  enumLabels?: Record<string, Record<string, string>>;
  hidden?: string[];
  /** Values to start from (an edit form): strings as the fields hold them, booleans as 'true'/'false'. */
  initial?: Values;
  /** The form's accessible name, where a page has more than one form. */
  label?: string;
  /** Beside the submit button (e.g. Cancel). */
  secondary?: ReactNode;
  /** Before the fields: a part of the request the schema does not describe (a file input). */
  intro?: ReactNode;
  warning?: boolean;
  onSubmit(body: Record<string, unknown>): Promise<void>;
}

const asValues = (v: Value): Values => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Values) : {});

export function SchemaForm({
  id,
  schema,
  submitLabel,
  choices = {},
  enumLabels = {},
  hidden = ['expectedVersion'],
  initial = {},
  label,
  secondary,
  intro,
  warning,
  onSubmit,
}: SchemaFormProps) {
  const [values, setValues] = useState<Values>(initial);
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
      // Each field the API names is marked once, beside its field; the rest is said once, above.
      let fields = err instanceof ApiError ? err.fields : [];
      // A refusal without a field list may still start with the field it is about ("comment: explain why ...").
      const named = fields.length ? null : /^([A-Za-z]+(?:\.[A-Za-z]+)*):\s/.exec(errorMessage(err))?.[1];
      if (named && named.split('.').reduce<JsonSchema | undefined>((s, p) => s?.properties?.[p], schema))
        fields = [{ field: named, message: errorMessage(err) }];
      const placed = serverErrors(fields, schema, id);
      setErrors(placed.errors);
      const rest = fields.length ? placed.unplaced : [errorMessage(err)];
      setSummary([...rest.map((message) => ({ href: '', message })), ...placed.summary]);
    } finally {
      setBusy(false);
    }
  };

  const field = (
    name: string,
    s: JsonSchema,
    value: Value,
    set: (v: Value) => void,
    prefix: string,
    path: string,
    parent: JsonSchema,
    parentValues: Values,
  ): ReactNode => {
    const fid = `${prefix}-${name}`;
    const label = s.title ?? humanise(name);
    const { required } = conditions(parent, parentValues);
    const optional = required.has(name) ? '' : ' (optional)';
    const common = { id: fid, label: label + optional, hint: s.description, error: errors[`${path}${name}`] };
    const str = typeof value === 'string' ? value : '';
    const labels = enumLabels[`${path.replace(/\.\d+\./g, '.')}${name}`] ?? enumLabels[name];
    if (s.type === 'boolean') {
      return (
        <Radios
          key={name}
          {...common}
          inline
          value={str}
          onChange={set}
          options={[
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]}
        />
      );
    }
    if (s.enum) {
      const opts = s.enum.map((v) => ({ value: v, label: labels?.[v] ?? humanise(v) }));
      return opts.length <= 6 ? (
        <Radios key={name} {...common} value={str} onChange={set} options={opts} />
      ) : (
        <Select key={name} {...common} value={str} onChange={set} options={opts} />
      );
    }
    if (choices[name]) {
      const allowOther = s.format === 'uuid' && name !== 'flagId';
      return (
        <div key={name}>
          <Select
            {...common}
            value={str}
            onChange={set}
            options={[...choices[name], ...(allowOther ? [{ value: OTHER, label: 'Someone else (enter their user ID)' }] : [])]}
          />
          {str === OTHER && (
            <TextInput
              id={`${fid}-other`}
              label={`${label}: user ID`}
              value={others[name] ?? ''}
              onChange={(v) => setOthers({ ...others, [name]: v })}
              width="30"
            />
          )}
        </div>
      );
    }
    if (s.type === 'object' && s.properties) {
      // A nested object (licence, end-use concern) is a fieldset of its own fields.
      const inner = asValues(value);
      return (
        <fieldset className="govuk-fieldset govuk-!-margin-bottom-6 tr-repeat" key={name} id={fid} aria-describedby={s.description ? `${fid}-hint` : undefined}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
            {label}
            {optional}
          </legend>
          {s.description && (
            <div className="govuk-hint" id={`${fid}-hint`}>
              {s.description}
            </div>
          )}
          {fieldsOf(s, inner, (v) => set(v), fid, `${path}${name}.`)}
        </fieldset>
      );
    }
    if (s.type === 'array' && s.items?.type === 'object') {
      const rows = Array.isArray(value) ? (value as Values[]) : [];
      const itemTitle = s.items.title ?? 'Item';
      return (
        <fieldset className="govuk-fieldset govuk-!-margin-bottom-6" key={name} id={fid} aria-describedby={s.description ? `${fid}-hint` : undefined}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
            {label}
            {optional}
          </legend>
          {s.description && (
            <div className="govuk-hint" id={`${fid}-hint`}>
              {s.description}
            </div>
          )}
          {rows.map((row, i) => (
            <div className="tr-repeat" key={i}>
              <h3 className="govuk-heading-s">
                {itemTitle} {i + 1}
              </h3>
              {fieldsOf(s.items!, row, (v) => set(rows.map((r, j) => (j === i ? v : r))), `${fid}-${i}`, `${path}${name}.${i}.`)}
              <button type="button" className="govuk-button govuk-button--secondary" onClick={() => set(rows.filter((_, j) => j !== i))}>
                Remove
                <span className="govuk-visually-hidden">
                  {' '}
                  {itemTitle.toLowerCase()} {i + 1}
                </span>
              </button>
            </div>
          ))}
          {(s.maxItems === undefined || rows.length < s.maxItems) && (
            <button type="button" className="govuk-button govuk-button--secondary" onClick={() => set([...rows, {}])}>
              Add {rows.length ? 'another ' : `${article(itemTitle)} `}
              {itemTitle.toLowerCase()}
            </button>
          )}
        </fieldset>
      );
    }
    if (s.type === 'array' && s.items?.enum) {
      const vals = Array.isArray(value) ? (value as string[]) : [];
      return (
        <Checkboxes key={name} {...common} values={vals} onChange={set} options={s.items.enum.map((v) => ({ value: v, label: labels?.[v] ?? humanise(v) }))} />
      );
    }
    if (s.type === 'object') return null; // free-form objects (e.g. respond's changed answers) have their own pages
    if (s.format === 'date')
      return <DateInput key={name} {...common} hint={s.description ? `${s.description} For example, 27 3 2027.` : undefined} value={str} onChange={set} />;
    if (s.type === 'string' && s.pattern === '^[A-Z]{2}$')
      return <Select key={name} {...common} hint={undefined} value={str} onChange={set} options={COUNTRY_OPTIONS} />;
    if (s.type === 'integer' || s.type === 'number') return <TextInput key={name} {...common} inputMode="numeric" width="4" value={str} onChange={set} />;
    if (s.format !== 'uuid' && isLongText(name, s)) {
      const rows = name === 'decisionText' || name === 'assessment' ? 6 : 3;
      return <CharacterCount key={name} {...common} maxLength={s.maxLength ?? 4000} value={str} onChange={set} rows={rows} />;
    }
    return <TextInput key={name} {...common} value={str} onChange={set} width={s.format === 'uuid' ? '30' : undefined} />;
  };

  /** The fields of one object schema, minus those its conditions hide for now. */
  const fieldsOf = (raw: JsonSchema, v: Values, set: (v: Values) => void, prefix: string, path: string): ReactNode[] => {
    // The conditions that hold for these values apply, down into nested objects.
    const s = applied(raw, v);
    const { hidden: concealed } = conditions(s, v);
    return Object.entries(s.properties ?? {})
      .filter(([n]) => !(path === '' && hidden.includes(n)) && !concealed.has(n))
      .map(([n, ss]) => field(n, ss, v[n] ?? emptyOf(ss), (x) => set({ ...v, [n]: x }), prefix, path, s, v));
  };

  return (
    <form id={id} onSubmit={submit} noValidate aria-label={label}>
      <ErrorSummary errors={summary} />
      {intro}
      {fieldsOf(schema, values, (v) => setValues(v), id, '')}
      <div className="govuk-button-group">
        <button type="submit" className={`govuk-button${warning ? ' govuk-button--warning' : ''}`} disabled={busy} aria-disabled={busy}>
          {submitLabel}
        </button>
        {secondary}
      </div>
    </form>
  );
}
