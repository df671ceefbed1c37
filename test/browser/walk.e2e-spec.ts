/**
 * The product's main journey, in Chromium against the real API, PostgreSQL and Redis:
 * a researcher submits, an officer triages and asks for information, the researcher
 * answers, export control reviews, the officer asks for sign-off with a proposed
 * decision, the head endorses, and the case shows approved with its conditions.
 * Every screen is checked with axe-core (no serious or critical violations), and the
 * main ones are saved to docs/screenshots for the README. The worker runs beside the
 * API and each step's emails are checked in the SMTP sink; the link in an email opens
 * the case in the web app.
 */
import { Page } from 'playwright-core';
import { checkScreen, DEMO, personPage, signIn, startWeb, tabTo, WebHarness } from './browser-kit';

jest.setTimeout(240_000);

describe('web UI: the walk from draft to approved', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWeb({ mail: true });
  });
  afterAll(() => h?.close());

  const success = (page: Page, text: RegExp | string) => page.getByRole('status').filter({ hasText: text }).first().waitFor();
  /** Waits for the email `subject` of case `ref` to reach `to`; returns it. */
  const mail = async (ref: string, to: string, subject: string) => {
    const find = () => h.sink!.to(to).find((m) => m.subject === `[${ref}] ${subject}`);
    await h.sink!.waitFor(() => !!find(), 20_000, `"${subject}" to ${to}`);
    return find()!;
  };
  /** GOV.UK date input: day, month and year boxes in the group named `label`. */
  const fillDate = async (page: Page, label: string | RegExp, iso: string) => {
    const [y, m, dd] = iso.split('-');
    const group = page.getByRole('group', { name: label, exact: typeof label === 'string' ? true : undefined }).last();
    await group.getByLabel('Day').fill(String(Number(dd)));
    await group.getByLabel('Month').fill(String(Number(m)));
    await group.getByLabel('Year').fill(y);
  };
  const choose = (page: Page, question: string, option: string) =>
    page.getByRole('group', { name: question, exact: true }).getByLabel(option, { exact: true }).check();
  const stateShown = async (page: Page, label: string) => {
    await page.locator('.govuk-summary-list__row', { hasText: 'State' }).first().getByText(label, { exact: true }).waitFor();
  };

  it('a researcher submits, the office triages and asks, export control reviews, the head endorses: approved with conditions', async () => {
    // ---- Researcher: sign in with the keyboard only, then the new-case flow.
    const r = await personPage(h);
    await r.page.goto('/');
    await r.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await r.page.getByRole('heading', { name: 'Demo accounts' }).waitFor();
    await checkScreen(r.page, '01-sign-in');
    await tabTo(r.page, 'email');
    await r.page.keyboard.type(DEMO.researcher);
    await r.page.keyboard.press('Tab');
    await r.page.keyboard.type('demo1234');
    await r.page.keyboard.press('Enter');
    await r.page.getByRole('heading', { name: 'My cases' }).waitFor();
    await checkScreen(r.page, '02-my-cases');

    await r.page.getByRole('button', { name: 'Start a new case' }).click();
    await r.page.getByRole('heading', { name: 'Tell us about an international collaboration' }).waitFor();
    await checkScreen(r.page);
    await r.page.getByRole('button', { name: 'Start now' }).click();
    // The pages are the API's questionnaire (GET /api/questionnaires/:version), current version.
    await r.page.getByRole('heading', { name: 'The collaboration', level: 1 }).waitFor();
    await r.page.getByText('Section 1 of 8').waitFor();
    // Nothing is lost when a page fails validation.
    await r.page.getByLabel('Title of the collaboration').fill('Quantum sensors with Toronto');
    await r.page.getByRole('button', { name: 'Save and continue' }).click();
    await r.page.getByRole('alert').getByText('The summary is missing: describe the collaboration and what it involves.').waitFor();
    expect(await r.page.getByLabel('Title of the collaboration').inputValue()).toBe('Quantum sensors with Toronto');
    await checkScreen(r.page, '03-question-page-error');
    await r.page.getByLabel('Summary', { exact: true }).fill('Joint development of cold-atom magnetometers, with a shared lab notebook.');
    await r.page
      .getByText(/You have 9,9\d\d characters remaining/)
      .first()
      .waitFor();
    await r.page.getByRole('button', { name: 'Add a partner' }).click();
    await r.page.locator('#partners-0-name').fill('University of Toronto');
    // A picker of country names, never a two-letter box.
    await r.page.locator('#partners-0-country').selectOption({ label: 'Canada' });
    await r.page.locator('#partners-0-type').selectOption('university');
    await r.page.getByLabel('What the partner gains', { exact: true }).fill('Shared designs and co-authorship.');
    await r.page.getByLabel('International collaboration').check();
    await r.page.getByLabel('Quantum Technologies').check();
    await r.page.getByRole('group', { name: 'Kind of funder', exact: true }).getByLabel('UK public funder (UKRI, government department)').check();
    await r.page.getByLabel('Funding source', { exact: true }).fill('UKRI EPSRC EP/Y000001/1');
    await fillDate(r.page, 'Start date', '2027-01-04');
    await fillDate(r.page, 'End date (optional)', '2027-12-17');
    await r.page.getByRole('button', { name: 'Add a funder' }).click();
    await r.page.locator('#funders-0-name').fill('EPSRC');
    await r.page.locator('#funders-0-country').selectOption('GB');
    await r.page.locator('#funders-0-type').selectOption('uk_public');
    await checkScreen(r.page, '04-partners');
    await r.page.getByRole('button', { name: 'Save and continue' }).click();

    await r.page.getByRole('heading', { name: 'Technology', level: 1 }).waitFor();
    await r.page.getByText('Why we ask').first().click();
    await choose(r.page, 'How close to application', 'Basic research: fundamental principles, no practical aim yet');
    await choose(r.page, 'Publication of results', 'Will be published openly (not yet published)');
    await r.page.getByLabel('Technical data or know-how').check();
    await checkScreen(r.page);
    await r.page.getByRole('button', { name: 'Save and continue' }).click();

    await r.page.getByRole('heading', { name: 'Data and intellectual property', level: 1 }).waitFor();
    await choose(r.page, 'Personal data', 'No personal data');
    await choose(r.page, 'Who owns the results', 'Jointly');
    await choose(r.page, 'Commercial exploitation', 'No commercial exploitation planned');
    await choose(r.page, 'Partner access to our systems or labs', 'No access');
    await choose(r.page, 'Where project data is stored', "The university's own systems (in the UK)");
    await choose(r.page, 'How data is shared with the partner', 'A university-managed file-sharing or collaboration platform');
    await choose(r.page, 'Does personal data leave the UK?', 'No');
    await choose(r.page, 'Is the technology-transfer office involved?', 'No');
    await r.page.getByRole('button', { name: 'Save and continue' }).click();

    // The NPSA checklist: yes / no / unsure, with a comment when not "no".
    await r.page.getByRole('heading', { name: 'Partner suitability', level: 1 }).waitFor();
    await r.page.locator('#checklist-ps_state_links-3').check();
    await r.page.getByLabel('Explain your answer').fill('The partner has a government lab; we will check.');
    for (const no of await r.page.locator('input[type=radio][value="no"]').all())
      if (!(await no.getAttribute('id'))!.startsWith('checklist-ps_state_links')) await no.check();
    await r.page.locator('#redFlags-none').check();
    await checkScreen(r.page);
    await r.page.getByRole('button', { name: 'Save and continue' }).click();
    for (const section of ['Information and knowledge sharing', 'Protecting intellectual assets', 'Researcher safety', 'Foreign influence registration']) {
      await r.page.getByRole('heading', { name: section, level: 1 }).waitFor();
      for (const no of await r.page.locator('input[type=radio][value="no"]').all()) await no.check();
      await r.page.getByRole('button', { name: 'Save and continue' }).click();
    }

    await r.page.getByRole('heading', { name: 'Check your answers before submitting' }).waitFor();
    await r.page.getByText('University of Toronto, Canada, University').waitFor();
    await checkScreen(r.page, '05-check-answers');
    const reference = (await r.page.locator('.govuk-caption-l').innerText()).trim();
    expect(reference).toMatch(/^TR-\d{4}-\d{5}$/);
    await r.page.getByRole('button', { name: 'Submit case' }).click();
    await success(r.page, `Case ${reference} submitted`);
    await stateShown(r.page, 'Submitted');
    const caseUrl = new URL(r.page.url()).pathname;
    // A case made in the browser answers the current questionnaire, checklist included.
    const submitted = (
      await h.t
        .http()
        .get(`/api/cases/${caseUrl.split('/').pop()}`)
        .set('Authorization', `Bearer ${await h.t.token(DEMO.researcher)}`)
    ).body;
    expect(submitted.questionnaireVersion).toBe(3);
    expect(Object.keys(submitted.answers.checklist).length).toBe(15);
    expect(submitted.answers.checklist.ps_state_links).toEqual({ answer: 'unsure', comment: 'The partner has a government lab; we will check.' });
    await checkScreen(r.page, '06-case-submitted-researcher');
    const received = await mail(reference, DEMO.researcher, 'We have received your case');
    await mail(reference, DEMO.officer, 'New case to triage');
    await mail(reference, DEMO.officer2, 'New case to triage');
    // The email's link is the web app's own address for the case.
    expect(received.text).toContain(`${h.t.config.publicUrl}${caseUrl}`);

    // ---- Officer: find it in the queue, assign, triage, ask for information.
    const o = await personPage(h);
    await signIn(o.page, DEMO.officer);
    await o.page.getByRole('heading', { name: 'Work queue' }).waitFor();
    await o.page.getByRole('link', { name: 'Unassigned' }).click();
    await o.page.getByLabel('Search').fill(reference);
    await o.page.getByRole('button', { name: 'Apply filters' }).click();
    await o.page.getByRole('link', { name: reference }).waitFor();
    await checkScreen(o.page, '07-officer-queue');
    await o.page.getByRole('link', { name: reference }).click();
    await o.page.getByRole('heading', { name: 'Quantum sensors with Toronto' }).waitFor();
    // The computed risk assessment, as the API sends it (riskAssessment): tier, factors with reasons, rules version.
    await o.page.getByRole('heading', { name: 'Risk assessment' }).waitFor();
    expect(await o.page.getByRole('table').filter({ hasText: 'Factors that scored' }).getByRole('row').count()).toBeGreaterThan(1);
    expect(await o.page.locator('.tr-risk-panel').textContent()).toMatch(/Rules version/);

    await o.page.getByRole('link', { name: 'Assign officer' }).click();
    await o.page.getByLabel('Officer').selectOption({ label: 'Me (Olivia Grant)' });
    await o.page.getByRole('button', { name: 'Assign officer' }).click();
    await success(o.page, 'Assign officer: done');

    await o.page.getByRole('link', { name: 'Triage', exact: true }).click();
    // The API's refusal is shown as its own sentence and the form keeps what was typed.
    await o.page.getByRole('group', { name: 'Risk level' }).getByLabel('Medium').check();
    await o.page
      .getByRole('group', { name: /Export control relevant/ })
      .getByLabel('Yes')
      .check();
    await o.page.getByRole('group', { name: /Route/ }).getByLabel('Export-control review, then sign-off').check();
    await checkScreen(o.page, '08-triage-form');
    await o.page.getByRole('button', { name: 'Triage' }).click();
    // The API's refusal names the comment: shown beside it, once, without the raw key.
    const commentError = o.page.locator('#action-triage-comment-error');
    await commentError.waitFor();
    expect(await commentError.textContent()).toMatch(/Explain why you set medium when the system proposed low\./);
    expect(await o.page.locator('main').textContent()).not.toMatch(/comment:/);
    await o.page.getByLabel(/^Comment/).fill('Quantum technologies and a state-links question to check: medium.');
    await o.page.getByRole('button', { name: 'Triage' }).click();
    await success(o.page, 'Triage: done');
    await stateShown(o.page, 'Triaged');

    await o.page.getByRole('link', { name: 'Request information' }).click();
    await o.page.getByRole('button', { name: 'Request information' }).click();
    await o.page.getByRole('alert').getByText('Enter the question').waitFor();
    await o.page.getByLabel('Question').fill('Will any magnetometer hardware be shipped to Toronto?');
    await fillDate(o.page, 'Reply by', '2027-01-01');
    await o.page.getByRole('button', { name: 'Request information' }).click();
    await success(o.page, 'Request information: done');
    await stateShown(o.page, 'Awaiting information');
    const asked = await mail(reference, DEMO.researcher, 'More information needed');

    // ---- Researcher answers, from the link in the email.
    const link = /https?:\/\/\S+\/cases\/[0-9a-f-]{36}/.exec(asked.text)![0];
    await r.page.goto(new URL(link).pathname);
    await r.page.getByRole('region', { name: 'Information requested' }).getByText('Will any magnetometer hardware be shipped to Toronto?').waitFor();
    await checkScreen(r.page, '09-information-requested');
    await r.page.getByRole('button', { name: 'Answer the request' }).click();
    await r.page.getByLabel('Message').fill('No hardware: only designs, which are already published. The grant number was wrong.');
    // Answering by changing an answer: the officer sees it as before and after.
    await r.page.getByLabel('Which answer changes?').selectOption({ label: 'Funding source' });
    await r.page.getByLabel('New answer: Funding source').fill('UKRI EPSRC EP/Y000002/1');
    await checkScreen(r.page);
    await r.page.getByRole('button', { name: 'Respond to request' }).click();
    await success(r.page, 'Respond to request: done');
    await stateShown(r.page, 'Triaged');
    await mail(reference, DEMO.officer, 'The researcher has responded');

    // ---- Officer sends it to export control (no staff directory in the API yet: the reviewer is named by user id).
    await o.page.goto(caseUrl);
    const diff = o.page.locator('.tr-answer-diff');
    await diff.getByRole('row', { name: /Funding source/ }).waitFor();
    expect(await diff.getByRole('row', { name: /Funding source/ }).textContent()).toBe('Funding sourceUKRI EPSRC EP/Y000001/1UKRI EPSRC EP/Y000002/1');
    await o.page.getByRole('link', { name: 'Send to export control' }).click();
    // Picked by name from the staff directory, not by a pasted user id.
    const reviewer = o.page.getByLabel('Reviewer').locator('option', { hasText: DEMO.exportOfficer });
    expect(await reviewer.textContent()).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \(export@example\.ac\.uk\)$/);
    await o.page.getByLabel('Reviewer').selectOption({ label: (await reviewer.textContent())! });
    await o.page.getByRole('button', { name: 'Send to export control' }).click();
    await success(o.page, 'Send to export control: done');
    await stateShown(o.page, 'Export-control review');

    // ---- Export-control officer records the assessment.
    const x = await personPage(h);
    await signIn(x.page, DEMO.exportOfficer);
    await x.page.goto(caseUrl);
    await x.page.getByRole('link', { name: 'Complete export-control review' }).click();
    await x.page.getByLabel('Assessment', { exact: true }).fill('Magnetometer design data is 6E001 technology; a SIEL was granted.');
    await x.page.getByRole('button', { name: 'Add an item' }).click();
    await x.page.getByLabel('Description', { exact: true }).fill('Magnetometer designs');
    await x.page.locator('#action-complete_export_review-items-0-destinationCountry').selectOption({ label: 'Canada' });
    await x.page.locator('#action-complete_export_review-items-0-controlEntry').fill('6E001');
    // Seven outcomes: the form draws a select rather than radios.
    await x.page.getByLabel('Outcome', { exact: true }).selectOption({ label: 'Licence granted' });
    const licence = x.page.locator('#action-complete_export_review-licence');
    await licence.getByLabel(/^Standard individual export licence/).check();
    await licence.getByLabel(/^Reference/).fill('GBSIEL/2027/0001234');
    await fillDate(x.page, /^Granted on/, '2027-01-04');
    // The outcome's conditions (the action schema's if/then, which the API validates with) mark what a
    // granted licence needs as required; what it does not need stays optional.
    const licenceText = await licence.textContent();
    expect(licenceText).not.toMatch(/(Licence type|Reference|Granted on|Expires on|Licence conditions) \(optional\)/);
    expect(licenceText).toMatch(/Applied on \(optional\)/);
    await x.page.getByRole('button', { name: 'Complete export-control review' }).click();
    // The form asks for the missing licence fields before sending: each is shown once, beside its field, without raw keys.
    const expiresError = x.page.locator('#action-complete_export_review-licence-expiresOn-error');
    await expiresError.waitFor();
    expect(await expiresError.textContent()).toMatch(/Enter the expires on/);
    expect(await x.page.locator('main').textContent()).not.toMatch(/licence\.expiresOn/);
    await fillDate(x.page, /^Expires on/, '2029-01-04');
    await licence.getByLabel(/^Licence conditions/).fill('End user undertaking on file.');
    await checkScreen(x.page, '10-export-assessment');
    await x.page.getByRole('button', { name: 'Complete export-control review' }).click();
    await success(x.page, 'Complete export-control review: done');
    await stateShown(x.page, 'Triaged');
    // The assessment is shown in full, its outcome in the domain's words, the expiry as "4 January 2029".
    await x.page.getByRole('heading', { name: 'Export-control assessment' }).waitFor();
    expect(await x.page.locator('main').textContent()).toContain('Licence granted');
    expect(await x.page.locator('main').textContent()).toContain('expires 4 January 2029');

    // ---- Officer proposes the decision with a condition.
    await o.page.goto(caseUrl);
    await o.page.getByRole('link', { name: 'Request head sign-off' }).click();
    await o.page.getByLabel('Decision').fill('Approved, with a technology control plan.');
    await o.page.getByRole('button', { name: 'Add a condition' }).click();
    await o.page.getByLabel(/^Condition/).fill('Technology control plan agreed with the RSDO');
    await fillDate(o.page, /^Due date/, '2027-03-01');
    await fillDate(o.page, /^Review date/, '2027-11-01');
    await checkScreen(o.page, '11-request-sign-off');
    await o.page.getByRole('button', { name: 'Request head sign-off' }).click();
    await success(o.page, 'Request head sign-off: done');
    await stateShown(o.page, 'Head of department sign-off');
    await mail(reference, DEMO.headPhysics, 'Sign-off requested');

    // ---- The head of Physics signs off from their queue.
    const hd = await personPage(h);
    await signIn(hd.page, DEMO.headPhysics);
    await hd.page.getByRole('link', { name: 'Sign-off' }).click();
    await hd.page.getByRole('link', { name: reference }).waitFor();
    await checkScreen(hd.page, '12-sign-off-queue');
    await hd.page.getByRole('link', { name: reference }).click();
    await hd.page.getByRole('link', { name: 'Endorse' }).click();
    await hd.page.getByText('Technology control plan agreed with the RSDO').waitFor();
    await hd.page.getByLabel(/^Comment/).fill('Content with the plan.');
    await hd.page.getByRole('button', { name: 'Endorse' }).click();
    await success(hd.page, 'Endorse: done');
    await stateShown(hd.page, 'Approved');
    await mail(reference, DEMO.researcher, 'Case approved');
    await mail(reference, DEMO.officer, 'Case approved');

    // ---- Everyone sees it approved, with its conditions.
    await r.page.goto(caseUrl);
    await stateShown(r.page, 'Approved');
    await r.page.locator('.govuk-summary-list__row', { hasText: 'Outcome' }).getByText('Approved with conditions').waitFor();
    await r.page.getByRole('heading', { name: 'Decision' }).waitFor();
    await r.page.getByText('Technology control plan agreed with the RSDO').first().waitFor();
    await checkScreen(r.page, '13-case-approved');
    await o.page.goto(caseUrl);
    await stateShown(o.page, 'Approved');
    await checkScreen(o.page, '14-case-approved-officer');

    await Promise.all([r.ctx.close(), o.ctx.close(), x.ctx.close(), hd.ctx.close()]);
  });
});
