/**
 * `npm start`: validate settings, migrate once (advisory lock), seed demo data on an
 * empty database (demo mode only), then run the API and the worker as child processes
 * and stop them together on Ctrl-C / SIGTERM.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@app/config';
import { createDataSource, DEMO_ACCOUNTS, DEMO_PASSWORD, migrate, seedDemo } from '@app/persistence';
import { pingRedis } from '@app/queue';

const DIST = join(__dirname, '..');

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`The API stopped during start-up (exit code ${child.exitCode}); see its output above.`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`The API did not answer ${url}/health within ${timeoutMs / 1000} s.`);
}

function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => { sock.destroy(); resolve(); });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`The demo mail catcher did not listen on port ${port} within ${timeoutMs / 1000} s (is the port taken? set DEMO_MAIL_SMTP_PORT).`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

async function main(): Promise<void> {
  // Demo mode: one random JWT secret shared by the processes of this run.
  const env = { ...process.env };
  if (env.NODE_ENV !== 'production' && !env.JWT_SECRET) env.JWT_SECRET = randomBytes(32).toString('hex');
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  const applied = await migrate(config, (line) => console.log(line)).catch((err) => fail(err.message));
  console.log(applied.length ? `Database migrated (${applied.length} migration(s) applied).` : 'Database schema is up to date.');
  await pingRedis(config).catch((err) => fail(err.message));

  if (config.demo) {
    const owner = createDataSource(config, 'owner', 1);
    await owner.initialize();
    if (await seedDemo(owner)) console.log('Demo data seeded (empty database).');
    await owner.destroy();
  }

  const children: { name: string; proc: ChildProcess }[] = [];
  const run = (name: string, script: string, args: string[] = [], stdio: 'inherit' | 'ignore' = 'inherit') => {
    const proc = spawn(process.execPath, [script, ...args], { env: { ...env }, stdio });
    children.push({ name, proc });
    proc.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`${name} exited (${signal ?? `code ${code}`}); stopping the others.`);
        void stop(code ?? 1);
      }
    });
    return proc;
  };

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.proc.exitCode !== null ? null : new Promise((r) => c.proc.once('exit', r)))));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  // Demo mode without an SMTP server: catch every email in MailDev, readable in the browser.
  let catcherUrl: string | null = null;
  if (config.demo && !config.mail.smtpUrl) {
    const { smtpPort, webPort } = config.mail.demoCatcher;
    run('mail catcher', require.resolve('maildev/bin/maildev'), [
      '--smtp', String(smtpPort), '--ip', '127.0.0.1', '--web', String(webPort), '--web-ip', '127.0.0.1', '--silent',
    ], 'ignore');
    env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
    catcherUrl = `http://localhost:${webPort}`;
    await waitForPort(smtpPort);
  }

  const api = run('API', join(DIST, 'apps/api/src/main.js'));
  run('worker', join(DIST, 'apps/worker/src/main.js'));

  const local = `http://localhost:${config.port}`;
  await waitForHealth(local, api);
  console.log(`\nTrusted Research is running.`);
  if (existsSync(join(DIST, 'web/index.html'))) console.log(`  Web UI:   ${config.publicUrl}/`);
  console.log(`  API:      ${config.publicUrl}/api`);
  console.log(`  OpenAPI:  ${config.publicUrl}/api/docs`);
  console.log(`  Health:   ${config.publicUrl}/health`);
  if (catcherUrl) console.log(`  Emails:   ${catcherUrl}  (demo mail catcher: every email the worker sends lands here)`);
  if (config.demo) {
    console.log(`\nDemo accounts (password ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(30)} ${a.what}`);
  }
  console.log('\nPress Ctrl-C to stop.');
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
