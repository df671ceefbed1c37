import { assessRisk, ScreeningHitFact } from './risk';
import { RISK_CONFIG } from './risk-config';
import type { CaseAnswers } from './questionnaire';

const noConcerns = Object.fromEntries(
  [
    'ps_adverse_information',
    'ps_state_links',
    'ps_state_compulsion',
    'ps_control_expected',
    'ps_conflict_of_interest',
    'ps_misuse',
    'ps_wmd_end_use',
    'is_controlled_items',
    'is_us_origin',
    'is_atas',
    'is_devices_travel',
    'ia_patent_first',
    'ia_no_agreement',
    'ia_nsi_asset',
    'rs_approaches',
  ].map((id) => [id, { answer: 'no' as const }]),
);

const base: CaseAnswers = {
  summary: 'Thin films.',
  partners: [{ name: 'University of Toronto', country: 'CA', type: 'university' }],
  activityTypes: ['international_collaboration'],
  sensitiveAreas: [],
  fundingSource: 'UKRI',
  fundingType: 'uk_public',
  startDate: '2027-01-01',
  technologyReadiness: 'basic_research',
  publication: 'public_domain',
  exportsFromUk: [],
  personalData: 'none',
  resultsOwnership: 'university',
  commercialExploitation: 'none',
  partnerAccess: 'none',
  redFlags: [],
  checklist: noConcerns,
};
const withChecklist = (over: Record<string, 'yes' | 'unsure'>) => ({
  ...noConcerns,
  ...Object.fromEntries(Object.entries(over).map(([k, v]) => [k, { answer: v, comment: 'c' }])),
});
const hit = (over: Partial<ScreeningHitFact>): ScreeningHitFact => ({
  listKind: 'us_csl',
  sourceList: 'Entity List (EL) - Bureau of Industry and Security',
  subject: 'X',
  matchedName: 'X',
  score: 0.9,
  ...over,
});

describe('assessRisk', () => {
  it.each([
    ['an allied university, open research', base, [], 'low', 0, 'officer_approval'],
    [
      'a partner in an "other" country',
      { ...base, partners: [{ name: 'Universidad de Chile', country: 'CL', type: 'university' }] },
      [],
      'low',
      3,
      'officer_approval',
    ],
    ['an arms-embargoed country', { ...base, partners: [{ name: 'Fudan University', country: 'CN', type: 'university' }] }, [], 'low', 9, 'officer_approval'],
    [
      'embargoed country + NSI area',
      { ...base, partners: [{ name: 'Fudan University', country: 'CN', type: 'university' }], sensitiveAreas: ['quantum_technologies'] },
      [],
      'medium',
      15,
      'head_sign_off',
    ],
    [
      'embargoed country + control-list candidate + company + foreign corporate funder: 25, the top of medium',
      { ...base, partners: [{ name: 'X Co', country: 'CN', type: 'company' }], controlListCandidates: ['5E002'], fundingType: 'foreign_company' },
      [],
      'medium',
      9 + 9 + 3 + 4,
      'head_sign_off',
    ],
    [
      'the same with remote access: 27, high',
      {
        ...base,
        partners: [{ name: 'X Co', country: 'CN', type: 'company' }],
        controlListCandidates: ['5E002'],
        fundingType: 'foreign_company',
        partnerAccess: 'remote',
      },
      [],
      'high',
      27,
      'export_review_then_sign_off',
    ],
    [
      'a military partner in an embargoed country (hard flag)',
      { ...base, partners: [{ name: 'PLA Unit', country: 'CN', type: 'military_or_defence' }] },
      [],
      'high',
      18,
      'export_review_then_sign_off',
    ],
    ['WMD end use suspected (hard flag)', { ...base, checklist: withChecklist({ ps_wmd_end_use: 'unsure' }) }, [], 'high', 0, 'export_review_then_sign_off'],
    [
      'a UK sanctions hit (hard flag)',
      base,
      [hit({ listKind: 'uk_sanctions', sourceList: 'UK Sanctions List: Russia' })],
      'high',
      9,
      'export_review_then_sign_off',
    ],
    ['an Entity List hit, no US-origin items', base, [hit({})], 'low', 9, 'officer_approval'],
    [
      'an Entity List hit with US-origin items (hard flag)',
      { ...base, checklist: withChecklist({ is_us_origin: 'yes' }) },
      [hit({})],
      'high',
      9,
      'export_review_then_sign_off',
    ],
    [
      'a very-high watch-list hit (hard flag)',
      base,
      [hit({ listKind: 'watch_list', sourceList: 'University watch list', rating: 'very_high' })],
      'high',
      9,
      'export_review_then_sign_off',
    ],
    ['a medium watch-list hit', base, [hit({ listKind: 'watch_list', sourceList: 'University watch list', rating: 'medium' })], 'low', 6, 'officer_approval'],
    [
      'software leaving the UK without an exemption',
      { ...base, publication: 'restricted', exportsFromUk: ['software'] },
      [],
      'low',
      2,
      'export_review_then_sign_off',
    ],
    // Issue 13, rule 1: "will be published openly" is not the public-domain exemption; only the export-control officer records one.
    [
      'technical data leaving the UK that the researcher will publish openly',
      { ...base, exportsFromUk: ['technical_data'] },
      [],
      'low',
      0,
      'export_review_then_sign_off',
    ],
    ['equipment shipped abroad (goods are never exempt)', { ...base, exportsFromUk: ['equipment'] }, [], 'low', 0, 'export_review_then_sign_off'],
    [
      'three red flags, lab visitors, joint ownership, personal data',
      {
        ...base,
        redFlags: ['cold_approach', 'unclear_end_user', 'odd_shipping'],
        partnerAccess: 'visitors_in_labs',
        resultsOwnership: 'joint',
        personalData: 'personal',
      },
      [],
      'medium',
      6 + 4 + 4,
      'head_sign_off',
    ],
    [
      'a version-1 intake (funding not classified)',
      {
        summary: 'x',
        partners: base.partners,
        activityTypes: ['international_collaboration'],
        sensitiveAreas: [],
        fundingSource: 'UKRI',
        startDate: '2027-01-01',
      },
      [],
      'low',
      2,
      'officer_approval',
    ],
  ] as const)('%s', (_label, answers, hits, level, score, route) => {
    const a = assessRisk(answers as CaseAnswers, hits as readonly ScreeningHitFact[]);
    expect({ level: a.level, score: a.score, route: a.route }).toEqual({ level, score, route });
    expect(a.rulesVersion).toBe(RISK_CONFIG.version);
    for (const f of a.factors) expect(f.reasons.length).toBeGreaterThan(0);
  });

  it('explains the level in one line naming what drove it', () => {
    const a = assessRisk({
      ...base,
      partners: [{ name: 'Fudan University', country: 'CN', type: 'military_or_defence' }],
      sensitiveAreas: ['quantum_technologies'],
    });
    expect(a.summary).toMatch(/^High: /);
    expect(a.summary).toContain('partner country on the UK arms embargo list: Fudan University (CN)');
    expect(a.summary).toContain('area: Quantum Technologies');
    expect(a.hardFlags.map((h) => h.code)).toEqual(['military_embargoed']);
  });

  it('takes weights and tiers from the configuration it is given', () => {
    const strict = { ...RISK_CONFIG, version: 'strict', tiers: { low: 2, medium: 8 } };
    const a = assessRisk({ ...base, partners: [{ name: 'Universidad de Chile', country: 'CL', type: 'university' }] }, [], strict);
    expect({ level: a.level, rulesVersion: a.rulesVersion }).toEqual({ level: 'medium', rulesVersion: 'strict' });
  });

  it('keeps each country list sourced and made of ISO codes', () => {
    for (const list of Object.values(RISK_CONFIG.countries)) {
      expect(list.source).toMatch(/2026/);
      for (const c of list.countries) expect(c).toMatch(/^[A-Z]{2}$/);
    }
    expect(RISK_CONFIG.countries.atasExempt.countries).toEqual(expect.arrayContaining(['GB', 'IE', 'CH', 'AU', 'CA', 'JP', 'NZ', 'SG', 'KR', 'US']));
  });
});
