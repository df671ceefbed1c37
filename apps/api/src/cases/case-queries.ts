import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { caseParts } from '@app/domain';
import { AuditRepository, CaseEntity, CaseListRow, CaseRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseCommit } from '../commit/case-commit';
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
  ) {}

  /** A case as this caller may see it; `known` is a row the caller's transaction just returned (no re-read). */
  async view(user: CurrentUser, id: string, known?: CaseEntity) {
    const em = this.ds.manager;
    const c = known ?? (await this.service.getVisible(em, id, user));
    // `known` was checked by the caller's transaction; the view is the domain rule's either way.
    const full = caseParts(c.ownerId === user.id ? 'researcher' : 'staff').flags;
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
    const items = page.rows.map((r) => listRowFor(user, r));
    return { items, nextCursor: page.next ? encodeCursor(sort, digest, page.next) : null };
  }

  /** The audit timeline; researchers see it without internal events and payloads. */
  async events(user: CurrentUser, id: string) {
    const { parts } = await this.service.access(this.ds.manager, id, user);
    const full = parts.triageReasoning;
    const events = await this.audit.caseEvents(this.ds.manager, id);
    return { items: events.map((e) => eventView(e, full)).filter((e) => e !== null) };
  }
}

/** A list row as this caller may see it: on their own case everyone has the researcher view, which has no risk. */
export function listRowFor(user: CurrentUser, r: CaseListRow): CaseListRow | Omit<CaseListRow, 'riskLevel'> {
  if (r.ownerId !== user.id || caseParts('researcher').risk) return r;
  const { riskLevel: _hidden, ...rest } = r;
  return rest;
}
