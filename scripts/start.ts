/**
 * `npm start`: decide where the database and the queues live (the I/O of auto-detection
 * happens here, so libs/config stays pure: the result is explicit DATABASE_URL and
 * QUEUE_BACKEND values for the children), validate settings, migrate once (advisory
 * lock), seed demo data on an empty database (demo mode only), then run the API and the
 * worker as supervised child processes (scripts/supervisor.ts: a child that dies is
 * restarted with a backoff, the others keep running) and stop them together on Ctrl-C /
 * SIGTERM, or when a child keeps dying.
 *
 * On a bare machine (demo mode, no DATABASE_URL, nothing on 127.0.0.1:5432, or
 * EMBEDDED_POSTGRES=force) it starts the embedded PostgreSQL (scripts/embedded-postgres.ts)
 * and, without Redis, runs BullMQ on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { AppConfig, ConfigError, embeddedPostgresMode, loadConfig } from '@app/config';
import { AuditRepository, createDataSource, DEMO_ACCOUNTS, DEMO_PASSWORD, migrate, seedDemo } from '@app/persistence';
import { importDemoLists } from '@app/screening';
import { pingRedis, prepareQueueSchema } from '@app/queue';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';
import { Supervisor } from './supervisor';
import { API_NODE_ARGS } from '../apps/api/src/node-args';

const DIST = join(__dirname, '..');

/** A start-up failure with its one-sentence explanation; main() prints it and cleans up. */
class LaunchError extends Error {}

function fail(message: string): never {
  throw new LaunchError(message);
}

/** The embedded PostgreSQL of this run, stopped last (after the API and the worker). */
let embedded: EmbeddedPostgresHandle | null = null;

async function stopEmbedded(): Promise<void> {
  const e = embedded;
  embedded = null;
  if (e) await e.stop().catch((err) => console.error(`Stopping the embedded PostgreSQL failed: ${(err as Error).message}`));
}

/** Something accepts TCP connections there (PostgreSQL's default address). */
function answers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect(port, '127.0.0.1');
    const finish = (v: boolean) => {
      sock.destroy();
      done(v);
    };
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.once('connect', () => finish(true));
    sock.once('error', () => finish(false));
  });
}

/** A Redis server answers PING there. */
function redisAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    const finish = (v: boolean) => {
      sock.destroy();
      done(v);
    };
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (b) => {
      got += b.toString();
      if (got.includes('\r\n')) finish(got.startsWith('+PONG'));
    });
    sock.once('error', () => finish(false));
  });
}

/**
 * Auto-detection, as explicit settings for the children:
 * - database: DATABASE_URL when set (unreachable means fail, never a fallback); else, in
 *   demo mode, the local server at 127.0.0.1:5432 if anything answers there, otherwise the
 *   embedded one. EMBEDDED_POSTGRES=force takes the embedded path without looking (a
 *   bare-machine run); `off` never takes it.
 * - queue backend: QUEUE_BACKEND when set; else redis when REDIS_URL is set or Redis
 *   answers at 127.0.0.1:6379 (not looked for under force); otherwise, in demo mode, postgres.
 */
async function detect(env: NodeJS.ProcessEnv): Promise<{ useEmbedded: boolean; why: string }> {
  const production = env.NODE_ENV === 'production';
  const mode = embeddedPostgresMode(env);
  let useEmbedded = false;
  let why = '';
  if (!production && !env.DATABASE_URL) {
    if (mode === 'force') {
      useEmbedded = true;
      why = 'EMBEDDED_POSTGRES=force';
    } else if (mode === 'auto' && !(await answers(5432))) {
      useEmbedded = true;
      why = 'DATABASE_URL is not set and nothing answers at 127.0.0.1:5432';
    }
  } else if (!production && env.DATABASE_URL && mode === 'force') {
    fail(
      'EMBEDDED_POSTGRES=force and DATABASE_URL are both set: unset DATABASE_URL to run on the embedded PostgreSQL, or drop EMBEDDED_POSTGRES to use your database.',
    );
  }
  if (!env.QUEUE_BACKEND) {
    if (env.REDIS_URL || production) env.QUEUE_BACKEND = 'redis';
    else if (mode !== 'force' && (await redisAnswers(6379))) env.QUEUE_BACKEND = 'redis';
    else env.QUEUE_BACKEND = 'postgres';
  }
  return { useEmbedded, why };
}

function banner(lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '!'.repeat(width);
  console.log(`\n${bar}\n${lines.map((l) => `! ${l.padEnd(width - 4)} !`).join('\n')}\n${bar}\n`);
}

async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (supervisor.givenUp) fail('A process kept stopping during start-up; see its output above.');
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
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline)
          reject(new Error(`The demo mail catcher did not listen on port ${port} within ${timeoutMs / 1000} s (is the port taken? set DEMO_MAIL_SMTP_PORT).`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

let stopping = false;

/** Restarts a child that dies; gives up (and stops everything) when one keeps dying. */
const supervisor = new Supervisor({
  log: (line) => console.error(line),
  onGiveUp: (name) => {
    console.error(`${name} keeps stopping; stopping the others and exiting so that the service manager (or a person) takes over.`);
    void stop(1);
  },
});

/** Stops the children (they finish running jobs), then the embedded database, then exits. */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await supervisor.stopAll();
  if (embedded) console.log('Stopping the embedded PostgreSQL...');
  await stopEmbedded();
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  // Demo mode: one random JWT secret shared by the processes of this run.
  const env = { ...process.env };
  if (env.NODE_ENV !== 'production' && !env.JWT_SECRET) env.JWT_SECRET = randomBytes(32).toString('hex');
  let config: AppConfig;
  try {
    const { useEmbedded, why } = await detect(env);
    // Validate everything before starting anything.
    config = loadConfig(useEmbedded ? { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/placeholder' } : env);
    if (useEmbedded) {
      banner([
        'DEMO DATABASE: starting the EMBEDDED PostgreSQL, not your own server.',
        `Why: ${why}.`,
        `Its data lives in ${config.embeddedPostgres.dataDir} (port ${config.embeddedPostgres.port}).`,
        'If your real database is merely down, stop now (Ctrl-C), start it and run',
        'npm start again, or set DATABASE_URL (then it never falls back to this one).',
      ]);
      embedded = await startEmbeddedPostgres({ dataDir: config.embeddedPostgres.dataDir, port: config.embeddedPostgres.port, log: (l) => console.log(l) });
      env.DATABASE_URL = embedded.url;
      env.DATABASE_EMBEDDED = 'true';
      if (!env.DATABASE_APP_PASSWORD) env.DATABASE_APP_PASSWORD = embedded.appPassword;
      console.log(`Embedded PostgreSQL ${embedded.version} is running on 127.0.0.1:${embedded.port}.`);
      config = loadConfig(env);
    }
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  const applied = await migrate(config, (line) => console.log(line)).catch((err) => fail(err.message));
  console.log(applied.length ? `Database migrated (${applied.length} migration(s) applied).` : 'Database schema is up to date.');
  if (config.queueBackend === 'postgres') {
    await prepareQueueSchema(config).catch((err) => fail(err.message));
  } else {
    await pingRedis(config).catch((err) => fail(err.message));
  }

  if (config.demo) {
    const owner = createDataSource(config, 'owner', 1);
    await owner.initialize();
    if (await seedDemo(owner)) {
      console.log('Demo data seeded (empty database).');
      // The sample screening lists, so the demo shows hits; real lists: npm run screening:import (README).
      try {
        for (const r of await importDemoLists(owner, new AuditRepository(config), join(DIST, '..'))) {
          console.log(`  screening list ${r.kind}: ${r.entries} sample entries (${r.format})`);
        }
      } catch (err) {
        console.log(
          `  The sample screening lists were not imported (${err instanceof Error ? err.message : String(err)}); import lists with npm run screening:import.`,
        );
      }
    }
    await owner.destroy();
  }

  const run = (name: string, script: string, args: string[] = [], stdio: 'inherit' | 'ignore' = 'inherit', nodeArgs: readonly string[] = []) =>
    supervisor.start({ name, script, args, env: { ...env }, stdio, nodeArgs: [...nodeArgs] });

  // Demo mode without an SMTP server: catch every email in MailDev, readable in the browser.
  let catcherUrl: string | null = null;
  if (config.demo && !config.mail.smtpUrl) {
    const { smtpPort, webPort } = config.mail.demoCatcher;
    run(
      'mail catcher',
      require.resolve('maildev/bin/maildev'),
      ['--smtp', String(smtpPort), '--ip', '127.0.0.1', '--web', String(webPort), '--web-ip', '127.0.0.1', '--silent'],
      'ignore',
    );
    env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
    catcherUrl = `http://localhost:${webPort}`;
    await waitForPort(smtpPort);
  }

  run('API', join(DIST, 'apps/api/src/main.js'), [], 'inherit', API_NODE_ARGS);
  run('worker', join(DIST, 'apps/worker/src/main.js'));

  const local = `http://localhost:${config.port}`;
  await waitForHealth(local);
  console.log(`\nTrusted Research is running.`);
  if (existsSync(join(DIST, 'web/index.html'))) console.log(`  Web UI:   ${config.publicUrl}/`);
  console.log(`  API:      ${config.publicUrl}/api`);
  console.log(`  OpenAPI:  ${config.publicUrl}/api/docs`);
  console.log(`  Health:   ${config.publicUrl}/health`);
  if (catcherUrl) console.log(`  Emails:   ${catcherUrl}  (demo mail catcher: every email the worker sends lands here)`);
  const db = new URL(config.database.url);
  console.log(
    config.database.embedded
      ? `  Database: EMBEDDED PostgreSQL ${embedded?.version ?? ''} on 127.0.0.1:${db.port}, data in ${embedded?.dataDir ?? config.embeddedPostgres.dataDir} (demo only; not your own server)`
      : `  Database: PostgreSQL at ${db.hostname}:${db.port || 5432}${db.pathname}`,
  );
  console.log(
    config.queueBackend === 'postgres'
      ? `  Queues:   BullMQ on PostgreSQL (schema "${config.queuePostgres.schema}" of the same database; no Redis)`
      : `  Queues:   BullMQ on Redis at ${new URL(config.redis.url).host}`,
  );
  if (config.demo) {
    console.log(`\nDemo accounts (password ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(30)} ${a.what}`);
  }
  console.log('\nPress Ctrl-C to stop.');
}

main().catch(async (err) => {
  console.error(`\n${err instanceof Error ? err.message : String(err)}\n`);
  if (!stopping) {
    stopping = true;
    await supervisor.stopAll();
    await stopEmbedded();
  }
  process.exit(1);
});
