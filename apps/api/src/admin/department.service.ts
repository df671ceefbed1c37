import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode, todayIn } from '@app/domain';
import { AuditRepository, DepartmentDelegateEntity, DepartmentEntity, UserEntity, UserRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { invalidField, isUniqueViolation, notFound } from './admin-errors';

export function delegationView(d: DepartmentDelegateEntity, names: Map<string, string>) {
  return {
    id: d.id,
    departmentId: d.departmentId,
    userId: d.delegateUserId,
    name: names.get(d.delegateUserId) ?? null,
    startsOn: d.startsOn,
    endsOn: d.endsOn,
    createdById: d.createdById,
    revokedAt: d.revokedAt,
  };
}

function departmentView(d: DepartmentEntity) {
  return { id: d.id, code: d.code, name: d.name, headUserId: d.headUserId };
}

@Injectable()
export class DepartmentService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
  ) {}

  private today(): string {
    return todayIn(this.config.timezone);
  }

  /** Every department with its head and its live (current or future, unrevoked) delegations. */
  async list() {
    const em = this.ds.manager;
    const [departments, delegations] = await Promise.all([this.users.listDepartments(em), this.users.liveDelegations(em, this.today())]);
    const names = await this.users.namesByIds(em, [
      ...departments.flatMap((d) => (d.headUserId ? [d.headUserId] : [])),
      ...delegations.map((x) => x.delegateUserId),
    ]);
    return departments.map((d) => ({
      ...departmentView(d),
      headName: d.headUserId ? (names.get(d.headUserId) ?? null) : null,
      delegates: delegations.filter((x) => x.departmentId === d.id).map((x) => delegationView(x, names)),
    }));
  }

  async create(admin: CurrentUser, input: { code: string; name: string }) {
    const code = input.code.trim().toUpperCase();
    const duplicate = () => new DomainError(ErrorCode.CONFLICT, `A department with the code ${code} already exists.`);
    try {
      return await this.ds.transaction(async (em) => {
        if (await this.users.findDepartmentByCode(em, code)) throw duplicate();
        const d = await this.users.createDepartment(em, code, input.name.trim());
        await this.audit.appendSystemEvent(em, { actorId: admin.id, action: 'department_created', payload: { departmentId: d.id, code, name: d.name } });
        return departmentView(d);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
  }

  private async lockDepartment(em: EntityManager, id: string): Promise<DepartmentEntity> {
    const d = await this.users.lockDepartment(em, id);
    if (!d) throw notFound('department', id);
    return d;
  }

  private async activeUser(em: EntityManager, field: string, id: string): Promise<UserEntity> {
    const u = await this.users.findById(em, id);
    if (!u) throw invalidField(field, `there is no user with id ${id}.`, 'is not a user');
    if (!u.active) throw invalidField(field, `${u.name}'s account is deactivated.`, 'must be an active user');
    return u;
  }

  /** The new head gains the department_head role if they lack it, in the same transaction. */
  async setHead(admin: CurrentUser, id: string, userId: string) {
    return this.ds.transaction(async (em) => {
      const d = await this.lockDepartment(em, id);
      const head = await this.activeUser(em, 'userId', userId);
      const previousHeadUserId = d.headUserId;
      const roleAdded = !head.roles.includes('department_head');
      if (roleAdded) {
        head.roles = [...head.roles, 'department_head' as const].sort();
        await this.users.saveUser(em, head);
      }
      d.headUserId = head.id;
      await this.users.saveDepartment(em, d);
      await this.audit.appendSystemEvent(em, {
        actorId: admin.id,
        action: 'head_set',
        payload: { departmentId: d.id, headUserId: head.id, previousHeadUserId, roleAdded },
      });
      return departmentView(d);
    });
  }

  /** Admins and the department's current head manage its delegations. */
  private assertMayDelegate(actor: CurrentUser, d: DepartmentEntity): void {
    if (!actor.roles.has('admin') && d.headUserId !== actor.id) {
      throw new DomainError(ErrorCode.FORBIDDEN, `Only an administrator or the head of ${d.name} may manage its delegates.`);
    }
  }

  async addDelegate(actor: CurrentUser, id: string, input: { userId: string; startsOn: string; endsOn: string }) {
    return this.ds.transaction(async (em) => {
      const d = await this.lockDepartment(em, id);
      this.assertMayDelegate(actor, d);
      for (const field of ['startsOn', 'endsOn'] as const) {
        if (!DateTime.fromISO(input[field]).isValid)
          throw invalidField(field, `${input[field]} is not a real calendar date.`, 'must be a real date, YYYY-MM-DD');
      }
      if (input.endsOn < input.startsOn) {
        throw invalidField(
          'endsOn',
          `${input.endsOn} is before startsOn (${input.startsOn}); the delegation must end on or after the day it starts.`,
          'must be on or after startsOn',
        );
      }
      const delegate = await this.activeUser(em, 'userId', input.userId);
      if (delegate.id === d.headUserId)
        throw invalidField('userId', `${delegate.name} is the head of ${d.name} and cannot be their own delegate.`, 'must not be the head');
      const row = await this.users.addDelegation(em, {
        departmentId: d.id,
        delegateUserId: delegate.id,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        createdById: actor.id,
      });
      await this.audit.appendSystemEvent(em, {
        actorId: actor.id,
        action: 'delegate_added',
        payload: { departmentId: d.id, delegationId: row.id, delegateUserId: delegate.id, startsOn: input.startsOn, endsOn: input.endsOn },
      });
      return delegationView(row, new Map([[delegate.id, delegate.name]]));
    });
  }

  async revokeDelegate(actor: CurrentUser, id: string, delegationId: string) {
    return this.ds.transaction(async (em) => {
      const d = await this.lockDepartment(em, id);
      this.assertMayDelegate(actor, d);
      const existing = await this.users.findDelegation(em, d.id, delegationId);
      if (!existing) throw notFound(`delegation in ${d.name}`, delegationId);
      if (!(await this.users.revokeDelegation(em, d.id, delegationId))) {
        throw new DomainError(ErrorCode.CONFLICT, `This delegation was already revoked at ${existing.revokedAt?.toISOString()}.`);
      }
      await this.audit.appendSystemEvent(em, {
        actorId: actor.id,
        action: 'delegate_revoked',
        payload: { departmentId: d.id, delegationId, delegateUserId: existing.delegateUserId },
      });
      const row = (await this.users.findDelegation(em, d.id, delegationId))!;
      const u = await this.users.findById(em, row.delegateUserId);
      return delegationView(row, new Map(u ? [[u.id, u.name]] : []));
    });
  }
}
