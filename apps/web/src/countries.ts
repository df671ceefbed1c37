/**
 * Countries by name (ISO 3166-1 alpha-2 codes underneath): the one list in libs/domain
 * (countries.ts, from the i18n-iso-countries package), which the API also checks codes
 * against. Never a free two-letter box.
 */
export { COUNTRY_OPTIONS, countryName } from '@app/domain/countries';
