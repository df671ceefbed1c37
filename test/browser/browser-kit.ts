/**
 * Shared by the browser tests: builds the web app when its sources changed since
 * dist/web was built (once, under a lock, since jest runs files in parallel), serves it from a
 * real API on a real port, and drives Debian's Chromium with playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { INestApplicationContext } from '@nestjs/common';
import { createTestApp, DEMO, SmtpSink, startWorker, TestApp } from '@app/testing';

const ROOT = resolve(__dirname, '../..');
const WEB_DIR = join(ROOT, 'dist/web');
const WEB_OUT = join(WEB_DIR, 'index.html');
const WEB_HASH = join(WEB_DIR, '.source-hash');
const SOURCES = [join(ROOT, 'apps/web'), join(ROOT, 'libs/domain/src')];
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'demo1234';

/** A hash of the web build's inputs: paths and contents, so a checkout or a touch that changes nothing does not rebuild. */
function sourceHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else
        h.update(`${relative(ROOT, p)}\0`)
          .update(readFileSync(p))
          .update('\0');
    }
  };
  for (const s of SOURCES) walk(s);
  for (const f of ['package-lock.json', 'tsconfig.json']) h.update(`${f}\0`).update(readFileSync(join(ROOT, f)));
  return h.digest('hex');
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * `vite build` when dist/web was not built from the current sources (a content hash,
 * kept in dist/web/.source-hash). Once per change, not per file: the first browser file
 * builds under a lock while the others wait; the build goes to a directory of its own
 * and replaces dist/web by a rename, so no file ever serves a half-written bundle.
 */
export async function ensureWebBuilt(): Promise<void> {
  const want = sourceHash();
  const current = () => existsSync(WEB_OUT) && existsSync(WEB_HASH) && readFileSync(WEB_HASH, 'utf8') === want;
  const lock = join(ROOT, 'dist/.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let i = 0; !current(); i++) {
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
      if (!current()) {
        const out = join(ROOT, `dist/.web-build-${process.pid}`);
        const old = join(ROOT, `dist/.web-old-${process.pid}`);
        rmSync(out, { recursive: true, force: true });
        execFileSync(
          process.execPath,
          [
            join(ROOT, 'node_modules/vite/bin/vite.js'),
            'build',
            '--config',
            'apps/web/vite.config.ts',
            '--logLevel',
            'error',
            '--outDir',
            out,
            '--emptyOutDir',
          ],
          {
            cwd: ROOT,
            stdio: 'inherit',
            // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
            env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
          },
        );
        writeFileSync(join(out, '.source-hash'), want);
        if (existsSync(WEB_DIR)) renameSync(WEB_DIR, old);
        renameSync(out, WEB_DIR);
        rmSync(old, { recursive: true, force: true });
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
  // Once per document (~1 s a time on a loaded machine): an SPA route change keeps it.
  if (await page.evaluate(`typeof window.axe === 'undefined'`)) await page.evaluate(AXE);
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
