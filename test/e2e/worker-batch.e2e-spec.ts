import { INestApplicationContext } from '@nestjs/common';
import { DeliveryRepository } from '@app/persistence';
import { jobIds, JobQueue, QueueName } from '@app/queue';
import { eventually, SmtpSink, startMailingWorker, stopMailingWorker, TestApp } from '@app/testing';
import { deliveryBatchJobs, DeliveryService } from '../../apps/worker/src/deliveries/delivery.service';
import { OutboxRelay } from '../../apps/worker/src/relay/outbox-relay.service';
import { DEFAULT_WORKER_OPTIONS } from '../../apps/worker/src/worker-options';

jest.setTimeout(60_000);

/**
 * send-email-batch: many deliveries leased in one statement and sent together, each with
 * its own fate. On real PostgreSQL, the configured queue backend and an SMTP sink.
 */
describe('worker: batches of deliveries', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    ({ sink, t, worker } = await startMailingWorker());
  });
  afterAll(() => stopMailingWorker({ sink, t, worker }));

  /** Deliveries the relay does not own (their outbox row is done), one user each, ascending ids. */
  const rawDeliveries = async (prefix: string, n: number): Promise<{ id: string; email: string; userId: string }[]> => {
    const [o] = await t.owner.query(`INSERT INTO outbox (topic, payload, status) VALUES ('test', '{}', 'done') RETURNING id`);
    const users: { id: string; email: string }[] = await t.owner.query(
      `INSERT INTO app_user (email, name, roles) SELECT $1 || g || '@example.ac.uk', 'Person ' || g, '{researcher}' FROM generate_series(1, $2) g
       RETURNING id, email`,
      [prefix, n],
    );
    const rows: { id: string; email: string; userId: string }[] = await t.owner.query(
      `INSERT INTO delivery (outbox_id, recipient_user_id, recipient_email, template, context)
       SELECT $1, u, e, 'user-invited', jsonb_build_object('recipientName', 'Person', 'inviteUrl', 'http://localhost:3000/accept-invitation?token=' || e)
         FROM unnest($2::uuid[], $3::text[]) AS x(u, e)
       RETURNING id, recipient_email AS email, recipient_user_id AS "userId"`,
      [o.id, users.map((u) => u.id), users.map((u) => u.email)],
    );
    return rows.map((r) => ({ ...r, id: String(r.id) })).sort((a, b) => Number(a.id) - Number(b.id));
  };
  const row = async (id: string) => (await t.owner.query(`SELECT * FROM delivery WHERE id = $1`, [id]))[0];
  const pendingJob = async (deliveryId: string) => {
    const job = await worker.get(JobQueue).queue(QueueName.Deliveries).getJob(jobIds.delivery(deliveryId));
    return job ? await job.getState() : null;
  };

  it('one bad address in a batch: the others go once, the rejected one fails alone, a greylisted one is retried on its own', async () => {
    const ds = await rawDeliveries('batch-bad-', 6);
    const [rejected, greylisted] = [ds[1], ds[4]];
    sink.refuse(rejected.email, 550, '550 5.1.1 No such user');
    sink.refuse(greylisted.email, 451, '451 4.7.1 Greylisted, try again later', 1);

    const outcome = await worker.get(DeliveryService).sendBatch(ds.map((d) => d.id));
    expect(outcome).toEqual({ sent: 4, failed: 1, retrying: 1, finished: 0, missing: 0 });
    for (const d of ds.filter((x) => x !== rejected && x !== greylisted)) {
      expect(await row(d.id)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(sink.to(d.email)).toHaveLength(1);
    }
    expect(await row(rejected.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await row(rejected.id)).reason).toMatch(/recipient rejected \(550/);
    const [flag] = await t.owner.query(`SELECT email_flagged_at FROM app_user WHERE id = $1`, [rejected.userId]);
    expect(flag.email_flagged_at).not.toBeNull();
    // The greylisted one was released with a send-email job of its own (its backoff is 100–200 ms in tests).
    expect((await row(greylisted.id)).status).not.toBe('failed');
    await eventually(async () => (await row(greylisted.id)).status === 'sent', 15_000, 'the greylisted delivery sent on retry');
    expect(await row(greylisted.id)).toMatchObject({ attempts: 2 });
    expect(sink.to(greylisted.email)).toHaveLength(1);
    expect(sink.refusals.filter((r) => r.rcpt === greylisted.email).map((r) => r.code)).toEqual([451]);
    expect(sink.to(rejected.email)).toHaveLength(0);
    // Nothing of the batch goes out again.
    await new Promise((r) => setTimeout(r, 500));
    for (const d of ds.filter((x) => x !== rejected)) expect(sink.to(d.email)).toHaveLength(1);
  });

  it('a worker killed mid-batch: its leases expire and those rows are sent once; what it finished is not sent again', async () => {
    const ds = await rawDeliveries('batch-crash-', 6);
    const repo = worker.get(DeliveryRepository);
    // The dead worker's batch: it leased the first four in one statement, had finished the first, and died sending the next two.
    const dead = ds.slice(0, 4).map((d, i) => ({ id: d.id, token: `dead-${i}` }));
    const claims = await repo.claimMany(dead, 3_000);
    expect(claims.every((c) => c.outcome === 'claimed')).toBe(true);
    expect(await repo.markSent(ds[0].id, 'dead-0', `<delivery-${ds[0].id}@localhost>`, '250 accepted before the crash')).toBe(true);
    expect(await repo.markSent(ds[3].id, 'dead-3', `<delivery-${ds[3].id}@localhost>`, '250 accepted before the crash')).toBe(true);

    // BullMQ hands the stalled batch job to a live worker: the same ids again.
    const outcome = await worker.get(DeliveryService).sendBatch(ds.map((d) => d.id));
    expect(outcome).toEqual({ sent: 2, failed: 0, retrying: 2, finished: 2, missing: 0 });
    expect(sink.to(ds[0].email)).toHaveLength(0);
    expect(sink.to(ds[3].email)).toHaveLength(0);
    for (const d of ds.slice(4)) expect(sink.to(d.email)).toHaveLength(1);
    // The two the dead worker held stay its until the lease runs out; each has a send-email job for then.
    for (const d of ds.slice(1, 3)) {
      expect(await row(d.id)).toMatchObject({ status: 'sending', lease_token: `dead-${ds.indexOf(d)}` });
      expect(sink.to(d.email)).toHaveLength(0);
      expect(await pendingJob(d.id)).toBe('delayed');
    }

    await eventually(
      async () =>
        (await t.owner.query(`SELECT count(*)::int AS n FROM delivery WHERE id = ANY($1::bigint[]) AND status = 'sent'`, [ds.map((d) => d.id)]))[0].n === 6,
      20_000,
      'every delivery of the batch sent',
    );
    for (const d of ds.slice(1, 3)) expect(await row(d.id)).toMatchObject({ status: 'sent', attempts: 2 });
    await new Promise((r) => setTimeout(r, 500));
    for (const d of ds.slice(1)) expect(sink.to(d.email).length).toBe(d === ds[3] ? 0 : 1);
    expect(sink.to(ds[0].email)).toHaveLength(0);
  });

  it('the sweeper leaves a row alone while its retry waits in the queue (a sweep is not an extra attempt)', async () => {
    // A connection error during an SMTP outage releases the row with a delayed send-email job
    // of its own; once the delay outgrew sweepAfterMs the sweeper batched the row again, each
    // sweep one more attempt, until the row was failed as "gave up" before the server returned.
    const [d] = await rawDeliveries('sweep-wait-', 1);
    const queue = worker.get(JobQueue);
    await queue.enqueue('send-email', { deliveryId: d.id }, jobIds.delivery(d.id), { delay: 60_000, attempts: 1 });
    await t.owner.query(`UPDATE delivery SET updated_at = now() - interval '1 hour' WHERE id = $1`, [d.id]);
    expect(await worker.get(DeliveryService).sweep()).toBe(0);
    await new Promise((r) => setTimeout(r, 1500)); // the worker's own sweeper loop runs every second here
    expect(await row(d.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(sink.to(d.email)).toHaveLength(0);
    // Its job gone (a Redis flush, say), the row is the sweeper's again and goes once.
    await (await queue.queue(QueueName.Deliveries).getJob(jobIds.delivery(d.id)))!.remove();
    await eventually(async () => (await row(d.id)).status === 'sent', 20_000, 'the swept row sent');
    expect(sink.to(d.email)).toHaveLength(1);
  });

  it('the relay enqueues batches of 25 that the worker sends, each email once', async () => {
    const ds = await rawDeliveries('batch-relay-', 30);
    const ids = ds.map((d) => d.id);
    // As the relay does after commit: 30 deliveries make two send-email-batch jobs, run by the worker's queue.
    expect(deliveryBatchJobs(ids, DEFAULT_WORKER_OPTIONS).map((j) => j.payload.deliveryIds.length)).toEqual([25, 5]);
    await worker.get(OutboxRelay).enqueue(ids);
    await eventually(
      async () => (await t.owner.query(`SELECT count(*)::int AS n FROM delivery WHERE id = ANY($1::bigint[]) AND status = 'sent'`, [ids]))[0].n === 30,
      20_000,
      'the 30 deliveries sent',
    );
    for (const d of ds) expect(sink.to(d.email)).toHaveLength(1);
  });
});
