import { allQuestions, QUESTIONNAIRE_V3 } from '@app/domain';
import { TestApp } from './test-app';

/** Answers that pass the submit check; override what a test is about. */
export function completeAnswers(overrides: Record<string, unknown> = {}) {
  return {
    summary: 'Joint work on low-temperature superconducting thin films.',
    partners: [{ name: 'University of Toronto', country: 'CA', type: 'university' }],
    activityTypes: ['international_collaboration'],
    sensitiveAreas: [],
    fundingSource: 'UKRI EPSRC grant EP/X000001/1',
    startDate: '2027-01-01',
    endDate: '2027-12-31',
    dataSharing: 'Published results only.',
    people: 'Two postdocs visit for a month.',
    ...overrides,
  };
}

/** Complete version-3 answers (the version that names funders): every checklist question answered "no". */
export function completeV3Answers(overrides: Record<string, unknown> = {}) {
  const checklist = Object.fromEntries(
    allQuestions(QUESTIONNAIRE_V3)
      .filter((q) => q.checklist)
      .map((q) => [q.id, { answer: 'no' }]),
  );
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
    checklist,
    ...overrides,
  });
}

export const DEMO = {
  researcher: 'researcher@example.ac.uk',
  researcher2: 'researcher2@example.ac.uk',
  officer: 'officer@example.ac.uk',
  officer2: 'officer2@example.ac.uk',
  exportOfficer: 'export@example.ac.uk',
  headPhysics: 'head.physics@example.ac.uk',
  headChemistry: 'head.chemistry@example.ac.uk',
  lead: 'rsdo.lead@example.ac.uk',
  admin: 'admin@example.ac.uk',
} as const;

export class CaseDriver {
  constructor(private readonly t: TestApp) {}

  async draft(ownerEmail: string = DEMO.researcher, title = 'Superconducting films with Toronto', answers: Record<string, unknown> = completeAnswers()) {
    const res = await this.t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${await this.t.token(ownerEmail)}`)
      .send({ title, answers });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; reference: string; version: number; state: string };
  }

  act(email: string, caseId: string, action: string, body: Record<string, unknown> = {}) {
    return this.t.token(email).then((tok) => this.t.http().post(`/api/cases/${caseId}/actions/${action}`).set('Authorization', `Bearer ${tok}`).send(body));
  }

  /** Acts and insists on success, so a setup step cannot silently fail. */
  async ok(email: string, caseId: string, action: string, body: Record<string, unknown> = {}) {
    const res = await this.act(email, caseId, action, body);
    if (res.status !== 200) throw new Error(`${action} by ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async get(email: string, path: string) {
    return this.t
      .http()
      .get(path)
      .set('Authorization', `Bearer ${await this.t.token(email)}`);
  }

  /** A submitted case, owned by `owner`. */
  async submitted(owner: string = DEMO.researcher) {
    const c = await this.draft(owner);
    await this.ok(owner, c.id, 'submit');
    return c;
  }

  async triaged(owner: string = DEMO.researcher, triage: Record<string, unknown> = { riskLevel: 'low', exportControlRelevant: false }) {
    const c = await this.submitted(owner);
    await this.ok(DEMO.officer, c.id, 'triage', triage);
    return c;
  }
}
