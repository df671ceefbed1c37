import { allQuestions, QUESTIONNAIRE_V3 } from '@app/domain';
import { completeAnswers } from './case-factory';

/** Every checklist question of questionnaire v3, answered "no". */
export const V3_CHECKLIST: Record<string, { answer: string; comment?: string }> = Object.fromEntries(
  allQuestions(QUESTIONNAIRE_V3)
    .filter((q) => q.checklist)
    .map((q) => [q.id, { answer: 'no' }]),
);

/** Complete version-3 answers (the version that names funders): completeAnswers plus every v3 question, the checklist answered "no". */
export function completeV3Answers(overrides: Record<string, unknown> = {}) {
  return completeAnswers({
    partnerGains: 'Co-authorship of papers.',
    fundingType: 'uk_public',
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
    ...overrides,
  });
}

/** The same, for a low-risk collaboration with a Canadian university funded by EPSRC (named as a funder). */
export function completeAnswersV3(over: Record<string, unknown> = {}) {
  return completeV3Answers({
    summary: 'Joint research.',
    partners: [{ name: 'University of Waterloo', country: 'CA', type: 'university' }],
    fundingSource: 'EPSRC',
    funders: [{ name: 'EPSRC', country: 'GB', type: 'uk_public' }],
    dataSharing: 'Results through the university platform.',
    people: 'Two researchers.',
    ...over,
  });
}
