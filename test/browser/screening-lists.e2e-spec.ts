/**
 * Screening lists in Chromium against the real API: the administrator adds a custom
 * watch list and uploads two versions of it; an officer reads the versions and the
 * blast radius of the second, which names an approved case and offers its suspension.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENING_LIST_KIND_LABELS } from '../../libs/domain/src/list-change-kinds';
import { CaseDriver, completeAnswers } from '@app/testing';
import { checkScreen, DEMO, personPage, signIn, startWeb, WebHarness } from './browser-kit';

jest.setTimeout(180_000);

const ASPI = readFileSync(join(__dirname, '../../fixtures/screening/custom-lists/aspi-china-defence-universities.SAMPLE.csv'), 'utf8');

describe('screening lists and blast radius', () => {
  let h: WebHarness;
  let d: CaseDriver;
  let reference = '';
  beforeAll(async () => {
    h = await startWeb();
    d = new CaseDriver(h.t);
    const c = await d.draft(
      DEMO.researcher,
      'Alloys with Northwestern Polytechnical',
      completeAnswers({ partners: [{ name: 'Northwestern Polytechnical University', country: 'CN', type: 'university' }] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await h.t.userId(DEMO.officer) });
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    await d.ok(DEMO.officer, c.id, 'approve', { decisionText: 'Approved.' });
    reference = c.reference;
  });
  afterAll(() => h?.close());

  it('adds a list, imports uploads, and shows the blast radius with the suspend path for an approved case', async () => {
    const admin = await personPage(h);
    await signIn(admin.page, DEMO.admin);
    await admin.page.getByRole('link', { name: 'Screening lists' }).click();
    await admin.page.getByRole('heading', { name: 'Screening lists', level: 1 }).waitFor();
    await admin.page.getByLabel('Name', { exact: true }).fill('ASPI tracker (sample)');
    await admin.page.getByRole('radio', { name: SCREENING_LIST_KIND_LABELS.watch_list }).check();
    await admin.page.getByLabel("Publisher's page (optional)").fill('https://unitracker.aspi.org.au/');
    await admin.page.getByRole('button', { name: 'Add list' }).click();
    await admin.page.getByText('ASPI tracker (sample) is added.').waitFor();
    await checkScreen(admin.page, 'screening-lists');

    const upload = async (csv: string, name: string) => {
      await admin.page.getByLabel('Upload a file for ASPI tracker (sample)').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await admin.page.getByRole('button', { name: 'Import the uploaded file into ASPI tracker (sample)' }).click();
    };
    await upload(ASPI, 'aspi-v1.csv');
    await admin.page.getByText(/ASPI tracker \(sample\): 4 entries imported \(4 added, 0 removed, 0 changed\)/).waitFor();
    await upload(ASPI + 'ASPI-S05,Northwestern Polytechnical University,NPU; NWPU,CN,very_high,SAMPLE row added for the browser test.\n', 'aspi-v2.csv');
    await admin.page.getByText(/5 entries imported \(1 added, 0 removed, 0 changed\); \d+ cases rescreened, 1 new hits/).waitFor();
    await admin.ctx.close();

    const officer = await personPage(h);
    await signIn(officer.page, DEMO.officer);
    await officer.page.goto('/screening/lists');
    await officer.page.getByRole('link', { name: 'ASPI tracker (sample)' }).click();
    const versions = officer.page.getByRole('table', { name: 'Versions' });
    await versions.waitFor();
    expect(await versions.getByRole('row').count()).toBe(3);
    await versions.getByRole('row').nth(1).getByRole('link').click();
    await officer.page.getByRole('heading', { name: 'Blast radius', level: 1 }).waitFor();
    const touched = officer.page.getByRole('table', { name: 'Cases touched' });
    const row = touched.getByRole('row', { name: new RegExp(reference) });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Northwestern Polytechnical University.*Added.*ASPI-S05/);
    expect(await row.textContent()).toContain('Approved');
    const changed = officer.page.getByRole('table', { name: 'Changed entries' });
    expect(await changed.textContent()).toContain('ASPI-S05');
    await checkScreen(officer.page, 'screening-blast-radius');
    await row.getByRole('link', { name: `Suspend approval of ${reference}` }).click();
    await officer.page.getByRole('heading', { name: 'Suspend approval', level: 1 }).waitFor();
    await officer.ctx.close();
  });

  it('the administrator edits a list: refusals beside their fields, then saved and imported from the import folder', async () => {
    const admin = await personPage(h);
    await signIn(admin.page, DEMO.admin);
    await admin.page.goto('/screening/lists');
    await admin.page.getByRole('button', { name: 'Edit ASPI tracker (sample)' }).click();
    const form = admin.page.getByRole('form', { name: 'Edit ASPI tracker (sample)' });
    await form.waitFor();
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('ASPI tracker (sample)');
    expect(await form.getByLabel("Publisher's page (optional)").inputValue()).toBe('https://unitracker.aspi.org.au/');

    // Checked in the browser first (the API's body schema, drawn by SchemaForm).
    await form.getByLabel('Minutes between imports (optional)').fill('daily');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await admin.page.locator('#edit-cadenceMinutes-error').getByText('The minutes between imports must be a whole number').waitFor();

    // The server's refusals, each beside its own field.
    await form.getByLabel('Minutes between imports (optional)').fill('0');
    await form.getByLabel('Location (optional)').fill('/etc/passwd');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await admin.page.locator('#edit-cadenceMinutes-error').getByText('Minutes between imports must be at least 1.').waitFor();
    await form.getByLabel('Minutes between imports (optional)').fill('1440');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await admin.page
      .locator('#edit-location-error')
      .getByText(/\/etc\/passwd is outside the import folder/)
      .waitFor();
    expect(await admin.page.locator('#edit-cadenceMinutes-error').count()).toBe(0);
    await form.getByLabel('Location (optional)').fill('http://169.254.169.254/latest/meta-data/');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await admin.page
      .locator('#edit-location-error')
      .getByText(/http addresses are refused/)
      .waitFor();
    // The format is fixed once a version exists.
    await form.getByLabel('Location (optional)').fill('custom-lists/aspi-china-defence-universities.SAMPLE.csv');
    await form.getByRole('radio', { name: SCREENING_LIST_KIND_LABELS.us_csl }).check();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await admin.page
      .locator('#edit-listKind-error')
      .getByText(/ASPI tracker \(sample\) already has imported versions/)
      .waitFor();
    await checkScreen(admin.page);

    // Saved: a file in the import folder (the repository's fixtures/screening here), renamed, paused.
    await form.getByRole('radio', { name: SCREENING_LIST_KIND_LABELS.watch_list }).check();
    await form.getByLabel('Name', { exact: true }).fill('ASPI China Defence Universities Tracker (sample)');
    await form
      .getByRole('group', { name: /Import on its schedule/ })
      .getByRole('radio', { name: 'No' })
      .check();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await admin.page.getByText('ASPI China Defence Universities Tracker (sample) is saved.').waitFor();
    const row = admin.page.getByRole('table', { name: 'List sources' }).getByRole('row', { name: /ASPI China Defence Universities Tracker \(sample\)/ });
    expect(await row.textContent()).toMatch(/Paused.*from custom-lists\/aspi-china-defence-universities\.SAMPLE\.csv/);
    await admin.page.getByRole('button', { name: 'Import from its location now (ASPI China Defence Universities Tracker (sample))' }).click();
    await admin.page.getByText(/ASPI China Defence Universities Tracker \(sample\): 4 entries imported \(0 added, 1 removed, 0 changed\)/).waitFor();
    await admin.ctx.close();
  });
});
