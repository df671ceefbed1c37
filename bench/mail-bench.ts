import { sealSecret } from '@app/domain';
/**
 * `npm run bench:mail`: deliveries per second through the whole mail path (outbox row →
 * relay → delivery row → BullMQ send-email-batch job → leased send through the pooled
 * nodemailer transport → in-process SMTP sink), against raw nodemailer sending the same
 * rendered emails to the same sink with the same pool size, in the same run.
 *
 * Scratch database tr_bench_mail (dropped and re-migrated each run), its own Redis key
 * prefix. BENCH_MAILS (default 2000) emails each way; BENCH_ROUNDS (default 2) rounds,
 * the best of each side reported. The worker runs inside the bench process (one event loop
 * shared with the SMTP sink, as raw nodemailer shares it); BENCH_WORKER=process runs
 * `apps/worker/src/main.ts` as its own process instead (default options), as in production.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import nodemailer from 'nodemailer';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '@app/config';
import { deliveryMessageId, MailRenderer, SMTP_POOL_OPTIONS, SMTP_POOL_SIZE, subjectLine } from '@app/mail';
import { createDataSource, migrate, seedDemo } from '@app/persistence';
import { createWorkerApp } from '../apps/worker/src/bootstrap';
import { SmtpSink } from '../libs/testing/src/smtp-sink';
import { spawnWorker, workerEnv } from '../libs/testing/src/worker-harness';

const N = Number(process.env.BENCH_MAILS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DB = 'tr_bench_mail';
const INLINE = process.env.BENCH_WORKER !== 'process';

async function resetDatabase(config: AppConfig): Promise<void> {
  const admin = new URL(config.database.url);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await c.end();
  await migrate(config);
}

async function flushRedis(config: AppConfig): Promise<void> {
  const r = new Redis(config.redis.url);
  const keys = await r.keys(`${config.redis.keyPrefix}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

/** The same render + send as DeliveryService, without the database or the queue. */
async function raw(sink: SmtpSink, config: AppConfig, emails: string[]): Promise<number> {
  const renderer = new MailRenderer();
  const transport = nodemailer.createTransport({ url: sink.url, ...SMTP_POOL_OPTIONS } as never);
  const start = process.hrtime.bigint();
  let next = 0;
  // One in flight per pooled connection plus a few queued, as the worker's concurrency does.
  await Promise.all(
    Array.from({ length: SMTP_POOL_SIZE * 2 }, async () => {
      while (next < emails.length) {
        const i = next++;
        const r = renderer.render('user-invited', { recipientName: 'Bench Person', inviteUrl: `${config.publicUrl}/accept-invitation?token=raw-${i}` });
        await transport.sendMail({
          from: config.mail.from,
          to: emails[i],
          subject: subjectLine(null, r.subject),
          text: r.text,
          html: r.html,
          messageId: deliveryMessageId(`raw-${i}`, config.publicUrl),
          headers: { 'X-TR-Delivery': `raw-${i}` },
        });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  transport.close();
  return emails.length / seconds;
}

/** Outbox rows written in one statement; the clock stops when the last delivery row is `sent`. */
async function pipeline(config: AppConfig, userIds: string[], round: number): Promise<{ perSecond: number; sent: number }> {
  const owner = await createDataSource(config, 'owner', 2).initialize();
  const inline = INLINE ? await createWorkerApp(config, { logger: false }) : null;
  const child = INLINE ? null : spawnWorker(workerEnv(config, config.mail.smtpUrl!));
  try {
    // Warm-up: one email through, so the clock does not count the worker's start.
    const [warm] = await owner.query(`INSERT INTO outbox (topic, payload) VALUES ('user-invited', $1) RETURNING id`, [
      JSON.stringify({ userId: userIds[0], invitationId: `warm-${round}`, token: sealSecret(`warm-${round}`, config.audit.key, 'invitation') }),
    ]);
    for (let i = 0; ; i++) {
      const [r] = await owner.query(`SELECT count(*)::int AS n FROM delivery WHERE outbox_id = $1 AND status = 'sent'`, [warm.id]);
      if (r.n) break;
      if (i > 1200) throw new Error(`the worker did not start: ${child?.output() ?? ''}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    // The probe counts by primary key from the last delivery before the round, so it loads PostgreSQL as little as it can.
    const [{ floor }] = await owner.query(`SELECT coalesce(max(id), 0)::bigint AS floor FROM delivery`);
    const start = process.hrtime.bigint();
    await owner.query(
      `INSERT INTO outbox (topic, payload)
       SELECT 'user-invited', jsonb_build_object('userId', u, 'invitationId', 'bench-' || $2 || '-' || ord, 'token', $3::jsonb)
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(u, ord)`,
      [userIds, round, JSON.stringify(sealSecret(`bench-${round}`, config.audit.key, 'invitation'))],
    );
    for (;;) {
      const [r] = await owner.query(`SELECT count(*)::int AS n FROM delivery WHERE id > $1 AND status = 'sent'`, [floor]);
      if (r.n >= userIds.length) {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        return { perSecond: userIds.length / seconds, sent: r.n };
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  } finally {
    await inline?.close();
    if (child) {
      child.kill('SIGTERM');
      await new Promise((res) => child.once('exit', res));
    }
    await owner.destroy();
  }
}

async function main(): Promise<void> {
  const base = loadConfig();
  const url = new URL(base.database.url);
  url.pathname = `/${DB}`;
  const sink = await SmtpSink.start();
  const config: AppConfig = {
    ...base,
    database: { ...base.database, url: url.toString() },
    redis: { ...base.redis, keyPrefix: 'tr-bench-mail' },
    mail: { ...base.mail, smtpUrl: sink.url },
  };
  const loadAtStart = loadavg();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`mail bench: ${N} emails each way, ${ROUNDS} rounds; scratch database ${DB}; SMTP sink ${sink.url}; load average at start ${load(loadAtStart)}`);
  await resetDatabase(config);
  await flushRedis(config);
  const owner = await createDataSource(config, 'owner', 2).initialize();
  await seedDemo(owner);
  const users: { id: string; email: string }[] = await owner.query(
    `INSERT INTO app_user (email, name, roles, active)
     SELECT 'bench.' || g || '@example.ac.uk', 'Bench Person ' || g, '{researcher}', true FROM generate_series(1, $1) g
     RETURNING id, email`,
    [N],
  );
  await owner.destroy();

  const results: { round: number; raw: number; pipeline: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const before = sink.messages.length;
    const r = await raw(
      sink,
      config,
      users.map((u) => u.email),
    );
    const p = await pipeline(
      config,
      users.map((u) => u.id),
      round,
    );
    const received = sink.messages.length - before;
    sink.messages.length = 0; // keep memory flat between rounds
    results.push({ round, raw: r, pipeline: p.perSecond });
    console.log(
      `round ${round}: raw nodemailer ${r.toFixed(0)}/s, outbox→relay→BullMQ→nodemailer ${p.perSecond.toFixed(0)}/s, ratio ${(p.perSecond / r).toFixed(2)} (sink received ${received}, expected ${2 * N} + 1 warm-up)`,
    );
    if (received !== 2 * N + 1) throw new Error(`the sink received ${received} emails, expected ${2 * N + 1}: lost or doubled mail`);
  }
  const bestRaw = Math.max(...results.map((x) => x.raw));
  const bestPipeline = Math.max(...results.map((x) => x.pipeline));
  const loadAtEnd = loadavg();
  const ratio = bestPipeline / bestRaw;
  const summary = {
    ratio,
    pipelineRate: bestPipeline,
    rawRate: bestRaw,
    messages: N,
    rounds: results,
    worker: INLINE ? 'inline' : 'process',
    target: 0.8,
    met: ratio >= 0.8,
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    at: new Date().toISOString(),
  };
  console.log(
    `best: raw ${bestRaw.toFixed(0)}/s, pipeline ${bestPipeline.toFixed(0)}/s, ratio ${ratio.toFixed(2)} (target >= 0.8: ${summary.met ? 'met' : 'not met'}); load average at start ${load(loadAtStart)}, at end ${load(loadAtEnd)}`,
  );
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mail.json'), JSON.stringify(summary, null, 2) + '\n');
  await flushRedis(config);
  await sink.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
