/**
 * The partner register in Chromium against the real API (issue 19): two cases with the
 * same partner reach one organisation page listing both; an officer sets a due-diligence
 * status there and uploads a document, which is virus-scanned (a private clamd) and then
 * downloads byte for byte; the case page shows the organisation and the precedent panel.
 */
import { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseDriver, completeAnswers, startClamd } from '@app/testing';
import { checkScreen, DEMO, personPage, signIn, startWeb, WebHarness } from './browser-kit';

jest.setTimeout(180_000);

describe('organisation page', () => {
  let h: WebHarness;
  let d: CaseDriver;
  const refs: string[] = [];
  let secondId = '';
  let dir = '';
  let clamd: ChildProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tr-org-page-'));
    const started = await startClamd(dir);
    clamd = started.proc;
    h = await startWeb({ env: { ATTACHMENTS_DIR: join(dir, 'store'), CLAMD_SOCKET: started.socket } });
    d = new CaseDriver(h.t);
    for (const name of ['Kestrel Optics GmbH', 'KESTREL OPTICS']) {
      const c = await d.draft(DEMO.researcher, `Optics with ${name}`, completeAnswers({ partners: [{ name, country: 'AT', type: 'company' }] }));
      await d.ok(DEMO.researcher, c.id, 'submit');
      refs.push(c.reference);
      secondId = c.id;
    }
  });
  afterAll(async () => {
    await h?.close();
    clamd?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists both cases on the one organisation, takes a due-diligence status, and links from the case page with its precedents', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.officer);
    await page.getByRole('link', { name: 'Organisations' }).click();
    await page.getByRole('heading', { name: 'Organisations', level: 1 }).waitFor();
    await page.getByLabel('Search by name, country or identifier').fill('kestrel');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByRole('table', { name: 'Organisations' }).getByRole('row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2); // header + one organisation for both spellings
    await page.getByRole('link', { name: 'Kestrel Optics GmbH' }).click();
    await page.getByRole('heading', { name: 'Kestrel Optics GmbH', level: 1 }).waitFor();
    const cases = page.getByRole('table', { name: 'Cases with this organisation' });
    for (const ref of refs) await cases.getByRole('link', { name: ref }).waitFor();
    await checkScreen(page, 'organisation-page');

    const until = new Date(Date.now() + 200 * 86400_000).toISOString().slice(0, 10);
    await page.getByLabel('Due-diligence status', { exact: true }).selectOption('cleared');
    await page.getByLabel('Reason', { exact: true }).fill('Due-diligence questionnaire returned; no concerns.');
    await page.getByLabel('Until (YYYY-MM-DD)').fill(until);
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByText('The due-diligence status is saved.').waitFor();
    const long = new Date(`${until}T00:00:00`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    expect(await page.getByTestId('dd-status').textContent()).toBe(`Cleared until ${long}`);

    // A due-diligence questionnaire as a file: uploaded, scanned clean, downloaded as it was sent.
    const ddq = Buffer.from('Kestrel Optics due-diligence questionnaire\nOwnership: private, Austria.\n');
    await page.getByLabel('File (optional)').setInputFiles({ name: 'kestrel-ddq.txt', mimeType: 'text/plain', buffer: ddq });
    await page.getByRole('radio', { name: 'Due-diligence questionnaire' }).check();
    await page.getByLabel('Title', { exact: true }).fill('Kestrel questionnaire 2026');
    await page.getByRole('button', { name: 'Add document' }).click();
    await page.getByText('kestrel-ddq.txt is uploaded and scanned clean.').waitFor();
    const docRow = page.getByRole('table', { name: 'Documents' }).getByRole('row').filter({ hasText: 'Kestrel questionnaire 2026' });
    expect(await docRow.locator('.govuk-tag').textContent()).toBe('Scanned: no virus found');
    expect(await docRow.textContent()).toContain('kestrel-ddq.txt');
    const [download] = await Promise.all([page.waitForEvent('download'), docRow.getByRole('button', { name: /Kestrel questionnaire 2026/ }).click()]);
    expect(download.suggestedFilename()).toBe('kestrel-ddq.txt');
    expect(readFileSync((await download.path())!).equals(ddq)).toBe(true);
    await checkScreen(page);

    await page.goto(`${h.url}/cases/${secondId}`);
    await page.getByRole('heading', { name: 'Similar past cases' }).waitFor();
    await page
      .getByRole('link', { name: 'KESTREL OPTICS' })
      .or(page.getByRole('link', { name: 'Kestrel Optics GmbH' }))
      .first()
      .waitFor();
    expect(await page.getByText(`(Cleared until ${long})`).count()).toBe(1);
    await ctx.close();
  });

  it('is staff only: a researcher has no Organisations link and the page refuses them', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.researcher);
    expect(await page.getByRole('link', { name: 'Organisations' }).count()).toBe(0);
    await page.goto(`${h.url}/organisations`);
    await page.getByText('This needs one of these roles: rsdo_officer, rsdo_lead, export_control, admin.').first().waitFor();
    await ctx.close();
  });
});
