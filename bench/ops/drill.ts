/**
 * `npm run drill`: the fault drill. A private PostgreSQL cluster, a private redis-server
 * and an SMTP sink on free ports; real API and worker processes under the launcher's
 * supervisor; a load of case transitions through the API; one round per fault. After each
 * round: every email of the round sent (0 lost), nothing left pending (0 stuck),
 * duplicates only for rows that were mid-send at a kill (and with the same Message-ID:
 * the id is derived from the delivery), API errors during an outage are 503 never 500,
 * everything recovered without a person, the audit chains verify.
 *
 * `npm run drill` uses the production worker periods and outage lengths (Redis stopped
 * 20 s, PostgreSQL stopped 15 s); test/e2e/ops-drill runs the same code smaller.
 */
import { completeAnswers } from '@app/testing';
import { AuditRepository, createDataSource, DEMO_PASSWORD } from '@app/persistence';
import { Cluster, ClusterOptions, sleep } from './cluster';

export type Fault =
  'worker kill -9' | 'API kill -9' | 'Redis FLUSHALL' | 'Redis stopped' | 'PostgreSQL restart' | 'PostgreSQL stopped mid-send' | 'SMTP 451' | 'SMTP reset';
export const ALL_FAULTS: Fault[] = [
  'worker kill -9',
  'API kill -9',
  'Redis FLUSHALL',
  'Redis stopped',
  'PostgreSQL restart',
  'PostgreSQL stopped mid-send',
  'SMTP 451',
  'SMTP reset',
];

export interface DrillOptions extends ClusterOptions {
  faults: Fault[];
  /** Concurrent simulated clients, and how long each round's load runs. */
  clients: number;
  loadMs: number;
  /** When in the load the fault strikes. */
  faultAtMs: number;
  redisDownMs: number;
  pgDownMs: number;
  /** How long a round may take to come back to "everything sent". */
  recoverWithinMs: number;
  log?: (line: string) => void;
}

export interface RoundResult {
  fault: Fault;
  transitions: number;
  inFlight: number;
  /** Rows in `sending` when a process was killed or the SMTP connection reset: the only ones allowed to go out twice. */
  sendingAtKill: number;
  expected: number;
  sent: number;
  lost: number;
  dup: number;
  dupAllowed: boolean;
  stuck: number;
  http500: number;
  http503: number;
  refused: number;
  recovered: boolean;
  auditOk: boolean;
  seconds: number;
}

interface Tally {
  ok: number;
  s500: number;
  s503: number;
  refused: number;
  other: Map<number, number>;
}

const USERS = { researcher: 'researcher@example.ac.uk', officer: 'officer@example.ac.uk' };
const PASSWORD = DEMO_PASSWORD;

/** Simulated clients: create, submit and assign cases, retrying 503s and refused connections like a careful client. */
class Load {
  private stopAt = 0;
  private rr = 0;
  readonly tally: Tally = { ok: 0, s500: 0, s503: 0, refused: 0, other: new Map() };
  constructor(
    private readonly c: Cluster,
    private readonly tokens: Record<string, string>,
    private readonly officerId: string,
  ) {}

  private port(): number {
    return this.c.apiPorts[this.rr++ % this.c.apiPorts.length];
  }

  private async call(method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
    const giveUp = Date.now() + 120_000;
    for (;;) {
      let status = 0;
      let json: Record<string, unknown> = {};
      try {
        const res = await fetch(`http://127.0.0.1:${this.port()}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      } catch {
        this.tally.refused++;
      }
      if (status >= 200 && status < 300) {
        this.tally.ok++;
        return json;
      }
      if (status === 500) this.tally.s500++;
      else if (status === 503) this.tally.s503++;
      else if (status) this.tally.other.set(status, (this.tally.other.get(status) ?? 0) + 1);
      if (status && status !== 503 && status !== 500) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
      if (Date.now() > giveUp) throw new Error(`${method} ${path}: no success within 120 s`);
      await sleep(300);
    }
  }

  /** One case through create → submit → assign. Resubmitting after an unknown outcome is avoided by reading the state. */
  private async oneCase(): Promise<void> {
    const created = await this.call('POST', '/api/cases', this.tokens.researcher, { title: 'Drill: superconducting films', answers: completeAnswers() });
    const id = created.id as string;
    await this.act(id, 'submit', this.tokens.researcher, {}, 'submitted');
    await this.act(id, 'assign', this.tokens.officer, { assigneeId: this.officerId }, null);
  }

  private async act(id: string, action: string, token: string, body: unknown, after: string | null): Promise<void> {
    try {
      await this.call('POST', `/api/cases/${id}/actions/${action}`, token, body);
    } catch (err) {
      // A retried action whose first attempt committed answers 409: that is success.
      if (!/: 409 /.test((err as Error).message)) throw err;
      if (after) {
        const state = (await this.call('GET', `/api/cases/${id}`, token)).state;
        if (state !== after) throw err;
      }
    }
  }

  async run(ms: number, clients: number): Promise<number> {
    this.stopAt = Date.now() + ms;
    let cases = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < this.stopAt) {
          await this.oneCase();
          cases++;
        }
      }),
    );
    return cases;
  }
}

async function login(c: Cluster, email: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${c.apiPorts[0]}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Retries an owner query through outages. */
async function q<T = Record<string, unknown>>(c: Cluster, sql: string, params: unknown[] = []): Promise<T[]> {
  for (let i = 0; ; i++) {
    try {
      return await c.query<T>(sql, params);
    } catch (err) {
      if (i > 600) throw err;
      await sleep(200);
    }
  }
}

async function counts(c: Cluster, fromDelivery: number) {
  const [r] = await q<{ pendingOutbox: number; unfinished: number; sending: number; sent: number; failed: number; total: number }>(
    c,
    `SELECT (SELECT count(*) FROM outbox WHERE status = 'pending')::int AS "pendingOutbox",
            count(*) FILTER (WHERE status IN ('pending','sending'))::int AS unfinished,
            count(*) FILTER (WHERE status = 'sending')::int AS sending,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*)::int AS total
       FROM delivery WHERE id > $1`,
    [fromDelivery],
  );
  return r;
}

async function waitFor(what: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await what()) return true;
    await sleep(200);
  }
  return false;
}

export async function runDrill(opts: DrillOptions): Promise<{ rounds: RoundResult[]; cluster: { logDir: string; supervisorLog: string[] } }> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const c = await Cluster.start(opts);
  const rounds: RoundResult[] = [];
  try {
    log(
      `private PostgreSQL on ${c.pg.port}, redis-server on ${c.redis.port}, SMTP sink on ${c.sink.port}; starting ${opts.apis} API and ${opts.workers} worker process(es), queues on ${opts.queueBackend}...`,
    );
    await c.up();
    const tokens = { researcher: await login(c, USERS.researcher), officer: await login(c, USERS.officer) };
    const [{ id: officerId }] = await c.query<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [USERS.officer]);

    for (const fault of opts.faults) {
      const [{ max }] = await q<{ max: number }>(c, `SELECT COALESCE(max(id), 0)::int AS max FROM delivery`);
      const load = new Load(c, tokens, officerId);
      const loadDone = load.run(opts.loadMs, opts.clients);
      await sleep(opts.faultAtMs);

      const before = await counts(c, max);
      let sendingAtKill = 0;
      const t0 = Date.now();
      log(`round "${fault}": fault at ${before.unfinished} unfinished deliveries, ${before.pendingOutbox} outbox rows pending`);
      switch (fault) {
        case 'worker kill -9': {
          await waitFor(async () => (await counts(c, max)).sending > 0, 5_000);
          sendingAtKill = (await counts(c, max)).sending;
          c.kill('worker-1');
          break;
        }
        case 'API kill -9':
          c.kill('api-1');
          break;
        case 'Redis FLUSHALL':
          await c.redis.flushall();
          break;
        case 'Redis stopped':
          await c.redis.stop();
          await sleep(opts.redisDownMs);
          await c.redis.start();
          break;
        case 'PostgreSQL restart':
          await c.pg.stop();
          await c.pg.start();
          break;
        case 'PostgreSQL stopped mid-send': {
          await waitFor(async () => (await counts(c, max)).sending > 0, 5_000);
          sendingAtKill = 0; // a database outage is not a kill: nothing may go out twice
          await c.pg.stop();
          await sleep(opts.pgDownMs);
          await c.pg.start();
          break;
        }
        case 'SMTP 451':
          c.sink.refuse(/./, 451, '451 4.3.0 Mailbox temporarily unavailable', 25);
          break;
        case 'SMTP reset':
          // A reset can fall after the server took the message and before its 250 reached
          // the worker: the worker cannot know it was accepted, so it sends again (same
          // Message-ID). Rows mid-send at the reset are allowed that one duplicate.
          await waitFor(async () => (await counts(c, max)).sending > 0, 5_000);
          sendingAtKill = (await counts(c, max)).sending;
          c.smtp.reset(3_000);
          break;
      }
      const transitions = await loadDone.then(
        () => load.tally.ok,
        (err) => {
          log(`load failed: ${(err as Error).message}`);
          return load.tally.ok;
        },
      );

      const recovered = await waitFor(async () => {
        const n = await counts(c, max);
        return n.pendingOutbox === 0 && n.unfinished === 0;
      }, opts.recoverWithinMs);
      const seconds = (Date.now() - t0) / 1000;
      for (const p of c.apiPorts) await c.waitHealthy(p, 60_000).catch(() => undefined);

      const after = await counts(c, max);
      const rows = await q<{ id: string; status: string; messageId: string | null; email: string }>(
        c,
        `SELECT id::text, status, message_id AS "messageId", lower(recipient_email) AS email FROM delivery WHERE id > $1`,
        [max],
      );
      const seen = new Map<string, number>();
      for (const m of c.sink.messages) for (const to of m.to) seen.set(`${m.messageId}|${to}`, (seen.get(`${m.messageId}|${to}`) ?? 0) + 1);
      const sentRows = rows.filter((r) => r.status === 'sent');
      const lost = after.failed + sentRows.filter((r) => !seen.has(`${r.messageId}|${r.email}`)).length;
      const mine = new Set(sentRows.map((r) => `${r.messageId}|${r.email}`));
      const dup = [...mine].reduce((n, k) => n + Math.max(0, (seen.get(k) ?? 0) - 1), 0);

      const ds = createDataSource(c.config, 'owner', 1);
      await ds.initialize();
      const audit = await new AuditRepository(c.config).verify(ds.manager).finally(() => ds.destroy());

      const r: RoundResult = {
        fault,
        transitions,
        inFlight: before.unfinished + before.pendingOutbox,
        sendingAtKill,
        expected: after.total,
        sent: after.sent,
        lost,
        dup,
        dupAllowed: dup <= sendingAtKill,
        stuck: after.unfinished + after.pendingOutbox,
        http500: load.tally.s500,
        http503: load.tally.s503,
        refused: load.tally.refused,
        recovered: recovered && audit.ok && !c.supervisor.givenUp,
        auditOk: audit.ok,
        seconds,
      };
      rounds.push(r);
      log(`  ${JSON.stringify(r)}`);
    }
  } finally {
    await c.down().catch((err) => log(`tear-down: ${(err as Error).message}`));
  }
  return { rounds, cluster: { logDir: c.logDir, supervisorLog: c.log } };
}

export function drillTable(rounds: RoundResult[]): string {
  const head = ['fault', 'in flight', 'expected', 'sent', 'lost', 'dup', 'stuck', '5xx', 'recovered', 'time'];
  const lines = rounds.map((r) => [
    r.fault,
    String(r.inFlight),
    String(r.expected),
    String(r.sent),
    String(r.lost),
    r.dup ? `${r.dup} (${r.sendingAtKill} mid-send)` : '0',
    String(r.stuck),
    `${r.http500} × 500, ${r.http503} × 503${r.refused ? `, ${r.refused} refused` : ''}`,
    r.recovered ? 'yes' : 'NO',
    `${r.seconds.toFixed(1)} s`,
  ]);
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}

if (require.main === module) {
  const backend = process.argv.includes('--pg-queue') ? 'postgres' : 'redis';
  runDrill({
    apis: 2,
    workers: 2,
    queueBackend: backend,
    faults: ALL_FAULTS,
    clients: 8,
    loadMs: 25_000,
    faultAtMs: 8_000,
    redisDownMs: 20_000,
    pgDownMs: 15_000,
    recoverWithinMs: 240_000,
  }).then(
    ({ rounds, cluster }) => {
      const total = rounds.reduce((a, r) => ({ t: a.t + r.transitions, e: a.e + r.expected }), { t: 0, e: 0 });
      console.log(
        `\nFault drill: ${rounds.length} rounds, ${total.t} successful API calls, ${total.e} expected emails, 2 API + 2 worker processes, queues on ${backend}, production worker periods.\n`,
      );
      console.log(drillTable(rounds));
      console.log(`\nProcess logs: ${cluster.logDir}`);
      const bad = rounds.filter((r) => r.lost || r.stuck || r.http500 || !r.dupAllowed || !r.recovered);
      if (bad.length) {
        console.error(`\nFAILED rounds: ${bad.map((r) => r.fault).join(', ')}`);
        process.exit(1);
      }
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
