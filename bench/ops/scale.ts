/**
 * `npm run bench:scale`: one API + one worker, then two of each, on one private
 * PostgreSQL and Redis (and again with the queues on PostgreSQL), under the same load of
 * case transitions with short SLA timers firing. Prints API throughput, email throughput
 * and timer lateness per configuration, and checks that scale-out duplicates nothing:
 * every email once (per Message-ID and recipient), every timer fired at most once, every
 * case's submit and assign events once, audit chains intact.
 *
 * Throughput is reported with the 1 × 1 figure of the same run as the baseline (ratio).
 */
import { AuditRepository, createDataSource, DEMO_PASSWORD } from '@app/persistence';
import { completeAnswers } from '@app/testing';
import { Cluster, sleep } from './cluster';

interface Result {
  backend: string;
  processes: number;
  cases: number;
  apiCallsPerS: number;
  emails: number;
  emailsPerS: number;
  timersFired: number;
  timerLatenessP99Ms: number;
  duplicateEmails: number;
  duplicateTimers: number;
  duplicateEvents: number;
  auditOk: boolean;
}

async function post(port: number, path: string, token: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function token(port: number, email: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export async function runScale(backend: 'redis' | 'postgres', processes: number, loadMs: number, clients: number, log: (l: string) => void): Promise<Result> {
  const c = await Cluster.start({ apis: processes, workers: processes, queueBackend: backend });
  try {
    await c.up();
    const port0 = c.apiPorts[0];
    const admin = await token(port0, 'admin@example.ac.uk');
    const put = async (path: string, body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port0}${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    };
    await put('/api/admin/sla/settings', { days: [1, 2, 3, 4, 5, 6, 7], opens: '00:00', closes: '24:00' });
    await put('/api/admin/sla/policies/submitted', {
      target: 'PT8S',
      atRiskAt: 50,
      ladder: [
        { type: 'reminder', at: 50, to: 'assignee' },
        { type: 'escalation', at: 100, to: 'rsdo_lead' },
      ],
    });
    const researcher = await token(port0, 'researcher@example.ac.uk');
    const officer = await token(port0, 'officer@example.ac.uk');
    const [{ id: officerId }] = await c.query<{ id: string }>(`SELECT id FROM app_user WHERE email = 'officer@example.ac.uk'`);

    let calls = 0;
    let cases = 0;
    let rr = 0;
    const t0 = Date.now();
    const stopAt = t0 + loadMs;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < stopAt) {
          const port = c.apiPorts[rr++ % c.apiPorts.length];
          const created = await post(port, '/api/cases', researcher, { title: 'Scale: superconducting films', answers: completeAnswers() });
          if (created.status !== 201) throw new Error(`create: ${created.status}`);
          const id = created.json.id as string;
          for (const [tok, action, body] of [
            [researcher, 'submit', {}],
            [officer, 'assign', { assigneeId: officerId }],
          ] as const) {
            const res = await post(c.apiPorts[rr++ % c.apiPorts.length], `/api/cases/${id}/actions/${action}`, tok, body);
            if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.json)}`);
          }
          calls += 3;
          cases++;
        }
      }),
    );
    const loadS = (Date.now() - t0) / 1000;
    // Drain: every outbox row relayed, every delivery sent, every timer of these cases fired.
    for (;;) {
      const [n] = await c.query<{ busy: number }>(
        `SELECT ((SELECT count(*) FROM outbox WHERE status = 'pending') + (SELECT count(*) FROM delivery WHERE status IN ('pending','sending'))
               + (SELECT count(*) FROM case_timer WHERE status = 'pending' AND due_at < now() + interval '9 seconds'))::int AS busy`,
      );
      if (!n.busy) break;
      if (Date.now() - t0 > loadMs + 180_000) throw new Error(`not drained: ${n.busy} busy`);
      await sleep(200);
    }
    const drainS = (Date.now() - t0) / 1000;
    const [d] = await c.query<{ sent: number }>(`SELECT count(*)::int AS sent FROM delivery WHERE status = 'sent'`);
    const seen = new Map<string, number>();
    for (const m of c.sink.messages) for (const to of m.to) seen.set(`${m.messageId}|${to}`, (seen.get(`${m.messageId}|${to}`) ?? 0) + 1);
    const duplicateEmails = [...seen.values()].reduce((a, v) => a + v - 1, 0);
    const [tm] = await c.query<{ fired: number; p99: number }>(
      `SELECT count(*)::int AS fired, COALESCE(percentile_disc(0.99) WITHIN GROUP (ORDER BY lateness_ms), 0)::int AS p99 FROM case_timer WHERE status = 'fired'`,
    );
    const [dt] = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT payload->>'timerId' FROM outbox WHERE topic = 'timer-fired' GROUP BY 1 HAVING count(*) > 1) x`,
    );
    const [de] = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT case_id, action FROM case_event WHERE action IN ('submit','assign') GROUP BY 1, 2 HAVING count(*) > 1) x`,
    );
    const ds = createDataSource(c.config, 'owner', 1);
    await ds.initialize();
    const audit = await new AuditRepository(c.config).verify(ds.manager).finally(() => ds.destroy());
    const r: Result = {
      backend,
      processes,
      cases,
      apiCallsPerS: calls / loadS,
      emails: d.sent,
      emailsPerS: d.sent / drainS,
      timersFired: tm.fired,
      timerLatenessP99Ms: tm.p99,
      duplicateEmails,
      duplicateTimers: dt.n,
      duplicateEvents: de.n,
      auditOk: audit.ok,
    };
    log(JSON.stringify(r));
    return r;
  } finally {
    await c.down();
  }
}

if (require.main === module) {
  (async () => {
    const loadMs = Number(process.argv[2] ?? 30_000);
    const clients = 16;
    const results: Result[] = [];
    for (const backend of ['redis', 'postgres'] as const) {
      for (const n of [1, 2]) results.push(await runScale(backend, n, loadMs, clients, (l) => console.log(l)));
    }
    console.log(
      `\nScale-out, ${clients} clients for ${loadMs / 1000} s per configuration (create + submit + assign per case; SLA reminder at 4 s, escalation at 8 s):\n`,
    );
    console.log(
      '| queues | API × worker | cases | API calls/s | ratio | emails | emails/s | ratio | timers fired | timer lateness p99 | duplicate emails / timers / events | audit |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      const base = results.find((x) => x.backend === r.backend && x.processes === 1)!;
      console.log(
        `| ${r.backend} | ${r.processes} × ${r.processes} | ${r.cases} | ${r.apiCallsPerS.toFixed(1)} | ${(r.apiCallsPerS / base.apiCallsPerS).toFixed(2)} | ${r.emails} | ${r.emailsPerS.toFixed(1)} | ${(r.emailsPerS / base.emailsPerS).toFixed(2)} | ${r.timersFired} | ${r.timerLatenessP99Ms} ms | ${r.duplicateEmails} / ${r.duplicateTimers} / ${r.duplicateEvents} | ${r.auditOk ? 'ok' : 'BROKEN'} |`,
      );
    }
    const bad = results.filter((r) => r.duplicateEmails || r.duplicateTimers || r.duplicateEvents || !r.auditOk);
    if (bad.length) process.exit(1);
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
