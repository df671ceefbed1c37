import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { actingSigners, parseOutboxMessage } from '@app/domain';
import { actorOf, audienceSource, categoryOf, mailContext, mailRulesFor, PreferenceMode, preferenceVerdict, RecipientSource, TemplateName } from '@app/mail';
import { CaseSummary, NewDelivery, OutboxRow, RelayRepository, UserRepository } from '@app/persistence';

/**
 * Turns one outbox row into its delivery rows. libs/mail decides (pure functions): the
 * table says which audiences get which template, audienceSource says who an audience
 * is, mailContext what the email shows. This loads the facts they need, resolves the
 * people they name, and snapshots the context, so a later send does not depend on how
 * the case moved since.
 */
@Injectable()
export class RecipientResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: RelayRepository,
    private readonly users: UserRepository,
  ) {}

  async deliveriesFor(em: EntityManager, row: OutboxRow): Promise<NewDelivery[]> {
    // Re-checked as read: a row that does not match the registry stays pending and is logged by the relay.
    const m = parseOutboxMessage(row.topic, row.payload);
    const rules = mailRulesFor(m);
    if (!rules.length) return [];
    const c = row.caseId ? await this.repo.caseSummary(em, row.caseId) : null;
    const event = row.eventId ? await this.repo.eventPayload(em, row.eventId) : null;
    const actorId = actorOf(m);
    const facts = { message: m, case: c, event, actorId };

    const wanted: { userId: string; template: TemplateName }[] = [];
    for (const r of rules) {
      for (const userId of await this.resolve(em, audienceSource(r.audience, facts), c)) {
        if (!wanted.some((w) => w.userId === userId && w.template === r.template)) wanted.push({ userId, template: r.template });
      }
    }
    const people = await this.repo.users(em, [...new Set([...wanted.map((w) => w.userId), ...(actorId ? [actorId] : [])])]);
    const timer = m.topic === 'timer-fired' ? await this.repo.timerSummary(em, m.payload.timerId) : null;
    const context = mailContext({
      ...facts, actorName: actorId ? people.get(actorId)?.name ?? null : null, timer, publicUrl: this.config.publicUrl, zone: this.config.timezone,
    });
    const prefs = await this.repo.preferences(em, [...new Set(wanted.map((w) => w.userId))]);

    return wanted.flatMap(({ userId, template }) => {
      const u = people.get(userId);
      if (!u) return []; // a user id that no longer exists cannot be addressed, nor recorded (FK)
      const reason = !u.active ? 'recipient is inactive'
        : !u.email ? 'recipient has no email address'
          : u.emailFlaggedAt ? `recipient address is flagged: ${u.emailFlagReason ?? 'rejected earlier'}`
            : preferenceVerdict(categoryOf(template, row.topic), prefs.get(u.id)?.[categoryOf(template, row.topic)] as PreferenceMode | undefined);
      return [{
        outboxId: row.id, caseId: c?.id ?? null, recipientUserId: u.id, recipientEmail: u.email, template,
        context: { ...context, recipientName: u.name }, status: reason ? 'suppressed' as const : 'pending' as const, reason,
      }];
    });
  }

  /** The people a source names, loaded from the database. */
  private async resolve(em: EntityManager, s: RecipientSource, c: CaseSummary | null): Promise<string[]> {
    switch (s.kind) {
      case 'users':
        return s.ids;
      case 'role':
        return this.users.activeUserIdsWithRole(em, s.role);
      case 'information-asker': {
        const asker = c ? await this.repo.lastInformationAsker(em, c.id) : null;
        return asker ? [asker] : this.resolve(em, s.otherwise, c);
      }
      case 'case-actors':
        return c ? this.repo.distinctActors(em, c.id) : [];
      case 'acting-signers': {
        if (!c) return [];
        const signers = actingSigners(await this.users.departmentSigning(em, c.departmentId), c.ownerId, DateTime.now().setZone(this.config.timezone).toISODate()!);
        return signers.leadSigns ? this.users.activeUserIdsWithRole(em, 'rsdo_lead') : signers.userIds;
      }
    }
  }
}
