import * as isoCountries from 'i18n-iso-countries';
import en = require('i18n-iso-countries/langs/en.json');

/**
 * Country names and nationalities, as the publishers write them, to ISO 3166-1 alpha-2.
 * The maintained i18n-iso-countries package gives the ISO names and their common
 * variants; the publishers' own spellings ("DPRK", "Korea, North", "Iran (Islamic
 * Republic of)") and demonyms ("Afghan", used by OFSI's Nationality column) come on top.
 * Every table here is a Map: keys are list text.
 */
isoCountries.registerLocale(en);

/** Lower case, accents off, punctuation to spaces, a leading "the" dropped. */
export function countryKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

/** Spellings the UN, OFSI, FCDO, OFAC, EU and trade.gov files use that ISO's names do not cover. */
const PUBLISHER_SPELLINGS: [string, string][] = [
  ['DPRK', 'KP'],
  ['Korea, North', 'KP'],
  ['North Korea', 'KP'],
  ["Democratic People's Republic of Korea", 'KP'],
  ["Korea, Democratic People's Republic of", 'KP'],
  ["Korea (Democratic People's Republic of)", 'KP'],
  ['Korea, South', 'KR'],
  ['South Korea', 'KR'],
  ['Republic of Korea', 'KR'],
  ['Iran (Islamic Republic of)', 'IR'],
  ['Iran, Islamic Republic of', 'IR'],
  ['Russian Federation', 'RU'],
  ['Russia', 'RU'],
  ['Syrian Arab Republic', 'SY'],
  ['Syria', 'SY'],
  ['Burma', 'MM'],
  ["Lao People's Democratic Republic", 'LA'],
  ['Laos', 'LA'],
  ['United Republic of Tanzania', 'TZ'],
  ['Tanzania', 'TZ'],
  ['State of Palestine', 'PS'],
  ['Palestinian Territories', 'PS'],
  ['West Bank', 'PS'],
  ['Gaza', 'PS'],
  ['Gaza Strip', 'PS'],
  ['Occupied Palestinian Territory', 'PS'],
  ['Kosovo', 'XK'],
  ['Ivory Coast', 'CI'],
  ["Cote d'Ivoire", 'CI'],
  ['Democratic Republic of the Congo', 'CD'],
  ['Congo, Democratic Republic of the', 'CD'],
  ['Congo (Democratic Republic)', 'CD'],
  ['Democratic Republic of Congo', 'CD'],
  ['DRC', 'CD'],
  ['Congo, Republic of the', 'CG'],
  ['Republic of the Congo', 'CG'],
  ['Congo', 'CG'],
  ['United Kingdom of Great Britain and Northern Ireland', 'GB'],
  ['UK', 'GB'],
  ['United Kingdom', 'GB'],
  ['USA', 'US'],
  ['United States of America', 'US'],
  ['United States', 'US'],
  ['Venezuela (Bolivarian Republic of)', 'VE'],
  ['Venezuela, Bolivarian Republic of', 'VE'],
  ['Bolivia (Plurinational State of)', 'BO'],
  ['Republic of Moldova', 'MD'],
  ['Moldova', 'MD'],
  ['Macedonia', 'MK'],
  ['The former Yugoslav Republic of Macedonia', 'MK'],
  ['Turkiye', 'TR'],
  ['Türkiye', 'TR'],
  ['Turkey', 'TR'],
  ['Czech Republic', 'CZ'],
  ['Swaziland', 'SZ'],
  ['Holy See', 'VA'],
  ['Vatican City', 'VA'],
  ['Crimea', 'UA'],
  ['Hong Kong', 'HK'],
  ['Macau', 'MO'],
  ['Macao', 'MO'],
  ['Taiwan', 'TW'],
  ['Brunei', 'BN'],
  ['Vietnam', 'VN'],
  ['Viet Nam', 'VN'],
  ['Cape Verde', 'CV'],
  ['East Timor', 'TL'],
  ['Micronesia', 'FM'],
  ['Bosnia-Herzegovina', 'BA'],
  ['Bosnia', 'BA'],
  ['Netherlands Antilles', 'CW'],
  ['Serbia and Montenegro', 'RS'],
  ['Yugoslavia', 'RS'],
  ['Soviet Union', 'RU'],
  ['USSR', 'RU'],
  ['Sudan, South', 'SS'],
  ['St. Kitts and Nevis', 'KN'],
  ['St. Vincent and the Grenadines', 'VC'],
  ['St. Lucia', 'LC'],
  ['Gambia, The', 'GM'],
  ['Bahamas, The', 'BS'],
  ['Kyrgyz Republic', 'KG'],
  ['Slovak Republic', 'SK'],
  ['UAE', 'AE'],
  ['Libyan Arab Jamahiriya', 'LY'],
  ['Sultanate of Oman', 'OM'],
  ['Union of the Comoros', 'KM'],
  ['Trinadad', 'TT'],
  ['US', 'US'],
  ['British Virgin Islands', 'VG'],
  ['US Virgin Islands', 'VI'],
  ["Great Socialist People's Libyan Arab Jamahiriya", 'LY'],
  ['Kingdom of Saudi Arabia', 'SA'],
  ['Republic of Iraq', 'IQ'],
];

/** Nationalities as adjectives (OFSI ConList, FCDO, CSL), to the country they name. */
const DEMONYMS: [string, string][] = [
  ['Afghan', 'AF'],
  ['Afghani', 'AF'],
  ['Afgan', 'AF'],
  ['Qatarian', 'QA'],
  ['Albanian', 'AL'],
  ['Algerian', 'DZ'],
  ['American', 'US'],
  ['Angolan', 'AO'],
  ['Argentine', 'AR'],
  ['Argentinian', 'AR'],
  ['Armenian', 'AM'],
  ['Australian', 'AU'],
  ['Austrian', 'AT'],
  ['Azerbaijani', 'AZ'],
  ['Bahraini', 'BH'],
  ['Bangladeshi', 'BD'],
  ['Belarusian', 'BY'],
  ['Belarussian', 'BY'],
  ['Belgian', 'BE'],
  ['Bosnian', 'BA'],
  ['British', 'GB'],
  ['Bulgarian', 'BG'],
  ['Burmese', 'MM'],
  ['Burundian', 'BI'],
  ['Cambodian', 'KH'],
  ['Cameroonian', 'CM'],
  ['Canadian', 'CA'],
  ['Central African', 'CF'],
  ['Chadian', 'TD'],
  ['Chilean', 'CL'],
  ['Chinese', 'CN'],
  ['Colombian', 'CO'],
  ['Congolese', 'CD'],
  ['Croatian', 'HR'],
  ['Cuban', 'CU'],
  ['Cypriot', 'CY'],
  ['Czech', 'CZ'],
  ['Danish', 'DK'],
  ['Djiboutian', 'DJ'],
  ['Dutch', 'NL'],
  ['Ecuadorian', 'EC'],
  ['Egyptian', 'EG'],
  ['Emirati', 'AE'],
  ['Eritrean', 'ER'],
  ['Estonian', 'EE'],
  ['Ethiopian', 'ET'],
  ['Filipino', 'PH'],
  ['Finnish', 'FI'],
  ['French', 'FR'],
  ['Gambian', 'GM'],
  ['Georgian', 'GE'],
  ['German', 'DE'],
  ['Ghanaian', 'GH'],
  ['Greek', 'GR'],
  ['Guinean', 'GN'],
  ['Bissau-Guinean', 'GW'],
  ['Guinea-Bissauan', 'GW'],
  ['Haitian', 'HT'],
  ['Hungarian', 'HU'],
  ['Indian', 'IN'],
  ['Indonesian', 'ID'],
  ['Iranian', 'IR'],
  ['Iraqi', 'IQ'],
  ['Irish', 'IE'],
  ['Israeli', 'IL'],
  ['Italian', 'IT'],
  ['Ivorian', 'CI'],
  ['Jamaican', 'JM'],
  ['Japanese', 'JP'],
  ['Jordanian', 'JO'],
  ['Kazakh', 'KZ'],
  ['Kazakhstani', 'KZ'],
  ['Kenyan', 'KE'],
  ['Kosovan', 'XK'],
  ['Kuwaiti', 'KW'],
  ['Kyrgyz', 'KG'],
  ['Latvian', 'LV'],
  ['Lebanese', 'LB'],
  ['Liberian', 'LR'],
  ['Libyan', 'LY'],
  ['Lithuanian', 'LT'],
  ['Macedonian', 'MK'],
  ['Malaysian', 'MY'],
  ['Maldivian', 'MV'],
  ['Malian', 'ML'],
  ['Mauritanian', 'MR'],
  ['Mexican', 'MX'],
  ['Moldovan', 'MD'],
  ['Mongolian', 'MN'],
  ['Montenegrin', 'ME'],
  ['Moroccan', 'MA'],
  ['Nepalese', 'NP'],
  ['Nicaraguan', 'NI'],
  ['Nigerian', 'NG'],
  ['Nigerien', 'NE'],
  ['North Korean', 'KP'],
  ['Norwegian', 'NO'],
  ['Omani', 'OM'],
  ['Pakistani', 'PK'],
  ['Palestinian', 'PS'],
  ['Panamanian', 'PA'],
  ['Peruvian', 'PE'],
  ['Polish', 'PL'],
  ['Portuguese', 'PT'],
  ['Qatari', 'QA'],
  ['Romanian', 'RO'],
  ['Russian', 'RU'],
  ['Rwandan', 'RW'],
  ['Saudi', 'SA'],
  ['Saudi Arabian', 'SA'],
  ['Senegalese', 'SN'],
  ['Serbian', 'RS'],
  ['Sierra Leonean', 'SL'],
  ['Singaporean', 'SG'],
  ['Slovak', 'SK'],
  ['Slovenian', 'SI'],
  ['Somali', 'SO'],
  ['South African', 'ZA'],
  ['South Korean', 'KR'],
  ['South Sudanese', 'SS'],
  ['Spanish', 'ES'],
  ['Sri Lankan', 'LK'],
  ['Sudanese', 'SD'],
  ['Swedish', 'SE'],
  ['Swiss', 'CH'],
  ['Syrian', 'SY'],
  ['Taiwanese', 'TW'],
  ['Tajik', 'TJ'],
  ['Tanzanian', 'TZ'],
  ['Thai', 'TH'],
  ['Trinidadian', 'TT'],
  ['Tunisian', 'TN'],
  ['Turkish', 'TR'],
  ['Turkmen', 'TM'],
  ['Ugandan', 'UG'],
  ['Ukrainian', 'UA'],
  ['Uzbek', 'UZ'],
  ['Uzbekistani', 'UZ'],
  ['Venezuelan', 'VE'],
  ['Vietnamese', 'VN'],
  ['Yemeni', 'YE'],
  ['Zambian', 'ZM'],
  ['Zimbabwean', 'ZW'],
];

const BY_NAME = new Map<string, string>();
for (const [code, names] of Object.entries(isoCountries.getNames('en', { select: 'all' }))) {
  for (const n of names) BY_NAME.set(countryKey(n), code);
}
for (const code of Object.keys(isoCountries.getAlpha2Codes())) BY_NAME.set(countryKey(isoCountries.alpha2ToAlpha3(code) ?? ''), code);
for (const [n, code] of [...PUBLISHER_SPELLINGS, ...DEMONYMS]) BY_NAME.set(countryKey(n), code);
BY_NAME.delete('');

/**
 * One country name, code or nationality to its ISO alpha-2 code, or null. Tries the
 * whole text, then without a parenthesised remark ("Afghanistan (since 2009)"), then
 * "Korea, North" turned round ("North Korea").
 */
export function countryCode(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.trim();
  if (!s) return null;
  if (/^[A-Z]{2}$/.test(s)) return s === 'UK' ? 'GB' : isoCountries.isValid(s) || s === 'XK' ? s : null;
  // Remarks after the country: "Kuwaiti citizenship withdrawn in 2002", "In Syria as at June 2013", "Tobago (from birth…".
  const bare = s
    .replace(/\([^)]*\)?/g, ' ')
    .replace(/^(?:in|a\.k\.a\.?|possibly|probably|reportedly|believed to be in)\s+/i, '')
    .replace(/\s+(?:citizenship|citizen|nationals?|nationality|nationalities|by birth|as (?:at|of)|since|from|until|at time|in \d{4}|\d{3,}).*$/i, '')
    .replace(/[.,;:\s]+$/, '');
  const tries = [s, bare, s.replace(/^(.*?),\s*(.*)$/, '$2 $1')];
  for (const t of tries) {
    const hit = BY_NAME.get(countryKey(t));
    if (hit) return hit;
  }
  return null;
}

/**
 * A field that may hold several countries: "1) Saudi Arabia 2) Qatar", "Iraq; Syria",
 * "Afghan, Pakistani". Each part mapped; unmapped parts are returned apart so an import
 * can say what it could not read.
 */
export function countryCodes(raw: string | null | undefined): { codes: string[]; unknown: string[] } {
  const codes = new Set<string>();
  const unknown: string[] = [];
  if (!raw || !raw.trim()) return { codes: [], unknown };
  const whole = countryCode(raw);
  if (whole) return { codes: [whole], unknown };
  // Numbered or lettered items ("1) Saudi Arabia 2) Qatar", "(a) Malaysia (b) Indonesia", "a) French, b) Tunisian").
  const parts = raw
    .split(/\s*(?:\(?\b[a-h]\)|\(?\d+\)|;|\/|\band\b|\.\s+also\b|,(?![^(]*\)))\s*/i)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of parts) {
    const c = countryCode(p);
    if (c) codes.add(c);
    else unknown.push(p);
  }
  return { codes: [...codes], unknown };
}
