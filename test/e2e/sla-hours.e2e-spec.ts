import { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { CaseDriver, createTestApp, DEMO, eventually, SmtpSink, startWorker, TestApp } from '@app/testing';
import { TimerService } from '../../apps/worker/src/timers/timer.service';

jest.setTimeout(120_000);

/**
 * Escalations go out only inside business hours. Working hours are set to a day that is
 * not today, so an escalation that comes due now is carried by a new timer row to the
 * next opening (the old row is closed as deferred; no row's due time ever changes),
 * while a reminder is sent at once.
 */
describe('SLA: escalations wait for business hours', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    d = new CaseDriver(t);
    const admin = `Bearer ${await t.token(DEMO.admin)}`;
    const tomorrow = DateTime.now().setZone('Europe/London').plus({ days: 1 }).weekday;
    expect(
      (
        await t
          .http()
          .put('/api/admin/sla/settings')
          .set('Authorization', admin)
          .send({ days: [tomorrow], opens: '09:00', closes: '17:00' })
      ).status,
    ).toBe(200);
    const policy = {
      target: 'PT2S',
      ladder: [
        { type: 'reminder', at: 50, to: 'assignee' },
        { type: 'escalation', at: 100, to: 'rsdo_lead' },
      ],
    };
    expect((await t.http().put('/api/admin/sla/policies/submitted').set('Authorization', admin).send(policy)).status).toBe(200);
    worker = await startWorker(t.config);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink?.close();
  });

  it('defers an escalation due outside business hours to the next opening with a new row; the reminder goes at once', async () => {
    const c = await d.submitted(DEMO.researcher);
    const [escalation] = await t.owner.query(`SELECT id, due_at FROM case_timer WHERE case_id = $1 AND kind = 'sla_escalation'`, [c.id]);
    const deferred = await eventually(
      async () => {
        const [r] = await t.owner.query(`SELECT status, due_at, lateness_ms FROM case_timer WHERE id = $1`, [escalation.id]);
        return r.status === 'deferred' ? r : null;
      },
      20_000,
      'the escalation to be deferred',
    );
    expect(new Date(deferred.due_at).getTime()).toBe(new Date(escalation.due_at).getTime()); // never moved

    const [next] = await t.owner.query(`SELECT id, status, due_at, payload FROM case_timer WHERE case_id = $1 AND kind = 'sla_escalation' AND id <> $2`, [
      c.id,
      escalation.id,
    ]);
    expect(next.status).toBe('pending');
    expect(next.payload.deferredFrom).toBe(String(escalation.id));
    const opening = DateTime.fromJSDate(new Date(next.due_at)).setZone('Europe/London');
    expect(opening.toFormat('HH:mm')).toBe('09:00');
    expect(opening.weekday).toBe(DateTime.now().setZone('Europe/London').plus({ days: 1 }).weekday);
    expect(await worker.get(TimerService).fire(String(next.id))).toBe('not-due');

    await sink.waitFor((ms) => ms.some((m) => m.subject === `[${c.reference}] Reminder: triage reminder`), 15_000, 'the reminder');
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.messages.filter((m) => m.subject.startsWith(`[${c.reference}] Escalation`))).toEqual([]);
  });
});
