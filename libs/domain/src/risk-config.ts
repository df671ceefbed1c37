/**
 * Triage rules and lists as configuration. Every case records `version` of the config
 * that scored it; change anything here and bump the version, so an old score can
 * always be explained by the rules that produced it.
 *
 * The weights and tiers follow the proposal in docs/domain.md ("Risk triage"); an institution
 * may tune them. The country lists are ISO 3166-1 alpha-2 codes.
 */

export interface CountryList {
  label: string;
  /** where the list comes from, so a reviewer can check it */
  source: string;
  countries: readonly string[];
}

export interface RiskConfig {
  version: string;
  /** factor -> weight; each factor scores 0..3 */
  weights: Record<RiskFactorName, number>;
  /** total <= low is low; <= medium is medium; above is high */
  tiers: { low: number; medium: number };
  countries: {
    armsEmbargo: CountryList;
    sanctionsRegimes: CountryList;
    elevated: CountryList;
    atasExempt: CountryList;
  };
  partnerTypeScore: Record<string, number>;
  fundingTypeScore: Record<string, number>;
  /** a screening hit at or above this score is raised as a blocking flag */
  screeningThreshold: number;
}

export const RISK_FACTOR_NAMES = ['country', 'sensitivity', 'partner', 'funding', 'data_ip', 'access', 'red_flags'] as const;
export type RiskFactorName = (typeof RISK_FACTOR_NAMES)[number];

const EU_EEA = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL',
  'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
];

export const RISK_CONFIG: RiskConfig = {
  version: 'triage-2026.1',
  weights: { country: 3, sensitivity: 3, partner: 3, funding: 2, data_ip: 2, access: 2, red_flags: 2 },
  tiers: { low: 12, medium: 25 },
  countries: {
    armsEmbargo: {
      label: 'the UK arms embargo list',
      // gov.uk "UK arms embargoes and restrictions" (Export Control Joint Unit guidance,
      // "Current arms embargoes and other restrictions"), as of 2026: UN, OSCE and
      // UK-autonomous embargoes, including the 1989 Madrid declaration on China.
      source: 'https://www.gov.uk/guidance/current-arms-embargoes-and-other-restrictions (2026)',
      countries: ['AF', 'AM', 'AZ', 'BY', 'MM', 'CF', 'CN', 'CD', 'HT', 'IR', 'IQ', 'LB', 'LY', 'KP', 'RU', 'SO', 'SS', 'SD', 'SY', 'VE', 'YE', 'ZW'],
    },
    sanctionsRegimes: {
      label: 'a UK sanctions regime',
      // gov.uk "UK sanctions regimes" (the regimes under the Sanctions and Anti-Money
      // Laundering Act 2018), country regimes as of 2026.
      source: 'https://www.gov.uk/government/collections/uk-sanctions-regimes-under-the-sanctions-act (2026)',
      countries: ['AF', 'BY', 'BA', 'MM', 'CF', 'CD', 'GN', 'GW', 'HT', 'IR', 'IQ', 'LB', 'LY', 'ML', 'NI', 'KP', 'RU', 'SO', 'SS', 'SD', 'SY', 'VE', 'YE'],
    },
    elevated: {
      label: 'the list of countries with weak rule of law or high corruption',
      // Our proposal, not a published UK list: an institution sets this from its own
      // sources (e.g. the bottom quartile of an annual corruption index).
      source: 'institution-maintained (proposal), 2026',
      countries: ['BD', 'DZ', 'EG', 'ET', 'KZ', 'KG', 'NG', 'PK', 'SA', 'TJ', 'TM', 'UZ', 'AE', 'VN', 'LA', 'KH', 'CU', 'ER', 'TD'],
    },
    atasExempt: {
      label: 'the UK or an ATAS-exempt ally',
      // gov.uk "Academic Technology Approval Scheme (ATAS)": nationals exempt from ATAS.
      source: 'https://www.gov.uk/guidance/academic-technology-approval-scheme (2026)',
      countries: ['GB', ...EU_EEA, 'CH', 'AU', 'CA', 'JP', 'NZ', 'SG', 'KR', 'US'],
    },
  },
  partnerTypeScore: { university: 0, charity: 0, research_institute: 1, company: 1, government_body: 2, military_or_defence: 3 },
  fundingTypeScore: { uk_public: 0, charity: 0, university: 0, none: 0, uk_company: 1, foreign_government_civil: 1, foreign_company: 2, defence: 3 },
  screeningThreshold: 0.8,
};
