import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ExportAssessmentInput, findRow, formatDate, SUSPENSION_REASON_LABELS } from '@app/domain';
import { CaseRepository } from '@app/persistence';
// The one commit path for a change to a case. The worker has no commit path of its own
// yet, so this is the only place the worker changes a case, and it goes through CaseCommit.
import { CaseCommit } from '@app/persistence';

export type LapseOutcome = 'suspended' | 'not-approved' | 'renewed';

/**
 * A granted export licence reached its expiry without a renewal (issue 13): the day after
 * `expiresOn` the `licence_lapsed` timer suspends the approval, as an officer's `suspend`
 * with reason `licence_expired_or_refused` would, with no actor. Only an approved case is
 * suspended (a suspended one stays so; a revoked one has no timers left), and only if the
 * licence on the case still has the expiry the timer was set for (a renewal moves it).
 */
@Injectable()
export class LicenceLapse {
  constructor(
    private readonly cases: CaseRepository,
    private readonly commit: CaseCommit,
  ) {}

  async suspend(em: EntityManager, caseId: string, payload: Record<string, unknown>, zone: string): Promise<LapseOutcome> {
    const c = await this.cases.lockById(em, caseId);
    if (!c || !findRow(c.state, 'suspend')) return 'not-approved';
    const licence = (c.exportAssessment as ExportAssessmentInput | null)?.licence;
    if (!licence?.expiresOn || licence.expiresOn !== payload.expiresOn) return 'renewed';
    const now = new Date();
    const expired = formatDate(licence.expiresOn, { zone });
    const reasonText = `The export licence${licence.reference ? ` ${licence.reference}` : ''} expired on ${expired} and no renewal was recorded.`;
    const from = c.state;
    c.state = 'suspended';
    c.suspension = { reasonCategory: 'licence_expired_or_refused', reasonText, byId: null, at: now.toISOString() };
    await this.commit.commit(em, c, {
      actorId: null,
      action: 'suspend',
      from,
      now,
      payload: { reasonCategory: 'licence_expired_or_refused', reasonLabel: SUSPENSION_REASON_LABELS.licence_expired_or_refused, reasonText, automatic: true },
      outbox: [{ topic: 'case-event', payload: { action: 'suspend', fromState: from, toState: 'suspended', reference: c.reference, actorId: null } }],
    });
    return 'suspended';
  }
}
