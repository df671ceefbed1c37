import {
  allQuestions,
  CURRENT_QUESTIONNAIRE_VERSION,
  QUESTIONNAIRE_V1,
  QUESTIONNAIRE_V2,
  QUESTIONNAIRES,
  questionnaireVersionOf,
  renderAnswers,
} from './questionnaire-definition';
import { answerProblems, missingFields } from './questionnaire';

const v1Answers = {
  summary: 'Thin films.',
  partners: [{ name: 'University of Toronto', country: 'CA', type: 'university' }],
  activityTypes: ['international_collaboration'],
  sensitiveAreas: [],
  fundingSource: 'UKRI',
  startDate: '2027-01-01',
  dataSharing: 'Published results only.',
  people: 'Two postdocs.',
};

describe('questionnaire definitions', () => {
  it('keeps every version, each question with a why, and ids unique per version', () => {
    expect(Object.keys(QUESTIONNAIRES).map(Number)).toEqual([1, 2, 3]);
    expect(CURRENT_QUESTIONNAIRE_VERSION).toBe(3);
    for (const def of Object.values(QUESTIONNAIRES)) {
      const ids = allQuestions(def).map((q) => q.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const q of allQuestions(def)) expect(q.why).toMatch(/\.$/);
    }
  });

  it('groups the v2 checklist under the CPNI/NPSA headings as yes / no / unsure questions', () => {
    expect(QUESTIONNAIRE_V2.sections.map((s) => s.title)).toEqual(
      expect.arrayContaining(['Partner suitability', 'Information and knowledge sharing', 'Protecting intellectual assets', 'Researcher safety']),
    );
    expect(
      allQuestions(QUESTIONNAIRE_V2)
        .filter((q) => q.checklist)
        .every((q) => q.kind === 'yes_no_unsure'),
    ).toBe(true);
  });

  it('still renders a case answered under version 1 now that version 2 ships', () => {
    const sections = renderAnswers(QUESTIONNAIRES[1], v1Answers);
    expect(sections.map((s) => s.title)).toEqual(QUESTIONNAIRE_V1.sections.map((s) => s.title));
    const items = Object.fromEntries(sections.flatMap((s) => s.items).map((i) => [i.id, i.value]));
    expect(items).toMatchObject({
      summary: 'Thin films.',
      sensitiveAreas: 'None',
      dataSharing: 'Published results only.',
      activityTypes: 'International collaboration',
    });
    expect(items.partners).toBe('University of Toronto (CA, University)');
  });

  it('keeps answers a version does not know under "Other answers"', () => {
    const sections = renderAnswers(QUESTIONNAIRES[1], { ...v1Answers, fundingType: 'uk_public' });
    expect(sections[sections.length - 1]).toMatchObject({ id: 'other', items: [{ id: 'fundingType', value: 'uk_public' }] });
  });

  it('tells the version from the answers', () => {
    expect(questionnaireVersionOf(v1Answers)).toBe(1);
    expect(questionnaireVersionOf({ ...v1Answers, checklist: {} })).toBe(2);
  });

  it('asks every v2 question at submit with field-level messages, and accepts a complete v2 intake', () => {
    const problems = missingFields('T', { ...v1Answers, fundingType: 'uk_public' });
    const fields = problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['technologyReadiness', 'publication', 'exportsFromUk', 'checklist.ps_wmd_end_use', 'redFlags']));
    expect(fields).not.toContain('fundingType');
    for (const p of problems) expect(p.message).toMatch(/[.]$/);
    const checklist = Object.fromEntries(
      allQuestions(QUESTIONNAIRE_V2)
        .filter((q) => q.checklist)
        .map((q) => [q.id, { answer: 'no' as const }]),
    );
    const complete = {
      ...v1Answers,
      fundingType: 'uk_public',
      technologyReadiness: 'basic_research',
      publication: 'public_domain',
      exportsFromUk: [],
      personalData: 'none',
      resultsOwnership: 'university',
      commercialExploitation: 'none',
      partnerAccess: 'none',
      redFlags: [],
      checklist,
    };
    expect(answerProblems(complete)).toEqual([]);
    expect(missingFields('T', complete)).toEqual([]);
    const unsure = { ...complete, checklist: { ...checklist, ps_misuse: { answer: 'unsure' as const } } };
    expect(missingFields('T', unsure).map((p) => p.field)).toEqual(['checklist.ps_misuse.comment']);
  });

  it.each([
    ['an unknown choice', { publication: 'maybe' }, ['publication']],
    ['an unknown export item', { exportsFromUk: ['plutonium'] }, ['exportsFromUk[0]']],
    ['a bad control-list entry', { controlListCandidates: ['XYZ'] }, ['controlListCandidates[0]']],
    ['an unknown checklist question', { checklist: { favourite: { answer: 'yes' } } }, ['checklist.favourite']],
    ['a checklist answer that is not yes/no/unsure', { checklist: { ps_misuse: { answer: 'perhaps' } } }, ['checklist.ps_misuse.answer']],
    ['a negative amount', { fundingAmount: -1 }, ['fundingAmount']],
    ['a malformed person', { partners: [{ name: 'X', country: 'CN', type: 'company', individuals: [{ nom: 'Y' }] }] }, ['partners[0].individuals']],
  ])('reports %s', (_label, answers, fields) => {
    expect(answerProblems(answers).map((p) => p.field)).toEqual(fields);
  });
});
