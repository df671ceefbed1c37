import { INestApplicationContext } from '@nestjs/common';
import { CaseDriver, createTestApp, DEMO, SmtpSink, startWorker, TestApp } from '@app/testing';
import { DEFAULT_WORKER_OPTIONS } from '../../apps/worker/src/worker-options';

jest.setTimeout(120_000);

/**
 * Short timers on time with the PRODUCTION reconciler period (60 s), not the test
 * harness's 0.5 s: a timer the API inserts gets its delayed job from the worker's
 * LISTEN on `case_timer` right after commit, so a `PT20S` policy's reminder (at 50 %) and
 * escalation (at 100 %) fire within 2 s of due. Before the wake-up, such timers waited
 * for the next reconcile (up to 60 s late, or never when the case moved on first).
 */
describe('SLA timers fire on time without waiting for the reconciler', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    d = new CaseDriver(t);
    const admin = `Bearer ${await t.token(DEMO.admin)}`;
    const hours = await t
      .http()
      .put('/api/admin/sla/settings')
      .set('Authorization', admin)
      .send({ days: [1, 2, 3, 4, 5, 6, 7], opens: '00:00', closes: '24:00' });
    expect(hours.status).toBe(200);
    const policy = await t
      .http()
      .put('/api/admin/sla/policies/submitted')
      .set('Authorization', admin)
      .send({
        target: 'PT20S',
        atRiskAt: 50,
        ladder: [
          { type: 'reminder', at: 50, to: 'assignee' },
          { type: 'escalation', at: 100, to: 'rsdo_lead' },
        ],
      });
    expect(policy.status).toBe(200);
    expect(DEFAULT_WORKER_OPTIONS.reconcileEveryMs).toBe(60_000);
    // The production periods for timers: the reconciler runs once at start, then every 60 s.
    worker = await startWorker(t.config, { reconcileEveryMs: DEFAULT_WORKER_OPTIONS.reconcileEveryMs, sweepEveryMs: DEFAULT_WORKER_OPTIONS.sweepEveryMs });
    await new Promise((r) => setTimeout(r, 500)); // the start-up reconcile is over: what follows is up to the wake-up
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink?.close();
  });

  it('fires a PT20S reminder and escalation within 2 s of their due times', async () => {
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    const pending = await t.owner.query(`SELECT id, due_at FROM case_timer WHERE case_id = $1 AND stage = 'submitted' AND status = 'pending' ORDER BY due_at`, [
      c.id,
    ]);
    expect(pending).toHaveLength(2);

    const escalation = `[${c.reference}] Escalation: submitted is past its service level`;
    await sink.waitFor(() => sink.messages.some((m) => m.subject === escalation), 40_000, 'the escalation email');
    const fired: { status: string; lateness_ms: number; late: number }[] = await t.owner.query(
      `SELECT status, lateness_ms, extract(epoch FROM fired_at - due_at) * 1000 AS late FROM case_timer WHERE id = ANY($1::bigint[]) ORDER BY due_at`,
      [pending.map((p: { id: string }) => p.id)],
    );
    expect(fired.map((f) => f.status)).toEqual(['fired', 'fired']);
    for (const f of fired) {
      expect(Number(f.late)).toBeGreaterThanOrEqual(0);
      expect(Number(f.late)).toBeLessThan(2000);
    }
    expect(sink.messages.some((m) => m.subject === `[${c.reference}] Reminder: triage reminder`)).toBe(true);
  });
});
