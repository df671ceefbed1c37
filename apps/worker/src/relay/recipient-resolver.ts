import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { actingSigners, DepartmentSigning, describeSlaDuration, OutboxMessage, parseOutboxMessage, StageSlaPolicy, todayIn } from '@app/domain';
import {
  actorOf,
  audienceSource,
  categoryOf,
  MailRule,
  mailContext,
  mailRulesFor,
  PreferenceMode,
  preferenceVerdict,
  RecipientSource,
  TemplateName,
} from '@app/mail';
import { CaseSummary, NewDelivery, OutboxRow, Recipient, RelayRepository, SlaRepository, UserRepository } from '@app/persistence';

/** One outbox row that could not be turned into deliveries: it stays pending, and the relay logs why. */
export interface UnresolvedRow {
  row: OutboxRow;
  error: Error;
}

/**
 * The facts of one relay batch, each loaded once: the batch's cases and events in one
 * statement each, the people and their preferences in one statement each after every
 * row has named its audience, and the rarer facts (a role's holders, a case's actors, a
 * timer, an SLA policy) memoised, so a hundred invitations cost four statements, not five
 * hundred.
 */
class BatchFacts {
  private readonly cases = new Map<string, Promise<CaseSummary | null>>();
  private readonly events = new Map<string, Promise<Record<string, unknown> | null>>();
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly em: EntityManager,
    private readonly repo: RelayRepository,
    private readonly users: UserRepository,
    private readonly sla: SlaRepository,
  ) {}

  async preload(caseIds: string[], eventIds: string[]): Promise<void> {
    const cases = await this.repo.caseSummaries(this.em, [...new Set(caseIds)]);
    for (const id of caseIds) this.cases.set(id, Promise.resolve(cases.get(id) ?? null));
    const events = await this.repo.eventPayloads(this.em, [...new Set(eventIds)]);
    for (const id of eventIds) this.events.set(id, Promise.resolve(events.get(id) ?? null));
  }

  caseSummary(id: string): Promise<CaseSummary | null> {
    return once(this.cases, id, () => this.repo.caseSummary(this.em, id));
  }

  eventPayload(id: string): Promise<Record<string, unknown> | null> {
    return once(this.events, id, () => this.repo.eventPayload(this.em, id));
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return once(this.memo, key, load) as Promise<T>;
  }

  roleHolders(role: string): Promise<string[]> {
    return this.cached(`role:${role}`, () => this.users.activeUserIdsWithRole(this.em, role));
  }

  lastInformationAsker(caseId: string): Promise<string | null> {
    return this.cached(`asker:${caseId}`, () => this.repo.lastInformationAsker(this.em, caseId));
  }

  distinctActors(caseId: string): Promise<string[]> {
    return this.cached(`actors:${caseId}`, () => this.repo.distinctActors(this.em, caseId));
  }

  departmentSigning(departmentId: string | null): Promise<DepartmentSigning> {
    return this.cached(`signing:${departmentId ?? ''}`, () => this.users.departmentSigning(this.em, departmentId));
  }

  timerSummary(timerId: string) {
    return this.cached(`timer:${timerId}`, () => this.repo.timerSummary(this.em, timerId));
  }

  policy(stage: string): Promise<StageSlaPolicy | null> {
    return this.cached(`policy:${stage}`, () => this.sla.policy(this.em, stage));
  }

  /** People and their preferences, in one statement each for the whole batch. */
  async people(ids: string[]): Promise<{ people: Map<string, Recipient>; prefs: Map<string, Record<string, string>> }> {
    const unique = [...new Set(ids)];
    return { people: await this.repo.users(this.em, unique), prefs: await this.repo.preferences(this.em, unique) };
  }
}

function once<T>(m: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = m.get(key);
  if (!p) m.set(key, (p = load()));
  return p;
}

/** A row read and its audiences named, waiting for the batch's people to be loaded. */
interface Planned {
  row: OutboxRow;
  message: OutboxMessage;
  case: CaseSummary | null;
  event: Record<string, unknown> | null;
  actorId: string | null;
  wanted: { userId: string; template: TemplateName }[];
  timer: { kind: string; stage: string | null; stageEnteredAt: Date | null } | null;
  submitPolicy: StageSlaPolicy | null;
}

/**
 * Turns outbox rows into their delivery rows. libs/mail decides (pure functions): the
 * table says which audiences get which template, audienceSource says who an audience
 * is, mailContext what the email shows. This loads the facts they need, resolves the
 * people they name, and snapshots the context, so a later send does not depend on how
 * the case moved since.
 *
 * A whole batch is resolved together (`deliveriesForBatch`). A row whose message does not
 * parse, or whose content cannot be built, is returned as unresolved; a database error
 * (a payload naming something the database refuses, such as an id that is not a uuid)
 * is thrown, and the relay then resolves that batch one row at a time (`deliveriesFor`
 * under a savepoint each) so one bad row cannot hold back the others.
 */
@Injectable()
export class RecipientResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: RelayRepository,
    private readonly users: UserRepository,
    private readonly sla: SlaRepository,
  ) {}

  /** One row on its own (the relay's fallback). Throws what the batch would report as unresolved. */
  async deliveriesFor(em: EntityManager, row: OutboxRow): Promise<NewDelivery[]> {
    const { deliveries, unresolved } = await this.deliveriesForBatch(em, [row]);
    if (unresolved.length) throw unresolved[0].error;
    return deliveries;
  }

  async deliveriesForBatch(em: EntityManager, rows: OutboxRow[]): Promise<{ deliveries: NewDelivery[]; resolved: string[]; unresolved: UnresolvedRow[] }> {
    const facts = new BatchFacts(em, this.repo, this.users, this.sla);
    const unresolved: UnresolvedRow[] = [];
    // 1. Parse (re-checked as read: a row that does not match the registry stays pending).
    const parsed: { row: OutboxRow; message: OutboxMessage; rules: MailRule[] }[] = [];
    const resolved: string[] = [];
    for (const row of rows) {
      try {
        const message = parseOutboxMessage(row.topic, row.payload);
        const rules = mailRulesFor(message);
        if (rules.length) parsed.push({ row, message, rules });
        else resolved.push(row.id);
      } catch (err) {
        unresolved.push({ row, error: err as Error });
      }
    }
    if (!parsed.length) return { deliveries: [], resolved, unresolved };
    // 2. The batch's cases and events, one statement each.
    await facts.preload(
      parsed.flatMap((p) => (p.row.caseId ? [p.row.caseId] : [])),
      parsed.flatMap((p) => (p.row.eventId ? [p.row.eventId] : [])),
    );
    // 3. Each row names its audience (memoised look-ups).
    const planned: Planned[] = [];
    for (const { row, message, rules } of parsed) planned.push(await this.plan(facts, row, message, rules));
    // 4. Everyone named, with their preferences, in one statement each.
    const { people, prefs } = await facts.people(planned.flatMap((p) => [...p.wanted.map((w) => w.userId), ...(p.actorId ? [p.actorId] : [])]));
    // 5. Content and verdicts: pure.
    const deliveries: NewDelivery[] = [];
    for (const p of planned) {
      try {
        deliveries.push(...this.build(p, people, prefs));
        resolved.push(p.row.id);
      } catch (err) {
        unresolved.push({ row: p.row, error: err as Error });
      }
    }
    return { deliveries, resolved, unresolved };
  }

  private async plan(facts: BatchFacts, row: OutboxRow, message: OutboxMessage, rules: MailRule[]): Promise<Planned> {
    const c = row.caseId ? await facts.caseSummary(row.caseId) : null;
    const event = row.eventId ? await facts.eventPayload(row.eventId) : null;
    const actorId = actorOf(message);
    const audienceFacts = { message, case: c, event, actorId };
    const wanted: Planned['wanted'] = [];
    for (const r of rules) {
      for (const userId of await this.resolve(facts, audienceSource(r.audience, audienceFacts), c)) {
        if (!wanted.some((w) => w.userId === userId && w.template === r.template)) wanted.push({ userId, template: r.template });
      }
    }
    const timer = message.topic === 'timer-fired' ? await facts.timerSummary(message.payload.timerId) : null;
    // The receipt states the triage target of the SLA policy in force.
    const submitPolicy = message.topic === 'case-event' && message.payload.action === 'submit' ? await facts.policy('submitted') : null;
    return { row, message, case: c, event, actorId, wanted, timer, submitPolicy };
  }

  private build(p: Planned, people: Map<string, Recipient>, prefs: Map<string, Record<string, string>>): NewDelivery[] {
    const { row, case: c, actorId } = p;
    const context = mailContext({
      message: p.message,
      case: c,
      event: p.event,
      actorId,
      triageTarget: p.submitPolicy ? describeSlaDuration(p.submitPolicy.target) : null,
      actorName: actorId ? (people.get(actorId)?.name ?? null) : null,
      timer: p.timer,
      publicUrl: this.config.publicUrl,
      zone: this.config.timezone,
      secretKey: this.config.audit.key,
    });
    return p.wanted.flatMap(({ userId, template }) => {
      const u = people.get(userId);
      if (!u) return []; // a user id that no longer exists cannot be addressed, nor recorded (FK)
      const reason = !u.active
        ? 'recipient is inactive'
        : !u.email
          ? 'recipient has no email address'
          : u.emailFlaggedAt
            ? `recipient address is flagged: ${u.emailFlagReason ?? 'rejected earlier'}`
            : preferenceVerdict(categoryOf(template, row.topic), prefs.get(u.id)?.[categoryOf(template, row.topic)] as PreferenceMode | undefined);
      return [
        {
          outboxId: row.id,
          caseId: c?.id ?? null,
          recipientUserId: u.id,
          recipientEmail: u.email,
          template,
          context: { ...context, recipientName: u.name },
          status: reason ? ('suppressed' as const) : ('pending' as const),
          reason,
        },
      ];
    });
  }

  /** The people a source names, loaded from the database. */
  private async resolve(facts: BatchFacts, s: RecipientSource, c: CaseSummary | null): Promise<string[]> {
    switch (s.kind) {
      case 'users':
        return s.ids;
      case 'role':
        return facts.roleHolders(s.role);
      case 'information-asker': {
        const asker = c ? await facts.lastInformationAsker(c.id) : null;
        return asker ? [asker] : this.resolve(facts, s.otherwise, c);
      }
      case 'case-actors':
        return c ? facts.distinctActors(c.id) : [];
      case 'acting-signers': {
        if (!c) return [];
        const signers = actingSigners(await facts.departmentSigning(c.departmentId), c.ownerId, todayIn(this.config.timezone));
        return signers.leadSigns ? facts.roleHolders('rsdo_lead') : signers.userIds;
      }
    }
  }
}
