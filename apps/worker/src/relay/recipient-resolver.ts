import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { actingSigners, describeSlaDuration } from '@app/domain';
import { Audience, caseUrl, categoryOf, mailRulesFor, PreferenceMode, preferenceVerdict } from '@app/mail';
import { NewDelivery, SlaRepository, UserRepository } from '@app/persistence';
import { CaseSummary, OutboxRow, RelayRepository } from './relay.repository';

/**
 * Turns one outbox row into its delivery rows: the table in libs/mail says which
 * audiences get which template; this resolves audiences to users and snapshots what
 * the template needs, so a later send does not depend on how the case moved since.
 */
@Injectable()
export class RecipientResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: RelayRepository,
    private readonly users: UserRepository,
    private readonly sla: SlaRepository,
  ) {}

  async deliveriesFor(em: EntityManager, row: OutboxRow): Promise<NewDelivery[]> {
    const rules = mailRulesFor(row);
    if (!rules.length) return [];
    const c = row.caseId ? await this.repo.caseSummary(em, row.caseId) : null;
    const event = row.eventId ? await this.repo.eventPayload(em, row.eventId) : null;
    const actorId = (row.payload.actorId ?? row.payload.authorId ?? null) as string | null;

    const wanted: { userId: string; template: string }[] = [];
    for (const r of rules) {
      for (const userId of await this.audience(em, r.audience, row, c, event, actorId)) {
        if (!wanted.some((w) => w.userId === userId && w.template === r.template)) wanted.push({ userId, template: r.template });
      }
    }
    const people = await this.repo.users(em, [...new Set([...wanted.map((w) => w.userId), ...(actorId ? [actorId] : [])])]);
    const context = await this.context(em, row, c, event, actorId ? people.get(actorId)?.name ?? null : null);
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

  private async audience(
    em: EntityManager, a: Audience, row: OutboxRow, c: CaseSummary | null, event: Record<string, unknown> | null, actorId: string | null,
  ): Promise<string[]> {
    const officers = () => this.repo.activeUserIdsWithRole(em, 'rsdo_officer');
    switch (a) {
      case 'owner':
        return c ? [c.ownerId] : [];
      case 'assignee':
        return c?.assigneeId ? [c.assigneeId] : [];
      case 'officers':
        return officers();
      case 'assignee-or-officers':
        return c?.assigneeId ? [c.assigneeId] : officers();
      case 'asker': {
        if (c?.assigneeId) return [c.assigneeId];
        const asker = c ? await this.repo.lastInformationAsker(em, c.id) : null;
        return asker ? [asker] : officers();
      }
      case 'new-assignee': {
        const id = (event?.assigneeId ?? null) as string | null;
        return id && id !== actorId ? [id] : []; // nobody needs an email about assigning themselves
      }
      case 'signers': {
        if (!c) return [];
        // The command recorded who may sign when it asked; use that snapshot when present.
        const snap = event?.signers as { userIds?: string[]; leadSigns?: boolean } | undefined;
        const signers = snap && Array.isArray(snap.userIds)
          ? { userIds: snap.userIds, leadSigns: !!snap.leadSigns }
          : actingSigners(await this.users.departmentSigning(em, c.departmentId), c.ownerId, DateTime.now().setZone(this.config.timezone).toISODate()!);
        return signers.leadSigns ? this.repo.activeUserIdsWithRole(em, 'rsdo_lead') : signers.userIds;
      }
      case 'other-party': {
        if (!c) return [];
        if (actorId !== c.ownerId) return [c.ownerId];
        return c.assigneeId ? [c.assigneeId] : officers();
      }
      case 'invited-user':
        return typeof row.payload.userId === 'string' ? [row.payload.userId] : [];
      case 'payload-users':
        return Array.isArray(row.payload.userIds) ? row.payload.userIds.filter((u): u is string => typeof u === 'string') : [];
      case 'actors':
        return c ? this.repo.distinctActors(em, c.id) : [];
      case 'export-officers': {
        const reviewer = (event?.reviewerId ?? null) as string | null;
        return reviewer ? [reviewer] : this.repo.activeUserIdsWithRole(em, 'export_control');
      }
      case 'rsdo-leads':
        return this.repo.activeUserIdsWithRole(em, 'rsdo_lead');
    }
  }

  private async context(
    em: EntityManager, row: OutboxRow, c: CaseSummary | null, event: Record<string, unknown> | null, actorName: string | null,
  ): Promise<Record<string, unknown>> {
    const p = row.payload;
    const ctx: Record<string, unknown> = {
      reference: c?.reference ?? null,
      caseId: c?.id ?? null,
      caseUrl: c ? caseUrl(c.id, this.config.publicUrl) : null,
      actorName: actorName ?? 'The research office',
      action: p.action ?? null,
      fromState: p.fromState ?? null,
      toState: p.toState ?? c?.state ?? null,
    };
    if (row.topic === 'timer-fired' && typeof p.timerId === 'string') {
      const t = await this.repo.timerSummary(em, p.timerId);
      ctx.timerKind = t?.kind ?? p.kind ?? 'reminder';
      ctx.stage = t?.stage ?? c?.state ?? null;
      if (p.details && typeof p.details === 'object') ctx.details = p.details;
      ctx.since = t?.stageEnteredAt ? DateTime.fromJSDate(new Date(t.stageEnteredAt)).setZone(this.config.timezone).toFormat('d LLLL yyyy, HH:mm') : 'some time';
    }
    if (row.topic === 'case-event') Object.assign(ctx, this.eventDetails(String(p.action ?? ''), p, c, event));
    if (row.topic === 'case-event' && p.action === 'submit') {
      // The receipt states the triage target of the SLA policy in force (null: no policy for the stage).
      const policy = await this.sla.policy(em, 'submitted');
      ctx.triageTarget = policy ? describeSlaDuration(policy.target) : null;
    }
    if (row.topic === 'daily-digest') Object.assign(ctx, { day: p.day, ...(p.digest as Record<string, unknown>) });
    if (row.topic === 'user-invited' && typeof p.token === 'string') {
      ctx.inviteUrl = `${this.config.publicUrl}/accept-invitation?token=${encodeURIComponent(p.token)}`;
    }
    return ctx;
  }

  /** What the event's template shows: snapshotted now, so a later send shows the event as it was. */
  private eventDetails(action: string, p: Record<string, unknown>, c: CaseSummary | null, event: Record<string, unknown> | null): Record<string, unknown> {
    const e = event ?? {};
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
    switch (action) {
      case 'request_information': {
        const replyBy = str(e.replyBy);
        return { question: str(e.question), replyBy: replyBy ? DateTime.fromISO(replyBy).toFormat('d LLLL yyyy') : null };
      }
      case 'decline':
        return { comment: str(e.comment) };
      case 'complete_export_review':
        return { outcome: str(e.outcome) };
      case 'screening_hit': {
        const n = Number(p.newHits ?? 0);
        return { newHits: n, manyHits: n !== 1 };
      }
      case 'reject':
        return { reason: str(e.reasonText) ?? str(e.reasonCategory) };
      case 'withdraw':
      case 'reinstate':
      case 'revoke':
      case 'close_not_in_scope':
        return { reason: str(e.reason) };
      case 'suspend':
        return { reasonLabel: str(e.reasonLabel), reason: str(e.reasonText) };
      default: {
        if (p.toState !== 'approved') return {};
        const d = (e.decision as CaseSummary['decision']) ?? c?.decision ?? null;
        return { decisionText: d?.decisionText ?? null, conditions: (d?.conditions ?? []).map((x) => ({ text: x.text, dueDate: x.dueDate ?? null })) };
      }
    }
  }
}
