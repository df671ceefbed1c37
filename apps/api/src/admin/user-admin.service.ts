import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode, Role, sealSecret } from '@app/domain';
import { AuditRepository, DepartmentEntity, OutboxRepository, UserEntity, UserRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { invalidField, isUniqueViolation, notFound } from './admin-errors';

const INVITATION_DAYS = 7;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Roles in a stable order, without repeats, so audit payloads compare cleanly. */
function normaliseRoles(roles: Role[]): Role[] {
  return [...new Set(roles)].sort();
}

export function userView(u: UserEntity, departments: Map<string, DepartmentEntity>) {
  const d = u.departmentId ? departments.get(u.departmentId) : undefined;
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    roles: normaliseRoles(u.roles),
    active: u.active,
    departmentId: u.departmentId,
    department: d ? { id: d.id, code: d.code, name: d.name } : null,
    emailFlagged: u.emailFlaggedAt !== null,
    emailFlagReason: u.emailFlagReason,
    passwordSet: u.passwordHash !== null,
    createdAt: u.createdAt,
  };
}

export type UserView = ReturnType<typeof userView>;

@Injectable()
export class UserAdminService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  private async departmentMap(em: EntityManager): Promise<Map<string, DepartmentEntity>> {
    return new Map((await this.users.listDepartments(em)).map((d) => [d.id, d]));
  }

  private async view(em: EntityManager, u: UserEntity): Promise<UserView> {
    return userView(u, await this.departmentMap(em));
  }

  async list(): Promise<UserView[]> {
    const em = this.ds.manager;
    const departments = await this.departmentMap(em);
    return (await this.users.listUsers(em)).map((u) => userView(u, departments));
  }

  /**
   * Creates the account without a password, and an invitation whose token only the
   * email (via the outbox) and the admin's response carry; the database keeps its hash.
   */
  async create(
    admin: CurrentUser,
    input: { email: string; name: string; roles: Role[]; departmentId?: string },
  ): Promise<{ user: UserView; invitationUrl: string }> {
    const email = input.email.trim().toLowerCase();
    const roles = normaliseRoles(input.roles);
    try {
      return await this.ds.transaction(async (em) => {
        if (await this.users.findByEmail(em, email)) {
          throw new DomainError(ErrorCode.CONFLICT, `A user with the email address ${email} already exists.`);
        }
        if (input.departmentId && !(await this.users.findDepartment(em, input.departmentId))) {
          throw invalidField('departmentId', `there is no department with id ${input.departmentId}.`, 'is not a department');
        }
        const user = await this.users.createInvitedUser(em, { email, name: input.name.trim(), roles, departmentId: input.departmentId ?? null });
        const token = randomBytes(32).toString('base64url');
        const invitation = await this.users.createInvitation(em, {
          userId: user.id,
          tokenHash: sha256(token),
          expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
        });
        // Sealed: the outbox (and later the delivery row) never holds the token in plain text.
        await this.outbox.add(em, {
          topic: 'user-invited',
          payload: { userId: user.id, invitationId: invitation.id, token: sealSecret(token, this.config.audit.key, 'invitation') },
        });
        await this.audit.appendSystemEvent(em, {
          actorId: admin.id,
          action: 'user_created',
          payload: { userId: user.id, email, roles, departmentId: user.departmentId, invitationId: invitation.id },
        });
        return { user: await this.view(em, user), invitationUrl: `${this.config.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}` };
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError(ErrorCode.CONFLICT, `A user with the email address ${email} already exists.`);
      throw err;
    }
  }

  private async lockUser(em: EntityManager, id: string): Promise<UserEntity> {
    const u = await this.users.lockById(em, id);
    if (!u) throw notFound('user', id);
    return u;
  }

  async setRoles(admin: CurrentUser, id: string, requested: Role[]): Promise<UserView> {
    const roles = normaliseRoles(requested);
    return this.ds.transaction(async (em) => {
      const u = await this.lockUser(em, id);
      if (u.id === admin.id && u.roles.includes('admin') && !roles.includes('admin')) {
        throw new DomainError(ErrorCode.CONFLICT, 'You cannot remove your own admin role; ask another administrator to do it.');
      }
      const before = normaliseRoles(u.roles);
      if (before.join() !== roles.join()) {
        u.roles = roles;
        await this.users.saveUser(em, u);
        await this.audit.appendSystemEvent(em, { actorId: admin.id, action: 'roles_changed', payload: { userId: u.id, from: before, to: roles } });
      }
      return this.view(em, u);
    });
  }

  /** The department a user belongs to (their cases are signed off by its head); null clears it. */
  async setDepartment(admin: CurrentUser, id: string, departmentId: string | null): Promise<UserView> {
    return this.ds.transaction(async (em) => {
      const u = await this.lockUser(em, id);
      if (departmentId && !(await this.users.findDepartment(em, departmentId))) {
        throw invalidField('departmentId', `there is no department with id ${departmentId}.`, 'is not a department');
      }
      if (u.departmentId !== departmentId) {
        const from = u.departmentId;
        u.departmentId = departmentId;
        await this.users.saveUser(em, u);
        await this.audit.appendSystemEvent(em, { actorId: admin.id, action: 'department_changed', payload: { userId: u.id, from, to: departmentId } });
      }
      return this.view(em, u);
    });
  }

  /** Takes effect at once: the guard re-reads the user per request, and every session is revoked. */
  async deactivate(admin: CurrentUser, id: string): Promise<UserView> {
    if (id === admin.id) throw new DomainError(ErrorCode.CONFLICT, 'You cannot deactivate your own account; ask another administrator to do it.');
    return this.ds.transaction(async (em) => {
      const u = await this.lockUser(em, id);
      if (u.active) {
        u.active = false;
        await this.users.saveUser(em, u);
        const sessionsRevoked = await this.users.revokeRefreshTokens(em, u.id);
        const openAssignedCases = (await this.users.openCasesAssignedTo(em, u.id)).length;
        await this.audit.appendSystemEvent(em, {
          actorId: admin.id,
          action: 'user_deactivated',
          payload: { userId: u.id, sessionsRevoked, openAssignedCases },
        });
      }
      return this.view(em, u);
    });
  }

  async reactivate(admin: CurrentUser, id: string): Promise<UserView> {
    return this.ds.transaction(async (em) => {
      const u = await this.lockUser(em, id);
      if (!u.active) {
        u.active = true;
        await this.users.saveUser(em, u);
        await this.audit.appendSystemEvent(em, { actorId: admin.id, action: 'user_reactivated', payload: { userId: u.id } });
      }
      return this.view(em, u);
    });
  }
}
