import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TERMINAL_STATES } from '@app/domain';
import { AuditRepository, CaseRepository, UserRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseCommit } from '@app/persistence';
import { invalidField, notFound } from './admin-errors';

export interface HandoverResult {
  moved: { caseId: string; reference: string }[];
  skipped: { caseId: string; reference: string; reason: string }[];
}

/**
 * Hands a leaver's open cases to another officer. Each case moves in its own
 * transaction, under its row lock, as an audited `assign` event, so a failure part
 * way leaves every case either fully moved or untouched, and a rerun finishes the job.
 */
@Injectable()
export class HandoverService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UserRepository,
    private readonly cases: CaseRepository,
    private readonly audit: AuditRepository,
    private readonly commit: CaseCommit,
  ) {}

  async handover(admin: CurrentUser, fromUserId: string, toUserId: string): Promise<HandoverResult> {
    const em = this.ds.manager;
    const from = await this.users.findById(em, fromUserId);
    if (!from) throw notFound('user', fromUserId);
    if (toUserId === fromUserId) throw invalidField('toUserId', 'cases cannot be handed over to the user who holds them.', 'must be another user');
    const to = await this.users.findById(em, toUserId);
    if (!to || !to.active || !(to.roles.includes('rsdo_officer') || to.roles.includes('rsdo_lead'))) {
      throw invalidField('toUserId', `${toUserId} is not an active RSDO officer or lead.`, 'must be an active RSDO officer or lead');
    }

    const result: HandoverResult = { moved: [], skipped: [] };
    for (const { id, reference } of await this.users.openCasesAssignedTo(em, fromUserId)) {
      const outcome = await this.ds.transaction(async (tx) => {
        const c = await this.cases.lockById(tx, id);
        // Re-read under the lock: the case may have moved on since the list was taken.
        if (!c || c.assigneeId !== fromUserId || TERMINAL_STATES.includes(c.state)) return 'it is no longer an open case assigned to the leaver';
        if (c.ownerId === to.id) return `${to.name} submitted this case and cannot also be its officer`;
        const previousAssigneeId = c.assigneeId;
        c.assigneeId = to.id;
        await this.commit.commit(tx, c, {
          actorId: admin.id,
          action: 'assign',
          payload: { assigneeId: to.id, assigneeName: to.name, previousAssigneeId, handover: true, byAdminId: admin.id },
          outbox: [{ topic: 'case-event', payload: { action: 'assign', fromState: c.state, toState: c.state, reference: c.reference, actorId: admin.id } }],
        });
        return null;
      });
      if (outcome) result.skipped.push({ caseId: id, reference, reason: outcome });
      else result.moved.push({ caseId: id, reference });
    }

    await this.ds.transaction((tx) =>
      this.audit.appendSystemEvent(tx, {
        actorId: admin.id,
        action: 'handover',
        payload: { fromUserId, toUserId, moved: result.moved.map((m) => m.caseId), skipped: result.skipped.map((s) => s.caseId) },
      }),
    );
    return result;
  }
}
