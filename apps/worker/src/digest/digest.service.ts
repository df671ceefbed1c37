import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { formatDateTime, todayIn } from '@app/domain';
import { caseUrl } from '@app/mail';
import { DigestRepository, OutboxRepository } from '@app/persistence';

/** 08:30 every day, Europe/London (config.timezone): BST and GMT both handled by the scheduler. */
export const DIGEST_CRON = '30 8 * * *';

class AlreadySent extends Error {}

/**
 * The daily digest: for each officer, their open cases, what is due or overdue, and
 * new cases waiting for triage, computed from PostgreSQL when the job runs. It goes
 * out as any other email does, as an outbox row the relay turns into one delivery;
 * digest_run (user, day) makes a second run of the same day a no-op.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger('Digest');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly repo: DigestRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /** Writes the digests of `day` (default: today where the office is). Returns how many were new. */
  async run(day: string = todayIn(this.config.timezone)): Promise<{ day: string; written: number; skipped: number }> {
    const zone = this.config.timezone;
    const endOfDay = DateTime.fromISO(day, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
    const now = Date.now();
    const fmt = (d: Date | string | null) => (d ? formatDateTime(new Date(d), zone) : null);
    const url = (id: string) => caseUrl(id, this.config.publicUrl);
    const recipients = await this.repo.recipients(this.ds.manager);
    const triage = (await this.repo.awaitingTriage(this.ds.manager)).map((c) => ({ reference: c.reference, submittedAt: fmt(c.submittedAt), url: url(c.id) }));
    let written = 0;
    for (const r of recipients) {
      try {
        await this.ds.transaction(async (em) => {
          // One connection in a transaction: the reads go one after another.
          const open = await this.repo.openCases(em, r.id, r.officer);
          const due = await this.repo.due(em, r.id, r.officer, endOfDay);
          const held = await this.repo.held(em, r.id);
          const digest = {
            openCases: open.map((c) => ({
              reference: c.reference,
              state: c.state,
              dueAt: fmt(c.dueAt),
              overdue: !!c.dueAt && new Date(c.dueAt).getTime() < now,
              url: url(c.id),
            })),
            due: due.map((t) => ({ reference: t.reference, kind: t.kind, dueAt: fmt(t.dueAt), overdue: new Date(t.dueAt).getTime() < now, url: url(t.id) })),
            officer: r.officer,
            awaitingTriage: r.officer ? triage : [],
            held: held.map((h) => ({ reference: h.reference ?? '', template: h.template.replace(/-/g, ' '), at: fmt(h.createdAt) })),
          };
          const o = await this.outbox.add(em, { topic: 'daily-digest', payload: { userIds: [r.id], day, digest } });
          if (!(await this.repo.claim(em, r.id, day, String(o.id)))) throw new AlreadySent();
        });
        written += 1;
      } catch (err) {
        if (!(err instanceof AlreadySent)) throw err;
      }
    }
    if (written) this.logger.log(`digest for ${day}: ${written} written, ${recipients.length - written} already sent`);
    return { day, written, skipped: recipients.length - written };
  }
}
