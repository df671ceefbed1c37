/**
 * Approved is not forever, in Chromium against the real API: the case page draws the
 * action buttons from GET /api/cases/:id/actions, so an officer on an approved case sees
 * "Suspend approval", fills its schema-drawn form, and the RSDO lead then sees "Reinstate approval".
 */
import { CaseDriver } from '@app/testing';
import { checkScreen, DEMO, personPage, signIn, startWeb, WebHarness } from './browser-kit';

jest.setTimeout(180_000);

describe('web UI: suspending and reinstating an approval', () => {
  let h: WebHarness;
  let d: CaseDriver;
  beforeAll(async () => {
    h = await startWeb();
    d = new CaseDriver(h.t);
  });
  afterAll(() => h?.close());

  it('an officer suspends an approved case from its page; the researcher sees it suspended; the lead may reinstate', async () => {
    const c = await d.triaged(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'approve', { decisionText: 'Approved.' });

    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.officer);
    await page.goto(`/cases/${c.id}`);
    await page.getByRole('heading', { name: 'What you can do' }).waitFor();
    // Reinstating is the lead's alone: the officer is not offered it.
    expect(
      await page
        .getByRole('link', { name: 'Reinstate approval' })
        .or(page.getByRole('button', { name: 'Reinstate approval' }))
        .count(),
    ).toBe(0);
    await page
      .getByRole('link', { name: 'Suspend approval' })
      .or(page.getByRole('button', { name: 'Suspend approval' }))
      .first()
      .click();
    await page.getByRole('heading', { name: 'Suspend approval', level: 1 }).waitFor();
    await page.getByLabel('New designation of a partner').check();
    await page.getByLabel('Reason', { exact: true }).fill('The partner university was designated this morning.');
    await page.getByRole('button', { name: 'Suspend approval' }).click();
    await page.getByText('Suspended').first().waitFor();
    await checkScreen(page, '40-approval-suspended');
    await ctx.close();

    const state = (await d.get(DEMO.researcher, `/api/cases/${c.id}`)).body.state;
    expect(state).toBe('suspended');

    const lead = await personPage(h);
    await signIn(lead.page, DEMO.lead);
    await lead.page.goto(`/cases/${c.id}`);
    await lead.page.getByRole('heading', { name: 'What you can do' }).waitFor();
    expect(
      await lead.page
        .getByRole('link', { name: 'Reinstate approval' })
        .or(lead.page.getByRole('button', { name: 'Reinstate approval' }))
        .count(),
    ).toBeGreaterThan(0);
    await lead.ctx.close();
  });
});
