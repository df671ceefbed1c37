/**
 * Shared by the single sign-on tests: a real OpenID provider in a child process, and the
 * real API serving the built web app on a port fixed before boot (PUBLIC_URL must be
 * known to register redirect URIs), driven by Debian's Chromium.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { createTestApp, TestApp } from '@app/testing';
import { CHROMIUM, ensureWebBuilt } from '../browser/browser-kit';

const ROOT = resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface OidcProviderHandle {
  issuer: string;
  clientId: string;
  clientSecret: string;
  tamper(mode: 'signature' | 'nonce' | 'none'): Promise<void>;
  close(): Promise<void>;
}

/** node-oidc-provider (see oidc-provider.mjs) with these accounts: login name → claims. */
export async function startOidcProvider(opts: {
  redirectUri: string;
  postLogoutRedirectUri?: string;
  accounts: Record<string, Record<string, unknown>>;
}): Promise<OidcProviderHandle> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'test/sso/oidc-provider.mjs'), JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const issuer = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`OpenID provider did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`OpenID provider exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    clientId: 'trusted-research',
    clientSecret: 'test-client-secret',
    async tamper(mode) {
      const res = await fetch(`${issuer}/__test/tamper?mode=${mode}`);
      if (!res.ok) throw new Error(`tamper switch failed: ${res.status}`);
    },
    async close() {
      if (child.exitCode !== null) return;
      await new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      });
    },
  };
}

export interface SsoWeb {
  t: TestApp;
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The API on `port` (PUBLIC_URL matches it) with the given SSO settings, and a browser. */
export async function startSsoWeb(port: number, env: Record<string, string>): Promise<SsoWeb> {
  await ensureWebBuilt();
  const url = `http://127.0.0.1:${port}`;
  const t = await createTestApp({ PUBLIC_URL: url, ...env });
  await t.app.listen(port, '127.0.0.1');
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
    url,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await t.close();
    },
  };
}

/** The refresh cookie a browser context holds for the app, as a Cookie header. */
export function refreshCookieHeader(cookies: { name: string; value: string }[]): string {
  const c = cookies.find((x) => x.name === 'tr_refresh');
  if (!c) throw new Error(`no tr_refresh cookie in ${JSON.stringify(cookies.map((x) => x.name))}`);
  return `tr_refresh=${c.value}`;
}
