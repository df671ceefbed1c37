import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { CaseEntity, CaseRepository, TimerRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseService } from '../cases/case.service';
import { changesFromParent, FieldChange, openLinkedDraft } from '../cases/linked-case';
import { assertExpectedVersion, CaseCommit, endOfBusiness } from '@app/persistence';

export type ReReviewOutcome = 'no_change' | 'follow_up';

/**
 * The periodic re-review of an approved case, answered by its researcher: nothing
 * changed (audited, and the next review is set a year on as a new timer row), or a
 * follow-up case linked to this one and pre-filled from it, like an amendment.
 */
@Injectable()
export class ReReviewService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly caseService: CaseService,
    private readonly cases: CaseRepository,
    private readonly timers: TimerRepository,
    private readonly commit: CaseCommit,
  ) {}

  async answer(user: CurrentUser, id: string, outcome: ReReviewOutcome, note: string | undefined, expectedVersion?: number) {
    return this.ds.transaction(async (em) => {
      const c = await this.caseService.getVisible(em, id, user, true);
      if (c.ownerId !== user.id)
        throw new DomainError(ErrorCode.NOT_ALLOWED_FOR_ROLE, 'Re-review: only the researcher who owns the case answers its re-review.');
      if (c.state !== 'approved')
        throw new DomainError(ErrorCode.INVALID_TRANSITION, `Re-review: only an approved case is re-reviewed; this case is ${c.state}.`);
      assertExpectedVersion(c, expectedVersion);
      const now = new Date();
      const closedTimerIds = await this.timers.cancelPendingReviews(em, c.id);
      let payload: Record<string, unknown>;
      let linked: CaseEntity | null = null;
      if (outcome === 'no_change') {
        const nextReviewDate = DateTime.now().setZone(this.config.timezone).plus({ months: 12 }).toISODate()!;
        const dueAt = endOfBusiness(nextReviewDate, this.config.timezone);
        const [timer] = await this.timers.insert(em, c.id, c.state, now, [{ kind: 're_review', scope: 'case', dueAt, payload: { after: 'no_change' } }]);
        payload = { outcome, note: note ?? null, nextReviewDate, timerId: timer.id, closedTimerIds };
      } else {
        linked = await openLinkedDraft(this.commit, em, c, user.id, now, {
          kind: 're_review',
          description: note ?? 'Periodic re-review: the collaboration has changed.',
        });
        payload = { outcome, note: note ?? null, linkedCaseId: linked.id, linkedReference: linked.reference, closedTimerIds };
      }
      const event = await this.commit.commit(em, c, {
        actorId: user.id,
        action: 're_review',
        now,
        payload,
        outbox: [
          { topic: 'case-event', payload: { action: 're_review', fromState: c.state, toState: c.state, reference: c.reference, actorId: user.id, outcome } },
        ],
      });
      return {
        outcome,
        caseId: c.id,
        version: c.version,
        eventId: event.id,
        ...(outcome === 'no_change' ? { nextReviewDate: payload.nextReviewDate } : {}),
        linkedCase: linked ? { id: linked.id, reference: linked.reference } : null,
      };
    });
  }

  /** What a linked case (amendment or re-review follow-up) changes against its parent. */
  async changes(user: CurrentUser, id: string): Promise<{ parentCaseId: string | null; parentReference: string | null; changes: Record<string, FieldChange> }> {
    const em = this.ds.manager;
    const c = await this.caseService.getVisible(em, id, user);
    if (!c.parentCaseId) return { parentCaseId: null, parentReference: null, changes: {} };
    const parent = await this.cases.findById(em, c.parentCaseId);
    if (!parent) return { parentCaseId: c.parentCaseId, parentReference: null, changes: {} };
    return { parentCaseId: parent.id, parentReference: parent.reference, changes: changesFromParent(parent, c) };
  }
}
