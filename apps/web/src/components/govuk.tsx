/** GOV.UK Frontend patterns as small React components (markup from design-system.service.gov.uk). */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';

export interface FieldError {
  /** the id of the input to jump to */
  href: string;
  message: string;
}

/** Lists the problems at the top of the page and takes focus, as the GOV.UK pattern asks. */
export function ErrorSummary({ errors, title = 'There is a problem' }: { errors: FieldError[]; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length) ref.current?.focus();
  }, [errors]);
  if (!errors.length) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 className="govuk-error-summary__title" id="error-summary-title">
        {title}
      </h2>
      <div className="govuk-error-summary__body">
        <ul className="govuk-list govuk-error-summary__list">
          {errors.map((e, i) => (
            <li key={i}>
              {e.href ? (
                <a
                  href={`#${e.href}`}
                  onClick={(ev) => {
                    ev.preventDefault();
                    document.getElementById(e.href)?.focus();
                  }}
                >
                  {e.message}
                </a>
              ) : (
                e.message
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function SuccessBanner({ children, title = 'Success' }: { children: ReactNode; title?: string }) {
  return (
    <div className="govuk-notification-banner govuk-notification-banner--success" role="status" aria-labelledby="success-banner-title">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="success-banner-title">
          {title}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{children}</p>
      </div>
    </div>
  );
}

export function InfoBanner({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="govuk-notification-banner" role="region" aria-label={title}>
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title">{title}</h2>
      </div>
      <div className="govuk-notification-banner__content">{children}</div>
    </div>
  );
}

function FormGroup({ error, children }: { error?: string; children: ReactNode }) {
  return <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>{children}</div>;
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  return children ? (
    <div id={id} className="govuk-hint">
      {children}
    </div>
  ) : null;
}

function ErrorMessage({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  ) : null;
}

const describedBy = (id: string, hint?: ReactNode, error?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

interface BaseProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** the page's one question: the label is the page heading */
  isPageHeading?: boolean;
}

function Label({ id, label, isPageHeading }: { id: string; label: ReactNode; isPageHeading?: boolean }) {
  return isPageHeading ? (
    <h1 className="govuk-label-wrapper">
      <label className="govuk-label govuk-label--l" htmlFor={id}>
        {label}
      </label>
    </h1>
  ) : (
    <label className="govuk-label govuk-label--s" htmlFor={id}>
      {label}
    </label>
  );
}

export function TextInput(
  props: BaseProps & {
    value: string;
    onChange(v: string): void;
    type?: string;
    width?: string;
    autoComplete?: string;
    name?: string;
    inputMode?: 'text' | 'numeric';
  },
) {
  const { id, label, hint, error, value, onChange, type = 'text', width, autoComplete, isPageHeading, name, inputMode } = props;
  return (
    <FormGroup error={error}>
      <Label id={id} label={label} isPageHeading={isPageHeading} />
      <Hint id={`${id}-hint`}>{hint}</Hint>
      <ErrorMessage id={`${id}-error`} error={error} />
      <input
        className={`govuk-input${width ? ` govuk-input--width-${width}` : ''}${error ? ' govuk-input--error' : ''}`}
        id={id}
        name={name ?? id}
        type={type}
        value={value}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={false}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChange(e.target.value)}
      />
    </FormGroup>
  );
}

export function Textarea(props: BaseProps & { value: string; onChange(v: string): void; rows?: number }) {
  const { id, label, hint, error, value, onChange, rows = 5, isPageHeading } = props;
  return (
    <FormGroup error={error}>
      <Label id={id} label={label} isPageHeading={isPageHeading} />
      <Hint id={`${id}-hint`}>{hint}</Hint>
      <ErrorMessage id={`${id}-error`} error={error} />
      <textarea
        className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
        id={id}
        name={id}
        rows={rows}
        value={value}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChange(e.target.value)}
      />
    </FormGroup>
  );
}

export function Select(props: BaseProps & { value: string; onChange(v: string): void; options: { value: string; label: string }[]; placeholder?: string }) {
  const { id, label, hint, error, value, onChange, options, placeholder = 'Choose…' } = props;
  return (
    <FormGroup error={error}>
      <Label id={id} label={label} />
      <Hint id={`${id}-hint`}>{hint}</Hint>
      <ErrorMessage id={`${id}-error`} error={error} />
      <select
        className={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        name={id}
        value={value}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FormGroup>
  );
}

function Fieldset({ id, legend, hint, error, isPageHeading, children }: BaseProps & { legend?: ReactNode; children: ReactNode }) {
  return (
    <FormGroup error={error}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className={`govuk-fieldset__legend ${isPageHeading ? 'govuk-fieldset__legend--l' : 'govuk-fieldset__legend--s'}`}>
          {isPageHeading ? <h1 className="govuk-fieldset__heading">{legend}</h1> : legend}
        </legend>
        <Hint id={`${id}-hint`}>{hint}</Hint>
        <ErrorMessage id={`${id}-error`} error={error} />
        {children}
      </fieldset>
    </FormGroup>
  );
}

export function Radios(props: BaseProps & { value: string; onChange(v: string): void; options: { value: string; label: string }[]; inline?: boolean }) {
  const { id, label, value, onChange, options, inline } = props;
  return (
    <Fieldset {...props} legend={label}>
      <div className={`govuk-radios govuk-radios--small${inline ? ' govuk-radios--inline' : ''}`}>
        {options.map((o, i) => {
          const oid = i === 0 ? id : `${id}-${i + 1}`;
          return (
            <div className="govuk-radios__item" key={o.value}>
              <input
                className="govuk-radios__input"
                id={oid}
                name={id}
                type="radio"
                value={o.value}
                checked={value === o.value}
                onChange={() => onChange(o.value)}
              />
              <label className="govuk-label govuk-radios__label" htmlFor={oid}>
                {o.label}
              </label>
            </div>
          );
        })}
      </div>
    </Fieldset>
  );
}

/** `exclusive`: a "none of these" option that clears the others (GOV.UK's exclusive checkbox). */
export function Checkboxes(
  props: BaseProps & {
    values: string[];
    onChange(v: string[]): void;
    options: { value: string; label: string }[];
    exclusive?: { label: string; checked: boolean; onChange(v: boolean): void };
  },
) {
  const { id, label, values, onChange, options, exclusive } = props;
  return (
    <Fieldset {...props} legend={label}>
      <div className="govuk-checkboxes govuk-checkboxes--small">
        {options.map((o, i) => {
          const oid = i === 0 ? id : `${id}-${i + 1}`;
          return (
            <div className="govuk-checkboxes__item" key={o.value}>
              <input
                className="govuk-checkboxes__input"
                id={oid}
                name={id}
                type="checkbox"
                value={o.value}
                checked={values.includes(o.value)}
                onChange={(e) => onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))}
              />
              <label className="govuk-label govuk-checkboxes__label" htmlFor={oid}>
                {o.label}
              </label>
            </div>
          );
        })}
        {exclusive && (
          <>
            <div className="govuk-checkboxes__divider">or</div>
            <div className="govuk-checkboxes__item">
              <input
                className="govuk-checkboxes__input"
                id={`${id}-none`}
                name={id}
                type="checkbox"
                value="none"
                checked={exclusive.checked}
                onChange={(e) => exclusive.onChange(e.target.checked)}
              />
              <label className="govuk-label govuk-checkboxes__label" htmlFor={`${id}-none`}>
                {exclusive.label}
              </label>
            </div>
          </>
        )}
      </div>
    </Fieldset>
  );
}

export function WhyWeAsk({ children }: { children: ReactNode }) {
  return (
    <details className="govuk-details">
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">Why we ask</span>
      </summary>
      <div className="govuk-details__text">{children}</div>
    </details>
  );
}

export function SummaryList({ rows }: { rows: { key: ReactNode; value: ReactNode; action?: { to: string; label: string; hidden: string } }[] }) {
  return (
    <dl className="govuk-summary-list">
      {rows.map((r, i) => (
        <div className={`govuk-summary-list__row${r.action ? '' : ' govuk-summary-list__row--no-actions'}`} key={i}>
          <dt className="govuk-summary-list__key">{r.key}</dt>
          <dd className="govuk-summary-list__value">{r.value}</dd>
          {r.action && (
            <dd className="govuk-summary-list__actions">
              <Link className="govuk-link" to={r.action.to}>
                {r.action.label}
                <span className="govuk-visually-hidden"> {r.action.hidden}</span>
              </Link>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="govuk-body" role="status">
      {label}
    </p>
  );
}

/** Sets the document title and moves focus to the page heading on navigation. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Trusted Research`;
  }, [title]);
}

/**
 * The success sentence a page was sent with (navigate(..., { state: { success } })),
 * shown once: it is removed from the history entry so a reload does not repeat it.
 */
export function useFlash(): string | undefined {
  const location = useLocation();
  const [flash, setFlash] = useState(() => (location.state as { success?: string } | null)?.success);
  useEffect(() => {
    // A page that sends itself a sentence (a decision made in place) is not mounted again: take the new one.
    const next = (location.state as { success?: string } | null)?.success;
    if (next) setFlash(next);
    const h = window.history.state as { usr?: unknown } | null;
    if (h?.usr) window.history.replaceState({ ...h, usr: null }, '');
  }, [location.key]);
  return flash;
}

/** "2027-01-31" ⇄ day, month, year; a partial entry is kept as "yyyy-m-d" so nothing typed is lost. */
export function dateParts(value: string): { day: string; month: string; year: string } {
  const [year = '', month = '', day = ''] = value ? value.split('-') : [];
  return { day, month, year };
}
export function joinDate(p: { day: string; month: string; year: string }): string {
  if (!p.day && !p.month && !p.year) return '';
  const pad = (s: string) => (/^\d$/.test(s) ? `0${s}` : s);
  return `${p.year.trim()}-${pad(p.month.trim())}-${pad(p.day.trim())}`;
}
/** True when the value is a real calendar date written yyyy-mm-dd. */
export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** GOV.UK date input: day, month and year boxes in one fieldset; the value is "yyyy-mm-dd". */
export function DateInput(props: BaseProps & { value: string; onChange(v: string): void }) {
  const { id, label, value, onChange, error } = props;
  const p = dateParts(value);
  const box = (k: 'day' | 'month' | 'year', text: string, width: string) => (
    <div className="govuk-date-input__item" key={k}>
      <div className="govuk-form-group">
        <label className="govuk-label govuk-date-input__label" htmlFor={k === 'day' ? id : `${id}-${k}`}>
          {text}
        </label>
        <input
          className={`govuk-input govuk-date-input__input govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`}
          id={k === 'day' ? id : `${id}-${k}`}
          name={`${id}-${k}`}
          type="text"
          inputMode="numeric"
          value={p[k]}
          onChange={(e) => onChange(joinDate({ ...p, [k]: e.target.value }))}
        />
      </div>
    </div>
  );
  return (
    <Fieldset {...props} legend={label} hint={props.hint ?? 'For example, 27 3 2027'}>
      <div className="govuk-date-input" id={`${id}-date`}>
        {box('day', 'Day', '2')}
        {box('month', 'Month', '2')}
        {box('year', 'Year', '4')}
      </div>
    </Fieldset>
  );
}

/** GOV.UK character count: a textarea that says how many characters are left. */
export function CharacterCount(props: BaseProps & { value: string; onChange(v: string): void; maxLength: number; rows?: number }) {
  const { id, label, hint, error, value, onChange, rows = 5, isPageHeading, maxLength } = props;
  const left = maxLength - value.length;
  return (
    <div className="govuk-character-count">
      <FormGroup error={error}>
        <Label id={id} label={label} isPageHeading={isPageHeading} />
        <Hint id={`${id}-hint`}>{hint}</Hint>
        <ErrorMessage id={`${id}-error`} error={error} />
        <textarea
          className={`govuk-textarea govuk-js-character-count${error || left < 0 ? ' govuk-textarea--error' : ''}`}
          id={id}
          name={id}
          rows={rows}
          value={value}
          aria-describedby={[describedBy(id, hint, error), `${id}-info`].filter(Boolean).join(' ')}
          onChange={(e) => onChange(e.target.value)}
        />
        <div id={`${id}-info`} className={`govuk-hint govuk-character-count__message${left < 0 ? ' govuk-error-message' : ''}`} aria-live="polite">
          {left >= 0
            ? `You have ${left.toLocaleString('en-GB')} character${left === 1 ? '' : 's'} remaining`
            : `You have ${(-left).toLocaleString('en-GB')} character${left === -1 ? '' : 's'} too many`}
        </div>
      </FormGroup>
    </div>
  );
}
