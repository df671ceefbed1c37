import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actingRole, caseParts } from '@app/domain';
import { AuditRepository, CaseEntity, CaseListRow, CasePersonRepository, CaseRepository, UserRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseCommit } from '@app/persistence';
import { CaseService } from './case.service';
import { caseView, eventView } from './case-view';
import { ListCasesQuery } from './case.dto';
import { decodeCursor, encodeCursor, filterDigest } from './cursor';
import { caseListFilter } from './list-filter';

/** Reads of cases as the API shows them: the view (what this caller may see), lists by keyset pages, the timeline. */
@Injectable()
export class CaseQueries {
  constructor(
    private readonly ds: DataSource,
    private readonly service: CaseService,
    private readonly commit: CaseCommit,
    private readonly cases: CaseRepository,
    private readonly audit: AuditRepository,
    private readonly users: UserRepository,
    private readonly people: CasePersonRepository,
  ) {}

  /**
   * A case as this caller may see it; `known` is a row the caller's transaction just
   * returned (no re-read), and `knownTeam` the research team it read under the row lock.
   */
  async view(user: CurrentUser, id: string, known?: CaseEntity, knownTeam?: readonly string[]) {
    const em = this.ds.manager;
    const c = known ?? (await this.service.getVisible(em, id, user));
    // `known` was checked by the caller's transaction; the view is the domain rule's either way, on the row as written.
    const view = await this.service.viewOf(em, c, user, known ? knownTeam : undefined);
    const full = caseParts(view === 'staff' ? 'staff' : 'researcher').flags;
    if (!full) return caseView(c, { full, flags: [], timers: [] });
    // Flags, timers, screening and the clock in one statement; the calendar from the cache (issue 17).
    const parts = await this.cases.viewParts(em, id);
    return caseView(c, {
      full,
      flags: parts.flags,
      timers: parts.timers,
      screening: { assessment: parts.assessment, hits: parts.hits },
      sla: await this.commit.clocks.viewOf(em, parts.clock, parts.slaVersion),
    });
  }

  async list(user: CurrentUser, q: ListCasesQuery) {
    const filter = caseListFilter(user, q);
    const sort = q.sort ?? 'created';
    const digest = filterDigest({ filter, viewer: user.id });
    const after = q.cursor ? decodeCursor(q.cursor, sort, digest) : null;
    const page = await this.cases.list(this.ds.manager, await this.service.viewer(this.ds.manager, user), filter, sort, q.limit ?? 25, after);
    // Every row is visible (the SQL rule); on their own rows everyone has the researcher view, as in the single read.
    const team = await this.people.teamCaseIds(
      this.ds.manager,
      user.id,
      page.rows.filter((r) => r.ownerId !== user.id).map((r) => r.id),
    );
    const items = page.rows.map((r) => listRowFor(user, r, team.has(r.id)));
    return { items, nextCursor: page.next ? encodeCursor(sort, digest, page.next) : null };
  }

  /** The audit timeline; researchers see it without internal events and payloads. */
  async events(user: CurrentUser, id: string) {
    const { case: c, parts } = await this.service.access(this.ds.manager, id, user);
    const full = parts.triageReasoning;
    const events = (await this.audit.caseEvents(this.ds.manager, id)).map((e) => eventView(e, full)).filter((e) => e !== null);
    // Who acted, by name and role: only people whose events this caller may already see on this case.
    const actors = await this.users.actorsByIds(
      this.ds.manager,
      events.map((e) => e.actorId),
    );
    return {
      items: events.map((e) => {
        const a = e.actorId ? actors.get(e.actorId) : undefined;
        return { ...e, actorName: a?.name ?? null, actorRole: a ? actingRole(e.action, a.roles, e.actorId === c.ownerId) : null };
      }),
    };
  }
}

/** A list row as this caller may see it: on their own case everyone has the researcher view, which has no risk and no SLA (as the single read). */
export function listRowFor(
  user: CurrentUser,
  r: CaseListRow,
  onTeam = false,
): CaseListRow | Omit<CaseListRow, 'riskLevel' | 'slaState' | 'slaDueAt' | 'slaPaused'> {
  // The research team (access.ts teamIds) has the owner's view: no risk level and no SLA either.
  if ((r.ownerId !== user.id && !onTeam) || caseParts('researcher').risk) return r;
  const { riskLevel: _hidden, slaState: _s, slaDueAt: _d, slaPaused: _p, ...rest } = r;
  return rest;
}
