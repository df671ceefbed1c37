/**
 * Documents and replies on the case page, in Chromium against the real API: the
 * researcher uploads a document with its type, sees it listed with its virus-scan
 * status, and replies to the research office; the officer sees both.
 */
import { CaseDriver } from '@app/testing';
import { checkScreen, DEMO, personPage, signIn, startWeb, WebHarness } from './browser-kit';

jest.setTimeout(180_000);

describe('web UI: documents and replies on a case', () => {
  let h: WebHarness;
  let d: CaseDriver;
  beforeAll(async () => {
    h = await startWeb();
    d = new CaseDriver(h.t);
  });
  afterAll(() => h?.close());

  it('the researcher uploads a document and replies; the officer sees both', async () => {
    const c = await d.submitted(DEMO.researcher);
    const r = await personPage(h);
    await signIn(r.page, DEMO.researcher);
    await r.page.goto(`/cases/${c.id}`);
    await r.page.getByRole('heading', { name: 'Documents' }).waitFor();
    // Refused before sending, each problem beside its field.
    await r.page.getByRole('button', { name: 'Upload document' }).click();
    await r.page.getByRole('alert').getByText('Choose a file to upload').waitFor();
    await r.page
      .getByLabel('Upload a document')
      .setInputFiles({ name: 'agreement.txt', mimeType: 'text/plain', buffer: Buffer.from('Collaboration agreement, signed.\n') });
    await r.page.getByLabel('Type of document').selectOption({ label: 'Collaboration agreement' });
    await r.page.getByRole('button', { name: 'Upload document' }).click();
    await r.page.getByRole('status').getByText('agreement.txt uploaded.').waitFor();
    const row = r.page.getByRole('row').filter({ hasText: 'agreement.txt' });
    await row.getByText('Collaboration agreement').waitFor();
    expect(await row.locator('.govuk-tag').textContent()).toMatch(/^(Quarantined: |Scanned: )/);
    await checkScreen(r.page, '30-case-documents');

    await r.page.getByLabel('Reply to the research office').fill('The signed agreement is attached.');
    await r.page.getByRole('button', { name: 'Send reply' }).click();
    await r.page.getByRole('status').getByText('Reply sent to the research office.').waitFor();
    await r.page.getByText('The signed agreement is attached.').waitFor();
    await r.ctx.close();

    const listed = await d.get(DEMO.officer, `/api/cases/${c.id}/attachments`);
    expect(listed.body.items.map((a: { fileName: string; kind: string; visibility: string }) => [a.fileName, a.kind, a.visibility])).toEqual([
      ['agreement.txt', 'agreement', 'researcher'],
    ]);
    const o = await personPage(h);
    await signIn(o.page, DEMO.officer);
    await o.page.goto(`/cases/${c.id}`);
    await o.page.getByRole('row').filter({ hasText: 'agreement.txt' }).waitFor();
    await o.page.getByText('The signed agreement is attached.').waitFor();
    await o.ctx.close();
  });
});
