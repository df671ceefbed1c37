/**
 * Countries by name (ISO 3166-1 alpha-2 codes underneath), from the maintained
 * i18n-iso-countries package the screening library also uses: never a free two-letter box.
 */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';

countries.registerLocale(en);

const NAMES: Record<string, string> = countries.getNames('en', { select: 'official' });

export const COUNTRY_OPTIONS: { value: string; label: string }[] = Object.entries(NAMES)
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));

export function countryName(code: string | null | undefined): string {
  if (!code) return '';
  return Object.hasOwn(NAMES, code.toUpperCase()) ? NAMES[code.toUpperCase()] : code;
}
