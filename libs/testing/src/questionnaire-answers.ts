import { allQuestions, QUESTIONNAIRE_V3 } from '@app/domain';

/** Every checklist question of questionnaire v3, answered "no". */
export const V3_CHECKLIST: Record<string, { answer: string; comment?: string }> = Object.fromEntries(
  allQuestions(QUESTIONNAIRE_V3)
    .filter((q) => q.checklist)
    .map((q) => [q.id, { answer: 'no' }]),
);

/**
 * Complete questionnaire v3 answers (the version that names funders) for a low-risk
 * collaboration with a Canadian university, overridable field by field.
 */
export function completeAnswersV3(over: Record<string, unknown> = {}) {
  return {
    summary: 'Joint research.',
    partners: [{ name: 'University of Waterloo', country: 'CA', type: 'university' }],
    partnerGains: 'Co-authorship of papers.',
    activityTypes: ['international_collaboration'],
    sensitiveAreas: [],
    fundingSource: 'EPSRC',
    fundingType: 'uk_public',
    funders: [{ name: 'EPSRC', country: 'GB', type: 'uk_public' }],
    startDate: '2027-01-01',
    endDate: '2027-12-31',
    dataSharing: 'Results through the university platform.',
    people: 'Two researchers.',
    technologyReadiness: 'applied_research',
    publication: 'will_be_published',
    exportsFromUk: [],
    personalData: 'none',
    resultsOwnership: 'university',
    commercialExploitation: 'none',
    partnerAccess: 'none',
    dataStorage: 'university_systems',
    dataSharingChannel: 'university_platform',
    personalDataLeavesUk: 'no',
    techTransferOfficeInvolved: 'no',
    redFlags: [],
    firsConnection: 'no',
    checklist: V3_CHECKLIST,
    ...over,
  };
}
