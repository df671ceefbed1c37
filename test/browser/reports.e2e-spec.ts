/**
 * The reports dashboard in Chromium against the real API: charts drawn from seeded cases,
 * the figures as tables, filters kept in the URL, and CSV / XLSX downloads that parse.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { OUTCOME_LABELS, RISK_LEVEL_LABELS, STATE_LABELS } from '@app/domain';
import { ReportService } from '@app/persistence';
import { CaseDriver, completeAnswers } from '@app/testing';
import { checkScreen, DEMO, personPage, signIn, startWeb, WebHarness } from './browser-kit';

jest.setTimeout(180_000);

describe('reports dashboard', () => {
  let h: WebHarness;
  let d: CaseDriver;
  const refs: string[] = [];
  beforeAll(async () => {
    h = await startWeb();
    d = new CaseDriver(h.t);
    const partners: [string, string, string[]][] = [
      ['Tsinghua University', 'CN', ['quantum_technologies']],
      ['Fudan University', 'CN', []],
      ['ETH Zurich', 'CH', ['advanced_materials']],
    ];
    for (const [name, country, sensitiveAreas] of partners) {
      const c = await d.draft(DEMO.researcher, `Work with ${name}`, completeAnswers({ partners: [{ name, country, type: 'university' }], sensitiveAreas }));
      await d.ok(DEMO.researcher, c.id, 'submit');
      refs.push(c.reference);
    }
    const approved = await d.triaged();
    await d.ok(DEMO.officer, approved.id, 'approve', { decisionText: 'Approved.', conditions: [{ text: 'Keep a technology control plan.' }] });
    // The report summary as the worker keeps it: the dashboard reads it (these new cases live on top).
    expect(await h.t.app.get(ReportService).refreshSummary()).toEqual({ full: true, cases: expect.any(Number) });
  });
  afterAll(() => h?.close());

  const downloaded = async (page: Page, button: RegExp) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
  };
  const sheet = async (bytes: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    return rows;
  };

  it('draws every report as a chart with its figures in a table, and keeps filters in the URL', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.officer);
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    const countries = page.getByRole('region', { name: 'Top 10 partner countries' });
    await countries.waitFor();
    // ECharts drew bars (SVG paths) and axis labels from the seeded partners.
    for (const name of ['volumes', 'countries', 'outcomes', 'backlog']) {
      const chart = page.locator(`[data-chart="${name}"] svg`);
      await chart.waitFor();
      expect(await chart.locator('path').count()).toBeGreaterThan(2);
    }
    expect(await page.locator('[data-chart="countries"] svg text').allTextContents()).toEqual(expect.arrayContaining(['CN', 'CH', 'CA']));
    // The same figures as a table for screen readers.
    await expect(countries.getByRole('row', { name: 'CN 2' }).count()).resolves.toBe(1);
    const outcomes = page.getByRole('region', { name: 'Outcomes and conditions by risk tier' });
    await expect(outcomes.getByRole('row', { name: 'Low Approved with conditions 1 1 0' }).count()).resolves.toBe(1);
    await checkScreen(page, 'reports-dashboard');
    // The enum filters list the domain's label tables (FilterSelect): a new value appears by itself.
    expect(await page.locator('#riskTier option').allTextContents()).toEqual(['Any', ...Object.values(RISK_LEVEL_LABELS)]);
    expect(await page.locator('#outcome option').allTextContents()).toEqual(['Any', ...Object.values(OUTCOME_LABELS)]);

    await page.getByLabel('Partner country').selectOption('CN');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/country=CN/);
    await countries.getByRole('row', { name: 'CN 2' }).waitFor();
    expect(await countries.getByRole('row').count()).toBe(2); // heading + CN
    // Reloading the URL keeps the view.
    await page.reload();
    await page.getByRole('region', { name: 'Top 10 partner countries' }).getByRole('row', { name: 'CN 2' }).waitFor();
    expect(await page.getByLabel('Partner country').inputValue()).toBe('CN');
    await ctx.close();
  });

  it('downloads a report as CSV and XLSX, and the work queue as XLSX with its filters', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.officer);
    await page.goto('/reports?country=CN');
    await page.getByRole('region', { name: 'Top 10 partner countries' }).getByRole('row', { name: 'CN 2' }).waitFor();
    const csv = await downloaded(page, /^Download CSV of Top 10 partner countries$/);
    expect(csv.name).toMatch(/^countries-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.bytes.toString('utf8').trim().split(/\r?\n/)).toEqual(['Country,Cases', 'CN,2']);
    const xlsx = await downloaded(page, /^Download XLSX of Top 10 NSI Act areas$/);
    expect(await sheet(xlsx.bytes)).toEqual([
      ['NSI area', 'Cases'],
      ['Quantum Technologies', 1],
    ]);

    await page.goto('/queue?view=open&state=submitted');
    await page.getByRole('link', { name: refs[0] }).waitFor();
    // The queue's state filter is the same component over the domain's state labels.
    expect(await page.locator('#state option').allTextContents()).toEqual(['Any in this view', ...Object.values(STATE_LABELS)]);
    const queue = await downloaded(page, /^Download these cases as XLSX$/);
    const rows = await sheet(queue.bytes);
    expect(rows[0]).toEqual(['Reference', 'Title', 'State', 'Risk level', 'Department', 'Researcher', 'Officer', 'Submitted', 'Updated']);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([...refs].sort());
    expect(rows.slice(1).every((r) => r[2] === 'submitted')).toBe(true);
    await ctx.close();
  });
});
