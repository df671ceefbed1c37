/**
 * Groups of countries that several rules name (ISO 3166-1 alpha-2), kept once: the OGEL for
 * dual-use exports to EU member states (export-control.ts), the risk weighting of partner
 * countries (risk-config.ts) and the ATAS exempt nationalities (partners.ts) all list them.
 */

/** The 27 member states of the European Union (since 1 February 2020; europa.eu, "EU countries"). */
export const EU_MEMBER_STATES: readonly string[] = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
];

/** The EEA states that are not in the EU (EFTA members of the EEA Agreement). */
export const EEA_NON_EU_STATES: readonly string[] = ['IS', 'LI', 'NO'];
