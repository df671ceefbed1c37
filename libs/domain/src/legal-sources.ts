/**
 * The published sources the export-control, sanctions and FIRS rules follow. Every rule
 * and every country list names one of these (by key) so an officer or auditor can check
 * it; docs/legal-rules.md lists them with the rule each one backs. `asOf` is the date
 * the text was read for this code, not the page's own date: re-read and bump it when a
 * list changes.
 */
export interface LegalSource {
  title: string;
  url: string;
  /** the section or note relied on */
  section: string;
  asOf: string;
}

const AS_OF = '2026-11-30';

export const LEGAL_SOURCES = Object.freeze({
  academicGuidance: {
    title: 'GOV.UK: Export controls applying to academic research',
    url: 'https://www.gov.uk/guidance/export-controls-applying-to-academic-research',
    section: '"Assess if you need an export licence" and "When your research might be exempt" (public domain, basic scientific research)',
    asOf: AS_OF,
  },
  eco2008Exceptions: {
    title: 'The Export Control Order 2008 (SI 2008/3231), Article 18 (exceptions) and the General Technology Note',
    url: 'https://www.legislation.gov.uk/uksi/2008/3231/article/18',
    section: 'Article 18: transfers of technology in the public domain, basic scientific research, the minimum necessary information for a patent application',
    asOf: AS_OF,
  },
  generalSoftwareNote: {
    title: 'UK Strategic Export Control Lists: General Software Note (and the Cryptography Note, Category 5 Part 2)',
    url: 'https://www.gov.uk/government/publications/uk-strategic-export-control-lists-the-consolidated-list-of-strategic-military-and-dual-use-items',
    section:
      'General Software Note: software is released only when in the public domain or generally available to the public (mass market); basic scientific research and patent applications are technology exceptions (General Technology Note)',
    asOf: AS_OF,
  },
  ml22Note2: {
    title: 'UK Military List (Schedule 2 to the Export Control Order 2008), ML22 Note 2',
    url: 'https://www.legislation.gov.uk/uksi/2008/3231/schedule/2',
    section:
      'ML22 Note 2: ML22 does not apply to technology in the public domain, basic scientific research or the minimum necessary information for patent applications',
    asOf: AS_OF,
  },
  schedule3PlEntries: {
    title:
      'The Export Control Order 2008, Schedule 3 (UK controlled dual-use goods, software and technology: PL entries), as amended by the Export Control (Amendment) Regulations 2024',
    url: 'https://www.legislation.gov.uk/uksi/2008/3231/schedule/3',
    section:
      'PL9013 (semiconductors, cryogenic and advanced materials), PL9014 (quantum), PL9015 (additive manufacturing), in force 1 April 2024; each entry carries its own notes',
    asOf: AS_OF,
  },
  chinaArmsEmbargo: {
    title: 'GOV.UK: UK arms embargo on mainland China and Hong Kong',
    url: 'https://www.gov.uk/guidance/arms-embargo-on-china',
    section: 'Introduction: Macao added in 2000; extended fully to Hong Kong in July 2020 (Notice to exporters 2020/12)',
    asOf: AS_OF,
  },
  currentEmbargoes: {
    title: 'GOV.UK: Current arms embargoes and other restrictions',
    url: 'https://www.gov.uk/guidance/current-arms-embargoes-and-other-restrictions',
    section: 'Arms embargoes (UN, OSCE, UK) and trade sanctions by destination',
    asOf: AS_OF,
  },
  ogelList: {
    title: 'GOV.UK: Open general export licences (OGELs) and the OGEL (Technology for Dual-Use Items), revoked from 31 December 2020',
    url: 'https://www.gov.uk/government/collections/open-general-export-licences-ogels',
    section:
      "Each OGEL's exclusions: not for WMD end use or military end use in an embargoed destination, and only to the destinations its schedule permits; registration on LITE/SPIRE",
    asOf: AS_OF,
  },
  russiaTechnologySanctions: {
    title: 'GOV.UK: Complying with technology transfer sanctions (Russia (Sanctions) (EU Exit) Regulations 2019), and the Russia sanctions statutory guidance',
    url: 'https://www.gov.uk/government/publications/complying-with-technology-transfer-sanctions/complying-with-technology-transfer-sanctions',
    section:
      'Trade sanctions on listed and unlisted (critical-industry, sectoral) goods and technology and on technical assistance, to persons connected with Russia; ownership or control (more than 50%) by a designated person',
    asOf: AS_OF,
  },
  belarusIranSanctions: {
    title: 'GOV.UK: UK sanctions relating to Belarus and to Iran (statutory guidance under the Sanctions and Anti-Money Laundering Act 2018)',
    url: 'https://www.gov.uk/government/collections/uk-sanctions-regimes-under-the-sanctions-act',
    section:
      'Belarus and Iran regimes: trade restrictions on goods, technology and technical assistance beyond the control lists; ownership and control of designated persons',
    asOf: AS_OF,
  },
  sanctionsRegimes: {
    title: 'GOV.UK: UK sanctions regimes under the Sanctions Act',
    url: 'https://www.gov.uk/government/collections/uk-sanctions-regimes-under-the-sanctions-act',
    section: 'Regime pages: which measures each country regime imposes (asset freezes on named persons only, or trade restrictions too)',
    asOf: AS_OF,
  },
  firs: {
    title: 'GOV.UK: Foreign Influence Registration Scheme (National Security Act 2023, Part 4), and "FIRS: specified powers: Iran" / "Russia"',
    url: 'https://www.gov.uk/government/collections/foreign-influence-registration-scheme',
    section:
      'In force 1 July 2025; enhanced tier specifies Iran and Russia (state, intelligence services, armed forces and listed state-controlled bodies); arrangements registered within 28 days and before activity starts',
    asOf: AS_OF,
  },
  nsiAreas: {
    title: 'GOV.UK: National Security and Investment Act: guidance on notifiable acquisitions (the 17 areas of the economy)',
    url: 'https://www.gov.uk/government/publications/national-security-and-investment-act-guidance-on-notifiable-acquisitions',
    section: 'The 17 sensitive areas and what each covers',
    asOf: AS_OF,
  },
} satisfies Record<string, LegalSource>);

export type LegalSourceKey = keyof typeof LEGAL_SOURCES;

/** "Title, section" for a sentence that cites its rule. */
export function cite(key: LegalSourceKey): string {
  const s = LEGAL_SOURCES[key];
  return `${s.title} (${s.section.split(':')[0]})`;
}
