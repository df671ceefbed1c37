/**
 * Issue 13: each rule that steered an officer to a wrong legal conclusion, as a table of
 * scenario → expected outcome. The sources are in legal-sources.ts and docs/legal-rules.md.
 */
import { assessmentProblems, ExportAssessmentInput, exemptionRuleFor, OGEL_NAMES, OGELS, parseControlEntry, ParsedControlEntry } from './export-control';
import { firsOutstanding, firsRequirement } from './firs';
import { LEGAL_SOURCES } from './legal-sources';
import { answerProblems, CaseAnswers, missingFields } from './questionnaire';
import { NSI_AREA_OPTIONS, QUESTIONNAIRE_V3, questionnaireVersionOf } from './questionnaire-definition';
import { assessRisk } from './risk';
import { RISK_CONFIG } from './risk-config';

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
const v2: CaseAnswers = {
  summary: 'Collaboration.',
  partners: [{ name: 'University of Waterloo', country: 'CA', type: 'university' }],
  activityTypes: ['international_collaboration'],
  sensitiveAreas: [],
  fundingSource: 'UKRI',
  fundingType: 'uk_public',
  startDate: '2027-01-01',
  technologyReadiness: 'applied_research',
  publication: 'public_domain',
  exportsFromUk: [],
  personalData: 'none',
  resultsOwnership: 'university',
  commercialExploitation: 'none',
  partnerAccess: 'none',
  redFlags: [],
  checklist: noConcerns,
};
const v3: CaseAnswers = {
  ...v2,
  publication: 'will_be_published',
  partnerGains: 'Co-authorship.',
  funders: [{ name: 'UKRI', country: 'GB', type: 'uk_public' }],
  dataStorage: 'university_systems',
  dataSharingChannel: 'university_platform',
  personalDataLeavesUk: 'no',
  techTransferOfficeInvolved: 'no',
  firsConnection: 'no',
};

const assessment = (over: Partial<ExportAssessmentInput>): ExportAssessmentInput => ({ assessment: 'Summary.', outcome: 'no_licence_required', ...over });
const fields = (a: ExportAssessmentInput) => assessmentProblems(a).map((p) => p.field);
const messages = (a: ExportAssessmentInput) =>
  assessmentProblems(a)
    .map((p) => p.message)
    .join(' ');
const entry = (code: string): ParsedControlEntry => {
  const r = parseControlEntry(code);
  if (!r.ok) throw new Error(r.message);
  return r.entry;
};

describe('rule 1: intending to publish is not the public-domain exemption', () => {
  it.each([
    [
      'Canadian partner, quantum, unpublished data and software leave the UK, "published openly" (v2)',
      { ...v2, sensitiveAreas: ['quantum_technologies'], exportsFromUk: ['software', 'technical_data'] },
    ],
    [
      'the same, "basic research" answered by the researcher (v2)',
      { ...v2, publication: 'basic_research', sensitiveAreas: ['quantum_technologies'], exportsFromUk: ['software', 'technical_data'] },
    ],
    ['the same on v3, "will be published"', { ...v3, sensitiveAreas: ['quantum_technologies'], exportsFromUk: ['software', 'technical_data'] }],
    ['the same on v3, "already published": still the officer who decides', { ...v3, publication: 'already_published', exportsFromUk: ['technical_data'] }],
  ])('%s → export review, not officer approval', (_s, answers) => {
    const r = assessRisk(answers as CaseAnswers);
    expect({ exportIndicator: r.exportIndicator, route: r.route }).toEqual({ exportIndicator: true, route: 'export_review_then_sign_off' });
    expect(r.exportReasons.join(' ')).toMatch(/only an export-control officer can record/);
  });

  const item = { description: 'Deposition know-how', destinationCountry: 'CA', controlEntry: '3E001', kind: 'technology' as const };
  it.each([
    [
      'public domain without evidence',
      [{ exemption: 'public_domain' as const, applies: true, reasoning: 'Will be published next year.' }],
      ['exemptions[0].evidence'],
    ],
    [
      'public domain with a free-text "will publish"',
      [{ exemption: 'public_domain' as const, applies: true, reasoning: 'r', evidence: 'to be published in Nature' }],
      ['exemptions[0].evidence'],
    ],
    ['public domain with a DOI', [{ exemption: 'public_domain' as const, applies: true, reasoning: 'Published.', evidence: '10.1038/s41586-024-00001-x' }], []],
    [
      'public domain with a link',
      [{ exemption: 'public_domain' as const, applies: true, reasoning: 'Published.', evidence: 'https://arxiv.org/abs/2401.00001' }],
      [],
    ],
    [
      'basic scientific research with the reasoning',
      [{ exemption: 'basic_scientific_research' as const, applies: true, reasoning: 'Fundamental principles, no practical aim.' }],
      [],
    ],
  ])('the officer records %s → problems %j', (_s, exemptions, expected) => {
    expect(fields(assessment({ items: [item], exemptions }))).toEqual(expected);
  });
});

describe('rule 2: basic research and patent exemptions do not cover software (D)', () => {
  const soft = { description: 'QKD firmware', kind: 'software' as const, destinationCountry: 'CA', controlEntry: '5D002' };
  const tech = { description: 'QKD know-how', kind: 'technology' as const, destinationCountry: 'CA', controlEntry: '5E002' };
  it.each([
    ['basic research for 5D002', [soft], 'basic_scientific_research', undefined, true],
    ['patent application for 5D002', [soft], 'patent_application', undefined, true],
    ['public domain (with DOI) for 5D002', [soft], 'public_domain', '10.5281/zenodo.123456', false],
    ['basic research for 5E002', [tech], 'basic_scientific_research', undefined, false],
    ['basic research for 5D002 beside 5E002', [soft, tech], 'basic_scientific_research', undefined, true],
  ] as const)('%s → refused: %s', (_s, items, exemption, evidence, refused) => {
    const a = assessment({ items: [...items], exemptions: [{ exemption, applies: true, reasoning: 'Fundamental.', ...(evidence ? { evidence } : {}) }] });
    if (refused) {
      expect(fields(a)).toContain('exemptions');
      expect(messages(a)).toMatch(/General Software Note/);
      expect(fields(a)).toContain('outcome'); // 5D002 stays controlled
    } else {
      expect(fields(a)).toEqual([]);
    }
  });
});

describe('rule 3: an OGEL is refused with an end-use concern or an excluded destination; references recorded', () => {
  const item = (destinationCountry: string) => ({ description: 'Crypto know-how', kind: 'technology' as const, destinationCountry, controlEntry: '5E002' });
  const eu = 'Export of Dual-Use Items to EU Member States';
  it.each([
    ['EU OGEL to France, registered', { items: [item('FR')], ogelName: eu, ogelRegistrationReference: 'GBOGE2026/00012' }, []],
    [
      'EU OGEL with a WMD concern',
      { items: [item('FR')], ogelName: eu, ogelRegistrationReference: 'R1', endUseConcern: { concern: true, kind: 'wmd' as const } },
      ['outcome'],
    ],
    ['EU OGEL to the US (not a member state)', { items: [item('US')], ogelName: eu, ogelRegistrationReference: 'R1' }, ['items[0].destinationCountry']],
    [
      'an OGEL to Russia (trade sanctions)',
      { items: [item('RU')], ogelName: 'Cryptographic Development', ogelRegistrationReference: 'R1' },
      ['items[0].destinationCountry'],
    ],
    [
      'a military OGEL to China (arms embargo)',
      { items: [item('CN')], ogelName: 'Software and Source Code for Military Goods', ogelRegistrationReference: 'R1' },
      ['items[0].destinationCountry'],
    ],
    [
      'the revoked "Technology for Dual-Use Items" OGEL',
      { items: [item('FR')], ogelName: 'Technology for Dual-Use Items', ogelRegistrationReference: 'R1' },
      ['ogelName'],
    ],
    [
      'shared in the UK only: no destination to exclude',
      { items: [{ ...item('GB'), foreignNationalInUk: true }], ogelName: eu, ogelRegistrationReference: 'R1' },
      [],
    ],
  ])('%s → %j', (_s, over, expected) => {
    expect(fields(assessment({ outcome: 'ogel', ...over }))).toEqual(expected);
  });

  it.each([
    [
      'a SIEL with reference, dates and conditions',
      { type: 'siel' as const, reference: 'GBSIEL/2026/1', grantedOn: '2026-01-01', expiresOn: '2028-01-01', conditions: 'No re-export.' },
      [],
    ],
    [
      'an OIEL expiring before its grant',
      { type: 'oiel' as const, reference: 'GBOIEL/2026/1', grantedOn: '2026-01-01', expiresOn: '2025-01-01', conditions: 'none' },
      ['licence.expiresOn'],
    ],
  ])('%s → %j', (_s, licence, expected) => {
    expect(fields(assessment({ outcome: 'licence_granted', items: [item('CN')], licence }))).toEqual(expected);
  });
});

describe('rule 4: Hong Kong and Macao are in the China arms embargo; lists and OGELs are sourced data', () => {
  it.each(['CN', 'HK', 'MO'])('a partner in %s scores on the arms embargo list', (country) => {
    const r = assessRisk({ ...v2, partners: [{ name: 'Partner', country, type: 'university' }] });
    expect(r.factors.find((f) => f.factor === 'country')).toMatchObject({ score: 3, reasons: [expect.stringContaining('the UK arms embargo list')] });
  });

  it('a military partner in Hong Kong is a hard flag like one in mainland China', () => {
    expect(assessRisk({ ...v2, partners: [{ name: 'HK Garrison Lab', country: 'HK', type: 'military_or_defence' }] }).hardFlags.map((h) => h.code)).toEqual([
      'military_embargoed',
    ]);
  });

  it('every country list has a kind, a source and an as-of date; every OGEL has a source and an as-of date', () => {
    for (const list of Object.values(RISK_CONFIG.countries)) {
      expect(list).toMatchObject({ kind: expect.any(String), source: expect.stringMatching(/\S/), asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    }
    expect(RISK_CONFIG.countries.armsEmbargo.source).toContain(LEGAL_SOURCES.chinaArmsEmbargo.url);
    for (const o of OGELS) expect(o).toMatchObject({ source: expect.stringContaining('gov.uk'), asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it('the revoked "Technology for Dual-Use Items" OGEL is no longer offered', () => {
    expect(OGEL_NAMES).not.toContain('Technology for Dual-Use Items');
  });
});

describe('rule 5: sharing in the UK with a foreign national is not an export; only the WMD end-use control applies', () => {
  const inUk = {
    description: 'Radar know-how shown to a visiting researcher',
    kind: 'technology' as const,
    destinationCountry: 'GB',
    foreignNationalInUk: true,
    controlEntry: '6E001',
  };
  it.each([
    ['listed technology to a foreign national in the UK, no concern', { items: [inUk] }, []],
    ['listed technology to someone in the UK (GB), no concern', { items: [{ ...inUk, foreignNationalInUk: false }] }, []],
    ['the same abroad', { items: [{ ...inUk, destinationCountry: 'IN', foreignNationalInUk: false }] }, ['outcome']],
    ['in the UK with a WMD end-use concern', { items: [inUk], endUseConcern: { concern: true, kind: 'wmd' as const } }, ['outcome']],
    [
      'in the UK with a military-embargoed-destination concern (not an export)',
      { items: [inUk], endUseConcern: { concern: true, kind: 'military_embargoed_destination' as const } },
      [],
    ],
  ])('%s, "no licence required" → %j', (_s, over, expected) => {
    expect(fields(assessment(over))).toEqual(expected);
  });
});

describe('rule 6: Military List and PL exemptions per list family, with the note and ECJU advice where in doubt', () => {
  const it6 = (controlEntry: string, kind: 'technology' | 'software' | 'goods' = 'technology') => ({
    description: 'x',
    kind,
    destinationCountry: 'US',
    controlEntry,
  });
  const pd = { exemption: 'public_domain' as const, applies: true, reasoning: 'Published.', evidence: 'https://doi.org/10.1000/182' };
  const bsr = { exemption: 'basic_scientific_research' as const, applies: true, reasoning: 'Fundamental.' };
  it.each([
    ['ML22 technology in the public domain (ML22 Note 2)', { items: [it6('ML22')], exemptions: [pd] }, []],
    ['ML22 basic scientific research (ML22 Note 2)', { items: [it6('ML22')], exemptions: [bsr] }, []],
    ['ML10 goods under basic research', { items: [it6('ML10', 'goods')], exemptions: [bsr] }, ['exemptions', 'outcome']],
    ['ML21 software in the public domain, no ECJU advice', { items: [it6('ML21', 'software')], exemptions: [pd] }, ['ecjuAdviceReference', 'outcome']],
    ['ML21 software in the public domain, with ECJU advice', { items: [it6('ML21', 'software')], exemptions: [pd], ecjuAdviceReference: 'CLC/2026/0042' }, []],
    ['PL9014 quantum technology, basic research, no ECJU advice', { items: [it6('PL9014')], exemptions: [bsr] }, ['ecjuAdviceReference', 'outcome']],
    ['PL9014 quantum technology, basic research, with ECJU advice', { items: [it6('PL9014')], exemptions: [bsr], ecjuAdviceReference: 'CLC/2026/0043' }, []],
    ['PL5001 goods', { items: [it6('PL5001', 'goods')], exemptions: [bsr], ecjuAdviceReference: 'CLC/1' }, ['exemptions', 'outcome']],
  ])('%s → %j', (_s, over, expected) => {
    expect(fields(assessment(over))).toEqual(expected);
  });

  it.each([
    ['ML22', 'ml22', /ML22 Note 2/],
    ['ML21', 'ml21', /ECJU/],
    ['ML4', 'military_goods', /never goods/],
    ['PL9013', 'uk_national', /Schedule 3/],
    ['5D002', 'dual_use_software', /General Software Note/],
    ['5E002', 'dual_use_technology', /General Technology Note/],
  ])('%s shows the officer the note of its family (%s)', (code, family, note) => {
    const rule = exemptionRuleFor(entry(code));
    expect(rule.family).toBe(family);
    expect(rule.note).toMatch(note);
  });

  it.each(['PL9013', 'PL9014', 'PL9015'])('%s (2024) is in the reference data', (code) => {
    expect(entry(code).title).not.toBe('UK national control entry');
  });
});

describe('rule 7: Russia, Belarus and Iran trade sanctions reach technology and technical assistance, not only shipments', () => {
  it.each([
    ['a Russian state university, nothing shipped', 'RU', 'Lomonosov Moscow State University'],
    ['a Belarusian state university, nothing shipped', 'BY', 'Belarusian State University'],
    ['an Iranian university, nothing shipped', 'IR', 'Sharif University of Technology'],
  ])('%s → not low, flagged, reason given', (_s, country, name) => {
    const r = assessRisk({ ...v2, partners: [{ name, country, type: 'university' }], exportsFromUk: [] });
    expect(r.level).not.toBe('low');
    expect(r.hardFlags.map((h) => h.code)).toContain('trade_sanctions_destination');
    const reason = r.hardFlags.find((h) => h.code === 'trade_sanctions_destination')!.reason;
    expect(reason).toMatch(/unlisted technology and technical assistance/);
    expect(reason).toMatch(/50 %/);
    expect(r.exportIndicator).toBe(true);
  });

  it('a parent organisation is named for the ownership check', () => {
    const r = assessRisk({ ...v2, partners: [{ name: 'X LLC', country: 'RU', type: 'company', parentOrganisation: 'Rostec' }] });
    expect(r.hardFlags.find((h) => h.code === 'trade_sanctions_destination')!.reason).toContain('check the owner, Rostec');
  });
});

describe('rule 8: a regime against named persons does not score like a comprehensive embargo', () => {
  const country = (c: string) =>
    assessRisk({ ...v2, partners: [{ name: 'Partner', country: c, type: 'university' }] }).factors.find((f) => f.factor === 'country')!;
  it.each([
    ['Russia (trade sanctions and arms embargo)', 'RU', 3],
    ['Mali (named persons only)', 'ML', 2],
    ['Nicaragua (named persons only)', 'NI', 2],
    ['Guinea (named persons only)', 'GN', 2],
  ])('%s scores %i on country', (_s, c, score) => {
    expect(country(c).score).toBe(score);
  });

  it('keeps the lists separate by kind', () => {
    const { tradeSanctions, targetedSanctions } = RISK_CONFIG.countries;
    expect(tradeSanctions.kind).toBe('trade_sanctions');
    expect(targetedSanctions.kind).toBe('targeted_sanctions');
    expect(tradeSanctions.countries.filter((c) => targetedSanctions.countries.includes(c))).toEqual([]);
  });
});

describe('questionnaire v3', () => {
  it('asks the new questions, and v3 answers need them at submit', () => {
    const ids = QUESTIONNAIRE_V3.sections.flatMap((s) => s.questions.map((q) => q.id));
    expect(ids).toEqual(
      expect.arrayContaining([
        'partnerGains',
        'dataStorage',
        'dataSharingChannel',
        'personalDataLeavesUk',
        'personalDataTransferMechanism',
        'techTransferOfficeInvolved',
        'funders',
        'firsConnection',
        'firsRegistrationReference',
      ]),
    );
    expect(questionnaireVersionOf(v3)).toBe(3);
    expect(missingFields('T', v3)).toEqual([]);
    const { partnerGains: _p, funders: _f, ...partial } = v3;
    expect(missingFields('T', { ...partial, firsConnection: 'no' }).map((p) => p.field)).toEqual(['partnerGains', 'funders']);
    expect(missingFields('T', { ...v3, personalDataLeavesUk: 'yes' }).map((p) => p.field)).toEqual(['personalDataTransferMechanism']);
  });

  it.each([
    ['a funder without a country', { funders: [{ name: 'Huawei', type: 'foreign_company' }] }, ['funders[0].country']],
    ['a funder of an unknown kind', { funders: [{ name: 'X', country: 'CN', type: 'rich' }] }, ['funders[0].type']],
    ['v2 "public_domain" on a v3 draft', { ...v3, publication: 'public_domain' }, ['publication']],
    ['a good v3 draft', v3, []],
  ])('answerProblems: %s → %j', (_s, answers, expected) => {
    expect(answerProblems(answers).map((p) => p.field)).toEqual(expected);
  });

  it('scores structured funders and the new data answers', () => {
    const r = assessRisk({
      ...v3,
      funders: [{ name: 'Defence Ministry', country: 'CN', type: 'defence' }],
      personalData: 'personal',
      personalDataLeavesUk: 'yes',
      personalDataTransferMechanism: 'none_yet',
      dataSharingChannel: 'personal_accounts',
    });
    const reasons = r.factors.flatMap((f) => f.reasons).join(' | ');
    expect(reasons).toContain('funder country on the UK arms embargo list: funder Defence Ministry (CN)');
    expect(reasons).toContain('funder Defence Ministry: defence');
    expect(reasons).toContain('personal data leaves the UK without a transfer mechanism in place');
  });

  it('each of the 17 NSI areas has a one-line description', () => {
    expect(NSI_AREA_OPTIONS).toHaveLength(17);
    for (const o of NSI_AREA_OPTIONS) expect(o.description).toMatch(/^[A-Z].{20,200}\.$/);
  });
});

describe('FIRS: a party connected to a specified power prompts registration, and approval waits', () => {
  it.each([
    ['a Russian partner', { ...v3, partners: [{ name: 'MSU', country: 'RU', type: 'university' }] }, true],
    ['an Iranian funder', { ...v3, funders: [{ name: 'Iran NSF', country: 'IR', type: 'foreign_government_civil' }] }, true],
    ['the researcher says a party is directed by a specified entity', { ...v3, firsConnection: 'yes' }, true],
    ['a Chinese partner (not in the enhanced tier)', { ...v3, partners: [{ name: 'Fudan', country: 'CN', type: 'university' }] }, false],
  ])('%s → required: %s', (_s, answers, required) => {
    expect(firsRequirement(answers as CaseAnswers).required).toBe(required);
  });

  const ru = { ...v3, partners: [{ name: 'MSU', country: 'RU', type: 'university' }] };
  it.each([
    ['nothing recorded', ru, null, /Foreign Influence Registration Scheme.*MSU \(RU\)/],
    ['the researcher gave the reference', { ...ru, firsRegistrationReference: 'FIRS-2026-0001' }, null, null],
    ['the officer recorded the reference', ru, { registrationReference: 'FIRS-2026-0002' }, null],
    ['the officer recorded why it does not apply', ru, { notApplicableReason: 'No arrangement with a specified person: open data exchange only.' }, null],
  ])('%s', (_s, answers, record, expected) => {
    const out = firsOutstanding(answers as CaseAnswers, record);
    if (expected) expect(out).toMatch(expected);
    else expect(out).toBeNull();
  });
});
