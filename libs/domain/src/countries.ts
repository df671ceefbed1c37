import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';

/**
 * The one list of countries: ISO 3166-1 alpha-2 codes and their English names, from the
 * maintained i18n-iso-countries package (the screening library reads publishers' spellings
 * with the same package). The API refuses a code not on it; the web's country picker
 * shows these names. A pure module, so the web imports it as `@app/domain/countries`.
 */
countries.registerLocale(en);

const NAMES: ReadonlyMap<string, string> = new Map(Object.entries(countries.getNames('en', { select: 'official' })));

/** Every ISO 3166-1 alpha-2 code, in capitals. */
export const COUNTRY_CODES: readonly string[] = [...NAMES.keys()].sort();

/** Whether `code` is an ISO 3166-1 alpha-2 code (capitals only, as the API stores them). */
export function isCountryCode(code: unknown): code is string {
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) && NAMES.has(code);
}

/** The country's English name, or the code itself for a code the list does not know (older data). */
export function countryName(code: string | null | undefined): string {
  if (!code) return '';
  return NAMES.get(code.toUpperCase()) ?? code;
}

/** Picker options, by name. */
export const COUNTRY_OPTIONS: { value: string; label: string }[] = [...NAMES.entries()]
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));

/** The sentence for a code that is not a country, naming the field. */
export function countryProblem(field: string, value: unknown): string | null {
  if (isCountryCode(value)) return null;
  const shown = typeof value === 'string' ? `"${value.slice(0, 20)}"` : 'this value';
  return `${field}: ${shown} is not an ISO 3166-1 country code; use a two-letter code in capitals, such as GB or CN.`;
}
