import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SMTP_AUTH_ALARM } from '@app/domain';
import { caseThreadId, classifySmtpError, deliveryMessageId, MailRenderer, MailTransport, SMTP_POOL_SIZE, SmtpErrorLike, subjectLine } from '@app/mail';
import { DeliveryEntity, DeliveryRepository } from '@app/persistence';
import { EnqueueItem, jobIds, JobQueue, QueueName } from '@app/queue';
import { WORKER_OPTIONS, WorkerOptions } from '../worker-options';
import { Coalescer, Slots } from './coalescer';

/** Thrown so BullMQ retries later: returning would complete the job and lose the email. */
export class DeliveryLeaseHeldError extends Error {
  constructor(id: string, until: Date) {
    super(`delivery ${id} is being sent by another attempt (lease until ${new Date(until).toISOString()}); retrying later`);
  }
}

/**
 * send-email retry policy: exponential from the worker's base, with jitter so that
 * many deliveries failing together (a greylisting server, an outage) do not retry in
 * lock-step. BullMQ's jitter 0.5 draws each delay from [50%, 100%] of the exponential value.
 */
export function sendEmailJobOptions(opts: Pick<WorkerOptions, 'sendAttempts' | 'retryBaseMs'>) {
  return { attempts: opts.sendAttempts, backoff: { type: 'exponential' as const, delay: opts.retryBaseMs, jitter: 0.5 } };
}

/** The operator alarm kind for SMTP authentication or configuration failures (mail_alarm.kind); libs/domain names it for the mail status page. */
export { SMTP_AUTH_ALARM };

/**
 * The send-email job that retries one delivery of a batch after its attempt number
 * `attemptsSoFar` failed: the same schedule as if it had been a send-email job all along
 * (the wait after attempt n is base x 2^(n-1), jittered; attempts left: sendAttempts - n).
 */
export function followUpJobOptions(opts: Pick<WorkerOptions, 'sendAttempts' | 'retryBaseMs'>, attemptsSoFar: number) {
  const wait = opts.retryBaseMs * 2 ** (attemptsSoFar - 1);
  return {
    attempts: Math.max(1, opts.sendAttempts - attemptsSoFar),
    delay: Math.round(wait * (0.5 + Math.random() * 0.5)),
    backoff: { type: 'exponential' as const, delay: opts.retryBaseMs * 2 ** attemptsSoFar, jitter: 0.5 },
  };
}

export type SendOutcome = 'sent' | 'already-sent' | 'already-failed' | 'already-suppressed' | 'missing';

/** What one batch did with its deliveries (`retrying`: re-enqueued as send-email jobs). */
export interface BatchOutcome {
  sent: number;
  retrying: number;
  failed: number;
  finished: number;
  missing: number;
}

/** How many deliveries the relay and the sweeper put in one send-email-batch job. */
export const DELIVERY_BATCH_SIZE = 25;
const CONCURRENT_BATCHES = 2;
/** A delivery another attempt holds is tried again this long after its lease runs out. */
const LEASE_SLACK_MS = 250;

/** Delivery ids (ascending) as send-email-batch jobs of DELIVERY_BATCH_SIZE (retried, if the database does not answer, on the send-email schedule). */
export function deliveryBatchJobs(deliveryIds: string[], opts: Pick<WorkerOptions, 'sendAttempts' | 'retryBaseMs'>): EnqueueItem<'send-email-batch'>[] {
  const out: EnqueueItem<'send-email-batch'>[] = [];
  for (let i = 0; i < deliveryIds.length; i += DELIVERY_BATCH_SIZE) {
    const ids = deliveryIds.slice(i, i + DELIVERY_BATCH_SIZE);
    out.push({ payload: { deliveryIds: ids }, jobId: jobIds.deliveryBatch(ids), opts: sendEmailJobOptions(opts) });
  }
  return out;
}

/** An attempt that waited longer than this for an SMTP connection renews its lease before sending. */
const RENEW_LEASE_AFTER_WAIT_MS = 1_000;

@Injectable()
export class DeliveryService {
  private readonly logger = new Logger('DeliveryService');
  /** An alarm may be open (from this or an earlier run) until a send succeeds and clears it. */
  private alarmMayBeOpen = true;
  /** Leases taken by concurrent jobs go to the database together, one statement per batch. */
  private readonly claims = new Coalescer((reqs: { id: string; token: string }[]) => this.deliveries.claimMany(reqs, this.opts.leaseMs));
  /** Likewise "sent" (only the attempt holding the lease may finish its row). */
  private readonly sentRows = new Coalescer((reqs: { id: string; token: string; messageId: string; smtpResponse: string }[]) =>
    this.deliveries.markSentMany(reqs),
  );
  /**
   * At most one send per pooled connection at a time. More jobs than connections run (the
   * queue runner's concurrency), so while one job talks SMTP the next has its lease and its
   * rendered email ready, and the pool never idles on a database round trip.
   */
  private readonly connections = new Slots(SMTP_POOL_SIZE);
  /**
   * Batches holding leases at once: two, so one batch's lease statement and last sends
   * overlap the next one's, without leasing rows far ahead of a free connection (the others
   * wait here, before their lease, holding only their BullMQ job lock).
   */
  private readonly batches = new Slots(CONCURRENT_BATCHES);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    private readonly deliveries: DeliveryRepository,
    private readonly renderer: MailRenderer,
    private readonly transport: MailTransport,
    private readonly queue: JobQueue,
  ) {}

  /**
   * pending → sending (lease) → sent | failed; a transient failure goes back to pending
   * and rethrows for BullMQ's backoff. Running it twice sends once.
   */
  async send(deliveryId: string, finalAttempt: boolean): Promise<SendOutcome> {
    const token = randomUUID();
    const claim = await this.claims.submit({ id: deliveryId, token });
    if (claim.outcome === 'missing') return 'missing';
    if (claim.outcome === 'finished') return `already-${claim.status}` as SendOutcome;
    if (claim.outcome === 'leased') throw new DeliveryLeaseHeldError(deliveryId, claim.leaseUntil);
    return this.deliver(claim.delivery, token, finalAttempt);
  }

  /**
   * A send-email-batch job: the deliveries leased in one statement, sent concurrently
   * through the pooled transport (at most one per connection), each marked sent as its
   * server accepts it (coalesced, one statement per turn). Each delivery keeps its own
   * fate: a rejected or failed one is recorded and does not touch the others; one to retry
   * (a 4xx, a connection error, an SMTP alarm) is released and re-enqueued as its own
   * send-email job with the backoff its attempt count calls for; one whose lease another
   * attempt holds (a killed worker's, until it expires) gets a send-email job for when the
   * lease runs out. Throws only if the lease statement or the re-enqueue fails: then
   * BullMQ retries the whole batch, which sends nothing twice (finished rows stay finished).
   */
  async sendBatch(deliveryIds: string[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { sent: 0, retrying: 0, failed: 0, finished: 0, missing: 0 };
    await this.batches.acquire();
    try {
      const reqs = deliveryIds.map((id) => ({ id, token: randomUUID() }));
      const claims = await this.deliveries.claimMany(reqs, this.opts.leaseMs);
      const again: EnqueueItem<'send-email'>[] = [];
      await Promise.all(
        claims.map(async (claim, i) => {
          const { id, token } = reqs[i];
          if (claim.outcome === 'missing') outcome.missing += 1;
          else if (claim.outcome === 'finished') outcome.finished += 1;
          else if (claim.outcome === 'leased') {
            outcome.retrying += 1;
            again.push(this.retryJob(id, sendEmailJobOptions(this.opts), new Date(claim.leaseUntil).getTime() - Date.now() + LEASE_SLACK_MS));
          } else {
            const attempts = claim.delivery.attempts;
            try {
              await this.deliver(claim.delivery, token, attempts >= this.opts.sendAttempts);
              outcome.sent += 1;
            } catch (err) {
              if (err instanceof UnrecoverableError) {
                outcome.failed += 1; // recorded on the row (failed, or kept pending for the sweeper after the last attempt)
              } else {
                outcome.retrying += 1;
                again.push(this.retryJob(id, followUpJobOptions(this.opts, attempts)));
              }
            }
          }
        }),
      );
      await this.queue.enqueueBulk('send-email', again);
      return outcome;
    } finally {
      this.batches.release();
    }
  }

  private retryJob(deliveryId: string, opts: NonNullable<EnqueueItem<'send-email'>['opts']>, delay?: number): EnqueueItem<'send-email'> {
    return {
      payload: { deliveryId },
      jobId: jobIds.delivery(deliveryId),
      opts: delay === undefined ? opts : { ...opts, delay: Math.max(0, Math.round(delay)) },
    };
  }

  /** One claimed delivery: render, send on a pooled connection, record the outcome (throws as `send` does). */
  private async deliver(d: DeliveryEntity, token: string, finalAttempt: boolean): Promise<'sent'> {
    const publicUrl = this.config.publicUrl;
    const messageId = deliveryMessageId(d.id, publicUrl);
    let mail;
    try {
      const rendered = this.renderer.renderShared(d.template, d.context);
      mail = {
        from: this.config.mail.from,
        to: d.recipientEmail!,
        subject: subjectLine((d.context.reference as string | null) ?? null, rendered.subject),
        text: rendered.text,
        html: rendered.html,
        messageId,
        references: d.caseId ? caseThreadId(d.caseId, publicUrl) : undefined,
        headers: { 'X-TR-Delivery': d.id },
      };
    } catch (err) {
      await this.deliveries.markFailed(d.id, token, `cannot render: ${(err as Error).message}`, null);
      throw new UnrecoverableError(`delivery ${d.id}: ${(err as Error).message}`);
    }

    let response: string;
    const asked = Date.now();
    await this.connections.acquire();
    try {
      // A long wait for a connection ate into the lease: take it again from now, or leave the row to whoever has it.
      if (Date.now() - asked > RENEW_LEASE_AFTER_WAIT_MS && !(await this.deliveries.renewLease(d.id, token, this.opts.leaseMs))) {
        throw new DeliveryLeaseHeldError(d.id, new Date());
      }
    } catch (err) {
      this.connections.release();
      throw err;
    }
    try {
      response = (await this.transport.send(mail)).response;
      this.connections.release();
    } catch (e) {
      this.connections.release();
      const err = e as SmtpErrorLike;
      const reply = err.response ?? null;
      const what = `${err.responseCode ?? err.code ?? 'error'}: ${reply ?? err.message}`;
      switch (classifySmtpError(err)) {
        case 'reject-recipient':
          // The flag first: whoever sees the row failed also sees the address flagged.
          await this.deliveries.flagRecipientAddress(d.recipientUserId, `SMTP ${what}`.slice(0, 500));
          await this.deliveries.markFailed(d.id, token, `recipient rejected (${what})`, reply);
          throw new UnrecoverableError(`delivery ${d.id}: recipient rejected (${what})`);
        case 'fail':
          await this.deliveries.markFailed(d.id, token, `rejected by the mail server (${what})`, reply);
          throw new UnrecoverableError(`delivery ${d.id}: ${what}`);
        case 'alarm':
          // Not the recipient's fault and not the delivery's: keep it pending, tell the operator.
          this.logger.error(`ALARM SMTP authentication or configuration problem (${what}): check SMTP_URL; delivery ${d.id} stays pending`);
          this.alarmMayBeOpen = true;
          await this.deliveries
            .raiseAlarm(SMTP_AUTH_ALARM, `SMTP ${what}`.slice(0, 500))
            .catch((x) => this.logger.error(`cannot record the alarm: ${(x as Error).message}`));
          await this.deliveries.release(d.id, token, what, reply);
          // After the last attempt the job is gone; the sweeper re-enqueues the pending row later.
          throw finalAttempt ? new UnrecoverableError(`delivery ${d.id}: ${what} (kept pending)`) : e;
        case 'retry':
          break;
      }
      if (finalAttempt) {
        await this.deliveries.markFailed(d.id, token, `gave up after retries (${what})`, reply);
        throw new UnrecoverableError(`delivery ${d.id}: gave up (${what})`);
      }
      await this.deliveries.release(d.id, token, what, reply);
      throw e;
    }
    // A crash right here (accepted by SMTP, row still `sending`) is the one window that
    // can send twice; the Message-ID stays the same, so receivers can drop the copy.
    if (!(await this.recordSent(d.id, token, messageId, response))) {
      this.logger.warn(`delivery ${d.id} was sent but its lease had passed to another attempt`);
    }
    if (this.alarmMayBeOpen) {
      this.alarmMayBeOpen = false;
      if (await this.deliveries.clearAlarms()) this.logger.log('the mail server accepts mail again: alarm cleared');
    }
    return 'sent';
  }

  /**
   * The mail server has accepted the message: that knowledge must reach the row, or the
   * lease runs out and the message is sent again. So marking it sent is retried until the
   * database answers (every 250 ms, backing off to 2 s: short enough to come back before
   * another attempt's lease could take the row), with a log line when it had to wait and
   * when it got through. Only a process killed in this window sends twice.
   */
  private async recordSent(id: string, token: string, messageId: string, response: string): Promise<boolean> {
    const started = Date.now();
    let delay = 250;
    for (let attempt = 1; ; attempt++) {
      try {
        const ok = await this.sentRows.submit({ id, token, messageId, smtpResponse: response });
        if (attempt > 1) this.logger.warn(`delivery ${id}: marked sent after waiting ${Date.now() - started} ms for the database (${attempt} attempts)`);
        return ok;
      } catch (err) {
        if (attempt === 1 || attempt % 20 === 0) {
          this.logger.warn(
            `delivery ${id} was accepted by the mail server but marking it sent failed (${(err as Error).message}); retrying until the database answers`,
          );
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2_000);
      }
    }
  }

  /**
   * Re-enqueues unfinished deliveries whose job is gone (a crash after commit, a Redis
   * flush), as batches. Rows named by a job still in the queue are left alone: one running
   * may be alive past its lease (waiting for the database to take "sent"), and one waiting
   * or delayed is the row's retry on its backoff. A batch job's id is not the row's, so
   * BullMQ would not refuse the sweeper's job as a duplicate: each sweep would be one more
   * attempt, and a row whose backoff outgrew sweepAfterMs was failed as "gave up" during an
   * SMTP outage it should have waited out (test/e2e/worker-batch, notify-faults).
   */
  async sweep(): Promise<number> {
    const stale = await this.deliveries.staleUnfinished(this.opts.sweepAfterMs, 1000);
    if (!stale.length) return 0;
    const running = new Set<string>();
    for (const job of await this.queue.queue(QueueName.Deliveries).getJobs(['active', 'waiting', 'delayed', 'prioritized'])) {
      const data = (job?.data ?? {}) as { deliveryIds?: unknown; deliveryId?: unknown };
      if (Array.isArray(data.deliveryIds)) for (const id of data.deliveryIds) running.add(String(id));
      if (typeof data.deliveryId === 'string') running.add(data.deliveryId);
    }
    const ids = stale.filter((id) => !running.has(id));
    await this.queue.enqueueBulk('send-email-batch', deliveryBatchJobs(ids, this.opts));
    return ids.length;
  }
}
