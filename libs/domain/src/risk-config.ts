/**
 * Triage rules and lists as configuration. Every case records `version` of the config
 * that scored it; change anything here and bump the version, so an old score can
 * always be explained by the rules that produced it.
 *
 * The weights and tiers follow the proposal in docs/domain.md ("Risk triage"); an institution
 * may tune them. The country lists are ISO 3166-1 alpha-2 codes.
 */

import { LEGAL_SOURCES, type LegalSourceKey } from './legal-sources';
import { EEA_NON_EU_STATES, EU_MEMBER_STATES } from './country-groups';

/**
 * What a country list means in law, so lists of different force are never scored alike
 * (issue 13, rule 8): an arms embargo restricts military items; trade sanctions restrict
 * listed and unlisted technology and technical assistance; a targeted regime freezes the
 * assets of named persons only, which screening catches, not the destination.
 */
export type CountryListKind = 'arms_embargo' | 'trade_sanctions' | 'targeted_sanctions' | 'firs_enhanced_tier' | 'institutional' | 'ally';

export interface CountryList {
  kind: CountryListKind;
  label: string;
  /** where the list comes from, so a reviewer can check it */
  source: string;
  /** the date the list was last checked against its source */
  asOf: string;
  countries: readonly string[];
}

const fromSource = (key: LegalSourceKey) => ({
  source: `${LEGAL_SOURCES[key].title}, ${LEGAL_SOURCES[key].url} (as of ${LEGAL_SOURCES[key].asOf})`,
  asOf: LEGAL_SOURCES[key].asOf,
});

export interface RiskConfig {
  version: string;
  /** factor -> weight; each factor scores 0..3 */
  weights: Record<RiskFactorName, number>;
  /** total <= low is low; <= medium is medium; above is high */
  tiers: { low: number; medium: number };
  countries: {
    armsEmbargo: CountryList;
    tradeSanctions: CountryList;
    targetedSanctions: CountryList;
    firsEnhancedTier: CountryList;
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
export const RISK_FACTOR_LABELS: Record<RiskFactorName, string> = {
  country: 'Partner country',
  sensitivity: 'Sensitive research area',
  partner: 'Partner type',
  funding: 'Funding',
  data_ip: 'Data and intellectual property',
  access: 'Access to facilities and systems',
  red_flags: 'Red flags',
};

const EU_EEA = [...EU_MEMBER_STATES, ...EEA_NON_EU_STATES];

export const RISK_CONFIG: RiskConfig = {
  version: 'triage-2026.2',
  weights: { country: 3, sensitivity: 3, partner: 3, funding: 2, data_ip: 2, access: 2, red_flags: 2 },
  tiers: { low: 12, medium: 25 },
  countries: {
    armsEmbargo: {
      kind: 'arms_embargo',
      label: 'the UK arms embargo list',
      // GOV.UK "Current arms embargoes and other restrictions": UN, OSCE and UK embargoes.
      // China: GOV.UK "UK arms embargo on mainland China and Hong Kong" (introduction):
      // the 1989 embargo covers Macao (added 2000) and, since July 2020, Hong Kong.
      ...fromSource('currentEmbargoes'),
      source: `${LEGAL_SOURCES.currentEmbargoes.url}; China, Hong Kong and Macao: ${LEGAL_SOURCES.chinaArmsEmbargo.url} (as of ${LEGAL_SOURCES.chinaArmsEmbargo.asOf})`,
      countries: [
        'AF',
        'AM',
        'AZ',
        'BY',
        'MM',
        'CF',
        'CN',
        'HK',
        'MO',
        'CD',
        'HT',
        'IR',
        'IQ',
        'LB',
        'LY',
        'KP',
        'RU',
        'SO',
        'SS',
        'SD',
        'SY',
        'VE',
        'YE',
        'ZW',
      ],
    },
    tradeSanctions: {
      kind: 'trade_sanctions',
      label: 'UK trade sanctions that reach unlisted technology and technical assistance',
      // GOV.UK "Complying with technology transfer sanctions" (Russia Regulations 2019,
      // regs 26, 42A, 46YA...) and the Belarus and Iran regimes' statutory guidance: the
      // restrictions cover listed and unlisted goods, technology and technical
      // assistance, and entities owned or controlled (more than 50 %) by designated persons.
      // North Korea: UN-derived comprehensive trade restrictions.
      ...fromSource('russiaTechnologySanctions'),
      source: `${LEGAL_SOURCES.russiaTechnologySanctions.url}; Belarus and Iran: ${LEGAL_SOURCES.belarusIranSanctions.url} (as of ${LEGAL_SOURCES.russiaTechnologySanctions.asOf})`,
      countries: ['RU', 'BY', 'IR', 'KP'],
    },
    targetedSanctions: {
      kind: 'targeted_sanctions',
      label: 'a UK sanctions regime against named persons',
      // GOV.UK "UK sanctions regimes under the Sanctions Act": these country regimes freeze
      // the assets of designated persons (some with an arms embargo, listed separately
      // above); they do not restrict dealings with everyone in the country, so the
      // screening of the partner decides, not the destination.
      ...fromSource('sanctionsRegimes'),
      countries: ['AF', 'BA', 'MM', 'CF', 'CD', 'GN', 'GW', 'HT', 'IQ', 'LB', 'LY', 'ML', 'NI', 'SO', 'SS', 'SD', 'SY', 'VE', 'YE'],
    },
    firsEnhancedTier: {
      kind: 'firs_enhanced_tier',
      label: 'the enhanced tier of the Foreign Influence Registration Scheme',
      // GOV.UK "Foreign Influence Registration Scheme": in force 1 July 2025; the enhanced
      // tier specifies Iran and Russia (the states and their specified bodies).
      ...fromSource('firs'),
      countries: ['IR', 'RU'],
    },
    elevated: {
      kind: 'institutional',
      asOf: '2026-01-01',
      label: 'the list of countries with weak rule of law or high corruption',
      // Our proposal, not a published UK list: an institution sets this from its own
      // sources (e.g. the bottom quartile of an annual corruption index).
      source: 'institution-maintained (proposal), 2026',
      countries: ['BD', 'DZ', 'EG', 'ET', 'KZ', 'KG', 'NG', 'PK', 'SA', 'TJ', 'TM', 'UZ', 'AE', 'VN', 'LA', 'KH', 'CU', 'ER', 'TD'],
    },
    atasExempt: {
      kind: 'ally',
      asOf: '2026-01-01',
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
