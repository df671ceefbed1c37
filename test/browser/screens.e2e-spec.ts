/**
 * The other screens, in Chromium against the real API: serving and SPA fallback,
 * drafts saved for later, withdrawing, the API's refusal sentence on a stale form,
 * queue paging and saved filters, and the admin screens. Each screen is checked with axe.
 */
import { CaseDriver } from '@app/testing';
import { checkScreen, DEMO, personPage, signIn, startWeb, tabTo, tabToText, WebHarness } from './browser-kit';

jest.setTimeout(180_000);

describe('web UI screens', () => {
  let h: WebHarness;
  let d: CaseDriver;
  beforeAll(async () => {
    h = await startWeb();
    d = new CaseDriver(h.t);
  });
  afterAll(() => h?.close());

  it('answers an unknown address in the app with a page, not a blank screen', async () => {
    const { ctx, page } = await personPage(h);
    await page.goto('/no/such/page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await checkScreen(page);
    await ctx.close();
  });

  it('serves the app at / with a fallback for its routes, and leaves /api and /health to the API', async () => {
    const page = await h.t.http().get('/cases/mine');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    const api404 = await h.t.http().get('/api/no-such-thing');
    expect(api404.status).toBe(404);
    expect(api404.body.code).toBe('NOT_FOUND');
    const ui = await h.t.http().get('/api/ui-config');
    expect(ui.body).toMatchObject({ demo: true, demoPassword: 'demo1234' });
    expect(ui.body.demoAccounts.map((a: { email: string }) => a.email)).toContain(DEMO.officer);
  });

  it('a researcher saves a draft for later, finds it in my cases, and withdraws a submitted case', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.researcher2);
    await page.goto('/cases/new/topic/collaboration');
    await page.getByLabel('Title of the collaboration').fill('Catalysis with Lyon');
    await page.getByRole('button', { name: 'Save as draft and come back later' }).click();
    await page
      .getByRole('status')
      .getByText(/Your draft TR-\d{4}-\d{5} is saved/)
      .waitFor();
    await checkScreen(page);
    await page.getByRole('link', { name: /TR-/ }).first().click();
    await page.getByRole('region', { name: 'Draft' }).waitFor();
    await page.getByRole('link', { name: 'check your answers and submit' }).click();
    await page.getByText('The summary is missing').waitFor();
    expect(await page.getByRole('button', { name: 'Submit case' }).isDisabled()).toBe(true);
    await checkScreen(page);

    const c = await d.submitted(DEMO.researcher2);
    await page.goto(`/cases/${c.id}`);
    await page.getByRole('link', { name: 'Withdraw' }).click();
    await page.getByLabel(/^Reason/).fill('The partner pulled out.');
    await checkScreen(page);
    await page.getByRole('button', { name: 'Withdraw' }).click();
    await page.getByRole('status').getByText('Withdraw: done. The case is now withdrawn.').waitFor();
    await ctx.close();
  });

  it("shows the API's sentence when an action is refused, and keeps what was typed", async () => {
    const c = await d.submitted(DEMO.researcher);
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.officer2);
    // By keyboard alone: from the case page to the action's form.
    await page.goto(`/cases/${c.id}`);
    await page.getByRole('heading', { name: 'What you can do' }).waitFor();
    await tabToText(page, 'Request information');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Request information', level: 1 }).waitFor();
    await tabTo(page, 'action-request_information-question');
    await page.keyboard.type('Who else works on the project?');
    // A GOV.UK date input: day, month and year.
    const replyBy = page.getByRole('group', { name: 'Reply by', exact: true });
    await replyBy.getByLabel('Day').fill('1');
    await replyBy.getByLabel('Month').fill('2');
    await replyBy.getByLabel('Year').fill('2027');
    // Someone else changes the case meanwhile: the form's expectedVersion is now stale.
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await h.t.userId(DEMO.officer) });
    await page.getByRole('button', { name: 'Request information' }).click();
    await page
      .getByRole('alert')
      .getByText(/The case changed since you loaded it/)
      .waitFor();
    expect(await page.getByLabel('Question').inputValue()).toBe('Who else works on the project?');
    await checkScreen(page, '15-action-refused');
    await ctx.close();
  });

  it('moves focus to a new page’s heading as it appears, never later, so typing into a field is not cut off', async () => {
    // The Layout moves focus to the h1 after a client-side navigation. It used to look for the
    // heading every 50 ms: a user (or the test above) who reached a field in between lost every
    // keystroke after the first when the late focus move came.
    const c = await d.submitted(DEMO.researcher);
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.officer2);
    // The page's timers run only when the test says (Playwright's clock): the user is faster than any poll.
    await page.clock.install();
    await page.goto(`/cases/${c.id}`);
    const link = page.getByRole('link', { name: 'Request information' });
    await link.waitFor();
    await page.clock.pauseAt(Date.now() + 1000);
    await link.click();
    const heading = page.getByRole('heading', { name: 'Request information', level: 1 });
    await heading.waitFor();
    expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true);
    const question = page.getByLabel('Question');
    await question.focus();
    await page.keyboard.type('Who else');
    await page.clock.runFor(2500);
    await page.keyboard.type(' works on the project?');
    expect(await question.inputValue()).toBe('Who else works on the project?');
    await ctx.close();
  });

  it("lists an action that is blocked now with the API's sentence, instead of hiding it", async () => {
    const c = await d.triaged(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'flag', { reason: 'Partner to check against the entity list', blocking: true });
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.officer);
    await page.goto(`/cases/${c.id}`);
    await page.getByRole('heading', { name: 'Not possible yet' }).waitFor();
    const blocked = await page.locator('.tr-blocked-actions').textContent();
    expect(blocked).toMatch(/Approve: The case has 1 open blocking flag/);
    expect(await page.locator('.tr-actions').getByRole('link', { name: 'Approve', exact: true }).count()).toBe(0);
    await checkScreen(page, '16-blocked-actions');
    await ctx.close();
  });

  it('pages the officer queue by keyset and keeps saved filters', async () => {
    for (let i = 0; i < 3; i++) await d.submitted(DEMO.researcher2);
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.officer);
    await page.goto('/queue?view=unassigned&limit=2');
    const refs = async () => page.locator('tbody a.govuk-link').allInnerTexts();
    await page.locator('tbody a.govuk-link').first().waitFor();
    const first = await refs();
    expect(first).toHaveLength(2);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('button', { name: 'Previous page' }).waitFor();
    await page.locator('tbody a.govuk-link').first().waitFor();
    const second = await refs();
    expect(second.some((r) => first.includes(r))).toBe(false);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('button', { name: 'Previous page' }).waitFor({ state: 'detached' });
    // The button goes as the cursor is dropped, before the first page's rows are back.
    await page.locator('tbody a.govuk-link').first().waitFor();
    expect(await refs()).toEqual(first);

    await page.getByLabel('Save the current filter as').fill('Unassigned, two a page');
    await page.getByRole('button', { name: 'Save filter' }).click();
    await page.getByRole('status').getByText('Filter "Unassigned, two a page" saved.').waitFor();
    await page.goto('/queue');
    await page.getByRole('link', { name: 'Unassigned, two a page' }).click();
    await page.waitForURL(/view=unassigned/);
    await checkScreen(page);
    await ctx.close();
  });

  it('an administrator manages users, roles and department heads', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.admin);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await checkScreen(page, '16-admin-users');
    await page.getByLabel('Email address').fill('new.officer@example.ac.uk');
    await page.getByLabel('Full name').fill('Nadia Lewis');
    await page.getByRole('group', { name: 'Roles' }).getByLabel('Researcher').uncheck();
    await page.getByRole('group', { name: 'Roles' }).getByLabel('RSDO officer').check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('status').getByText('Nadia Lewis is invited').waitFor();
    // The API's refusal: the same email again.
    await page.getByLabel('Email address').fill('new.officer@example.ac.uk');
    await page.getByLabel('Full name').fill('Nadia Lewis');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('alert').getByText('A user with the email address new.officer@example.ac.uk already exists.').waitFor();

    await page.getByRole('link', { name: 'Nadia Lewis' }).click();
    await page.getByRole('group', { name: 'Roles' }).getByLabel('Export-control officer').check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('status').getByText('Roles saved.').waitFor();
    await checkScreen(page);

    await page.getByRole('link', { name: 'Departments' }).click();
    await page.getByRole('heading', { name: 'Departments and heads' }).waitFor();
    await checkScreen(page, '17-admin-departments');
    await page.getByLabel('Code').fill('MATH');
    await page.getByLabel('Name', { exact: true }).fill('Mathematics');
    await page.getByRole('button', { name: 'Add department' }).click();
    await page.getByRole('status').getByText('Mathematics is added.').waitFor();
    await page.getByLabel('Head of Mathematics').selectOption({ label: 'Rosalind Price (researcher@example.ac.uk)' });
    await page.getByRole('button', { name: 'Save head of Mathematics' }).click();
    await page.getByRole('status').getByText('The head of Mathematics is saved.').waitFor();
    await ctx.close();
  });
});
