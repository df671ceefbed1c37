/**
 * GOV.UK date input (day, month, year) for an ISO date (YYYY-MM-DD), as the design
 * system's pattern: three numeric boxes in a fieldset, never a browser date picker.
 * The value stays as typed while incomplete; `toIsoDate` turns it into a calendar date
 * or null.
 */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export const EMPTY_DATE: DateParts = { day: '', month: '', year: '' };

/** The calendar date the parts name (YYYY-MM-DD), or null when incomplete or not a real date (31 February). */
export function toIsoDate(p: DateParts): string | null {
  const [d, m, y] = [p.day.trim(), p.month.trim(), p.year.trim()];
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return null;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

export function DateFields(props: { id: string; legend: string; hint?: string; error?: string; value: DateParts; onChange(v: DateParts): void }) {
  const { id, legend, hint, error, value, onChange } = props;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const box = (part: keyof DateParts, label: string, width: '2' | '4') => (
    <div className="govuk-date-input__item" key={part}>
      <div className="govuk-form-group">
        <label className="govuk-label govuk-date-input__label" htmlFor={part === 'day' ? id : `${id}-${part}`}>
          {label}
        </label>
        <input
          className={`govuk-input govuk-date-input__input govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`}
          id={part === 'day' ? id : `${id}-${part}`}
          name={`${id}-${part}`}
          type="text"
          inputMode="numeric"
          value={value[part]}
          onChange={(e) => onChange({ ...value, [part]: e.target.value })}
        />
      </div>
    </div>
  );
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint && (
          <div id={`${id}-hint`} className="govuk-hint">
            {hint}
          </div>
        )}
        {error && (
          <p id={`${id}-error`} className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        )}
        <div className="govuk-date-input">
          {box('day', 'Day', '2')}
          {box('month', 'Month', '2')}
          {box('year', 'Year', '4')}
        </div>
      </fieldset>
    </div>
  );
}
