/**
 * Shared by the browser tests: builds the web app when its sources are newer than
 * dist/web (once, under a lock, since jest runs files in parallel), serves it from a
 * real API on a real port, and drives Debian's Chromium with playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { INestApplicationContext } from '@nestjs/common';
import { createTestApp, DEMO, SmtpSink, startWorker, TestApp } from '@app/testing';

const ROOT = resolve(__dirname, '../..');
const WEB_OUT = join(ROOT, 'dist/web/index.html');
const SOURCES = [join(ROOT, 'apps/web'), join(ROOT, 'libs/domain/src')];
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'demo1234';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/** `vite build` when dist/web is missing or older than its sources. */
export async function ensureWebBuilt(): Promise<void> {
  const stale = () => !existsSync(WEB_OUT) || statSync(WEB_OUT).mtimeMs < Math.max(...SOURCES.map(newestMtime));
  const lock = join(ROOT, 'dist/.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let i = 0; stale(); i++) {
    try {
      mkdirSync(lock);
    } catch {
      // A lock left by a run that was killed mid-build is taken over after two minutes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (i > 600) throw new Error('Gave up waiting for another test file to build the web app (dist/.web-build.lock).');
      await sleep(250);
      continue;
    }
    try {
      if (stale()) {
        execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'error'], {
          cwd: ROOT,
          stdio: 'inherit',
          // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
          env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
        });
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

export interface WebHarness {
  t: TestApp;
  url: string;
  browser: Browser;
  /** the SMTP sink the worker sends to, when started with { mail: true } */
  sink: SmtpSink | null;
  close(): Promise<void>;
}

/**
 * The real API (own cloned database, real Redis) listening on a port, serving the built
 * web app; with { mail: true } also the worker, in-process, sending to an SMTP sink.
 */
export async function startWeb(opts: { mail?: boolean; env?: Record<string, string> } = {}): Promise<WebHarness> {
  await ensureWebBuilt();
  const sink = opts.mail ? await SmtpSink.start() : null;
  const t = await createTestApp({ ...(opts.env ?? {}), ...(sink ? { SMTP_URL: sink.url } : {}) });
  const worker: INestApplicationContext | null = sink ? await startWorker(t.config) : null;
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    t,
    browser,
    sink,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await browser.close().catch(() => undefined);
      await worker?.close();
      await t.close();
      await sink?.close();
    },
  };
}

/** One browser context per person, as if each sat at their own computer. */
export async function personPage(h: WebHarness): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await h.browser.newContext({ baseURL: h.url, viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  return { ctx, page };
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  // Home redirects each role to its landing page: let that finish before the test navigates.
  await page.waitForURL((u) => u.pathname !== '/' && u.pathname !== '/sign-in');
  await page.locator('h1').first().waitFor();
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core in the page: the serious and critical violations (the bar). */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; targets: string[] }[]> {
  // Evaluated through the DevTools protocol, not as an inline <script>: the app's CSP
  // (script-src 'self') rightly refuses inline scripts, and stays on for the test.
  await page.evaluate(AXE);
  // A string, so this file needs no DOM types: it runs in the page.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
}

/** Checks accessibility and, if named, saves a screenshot for the README. */
export async function checkScreen(page: Page, shot?: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const v = await seriousViolations(page);
  expect({ url: page.url(), violations: v }).toEqual({ url: page.url(), violations: [] });
  if (shot) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`), fullPage: true });
  }
}

/** Tabs until the element with this id has focus: proves it is reachable by keyboard. */
export async function tabTo(page: Page, id: string, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate('document.activeElement && document.activeElement.id')) === id) return;
  }
  throw new Error(`#${id} was not reached with ${max} presses of Tab`);
}

/** Tabs until the focused element's text is `text` (a link or button), proving it is reachable by keyboard. */
export async function tabToText(page: Page, text: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate('document.activeElement && document.activeElement.textContent.trim()')) === text) return;
  }
  throw new Error(`"${text}" was not reached with ${max} presses of Tab`);
}

export { DEMO };
