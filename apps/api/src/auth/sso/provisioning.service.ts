import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RoleMap } from '@app/config';
import { DomainError, ErrorCode, Role } from '@app/domain';
import { AuditRepository, SsoRepository, UserEntity, UserRepository } from '@app/persistence';

/** What an identity provider said about the person, already read from claims or attributes. */
export interface SsoIdentity {
  protocol: 'oidc' | 'saml';
  /** OIDC issuer URL or SAML IdP entity id: subjects are unique only within it. */
  issuer: string;
  /** The stable id: OIDC `sub`, SAML eduPersonUniqueId, eduPersonPrincipalName or a persistent NameID. */
  subject: string;
  email: string | null;
  /** OIDC `email_verified` (or Entra's `xms_edov`); a SAML IdP vouches for the mail it releases. */
  emailVerified: boolean;
  name: string | null;
  /** Values of the role claim/attribute (group ids, entitlements). */
  groups: readonly string[];
  departmentCode: string | null;
}

/** The roles the provider's groups grant; admin never, whatever the map says. */
export function mappedRoles(roleMap: RoleMap, groups: readonly string[]): Role[] {
  const out = new Set<Role>();
  for (const g of groups) for (const r of roleMap.get(g) ?? []) if (r !== 'admin') out.add(r);
  return [...out].sort();
}

/**
 * Roles are the product's own except those the role map hands out: those follow the
 * provider at every sign-in (leave the group, lose the role). Others, admin included,
 * are kept as the research office granted them.
 */
export function syncRoles(current: readonly Role[], roleMap: RoleMap, groups: readonly string[]): Role[] {
  const managed = new Set<Role>([...roleMap.values()].flat());
  const next = new Set<Role>(current.filter((r) => !managed.has(r)));
  for (const r of mappedRoles(roleMap, groups)) next.add(r);
  if (next.size === 0) next.add('researcher');
  return [...next].sort();
}

/**
 * Just-in-time provisioning: the first sign-in creates the account, a local account with
 * the same, verified, email is linked once, and every sign-in refreshes the mapped roles.
 * Each of these is written to the system audit chain.
 */
@Injectable()
export class SsoProvisioningService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UserRepository,
    private readonly sso: SsoRepository,
    private readonly audit: AuditRepository,
  ) {}

  async signIn(id: SsoIdentity, roleMap: RoleMap): Promise<UserEntity> {
    if (!id.subject)
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The identity provider sent no stable user id, so this sign-in cannot be matched to an account.');
    return this.ds.transaction(async (em) => {
      // Two first sign-ins of one person at once must not create two accounts.
      await this.sso.lockIdentity(em, id.issuer, id.subject);
      const link = await this.sso.findIdentity(em, id.issuer, id.subject);
      let user: UserEntity;
      if (link) {
        const found = await this.users.lockById(em, link.userId);
        if (!found) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The account linked to this sign-in no longer exists.');
        user = found;
        this.assertActive(user);
        await this.sso.touch(em, id.issuer, id.subject);
      } else {
        user = await this.linkOrCreate(em, id, roleMap);
      }
      const roles = syncRoles(user.roles, roleMap, id.groups);
      if (roles.join() !== [...user.roles].sort().join()) {
        const before = [...user.roles].sort();
        user.roles = roles;
        user = await this.users.saveUser(em, user);
        await this.audit.appendSystemEvent(em, {
          actorId: user.id,
          action: 'user_sso_roles_changed',
          payload: { userId: user.id, issuer: id.issuer, from: before, to: roles },
        });
      }
      return user;
    });
  }

  private assertActive(user: UserEntity): void {
    if (!user.active) throw new DomainError(ErrorCode.ACCOUNT_INACTIVE, 'This account has been deactivated; ask the research office to restore it.');
  }

  private async linkOrCreate(em: EntityManager, id: SsoIdentity, roleMap: RoleMap): Promise<UserEntity> {
    const email = id.email?.trim() || null;
    if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
      throw new DomainError(
        ErrorCode.UNAUTHENTICATED,
        'The identity provider did not release an email address; ask IT to release the email claim (or the mail attribute) to this service.',
      );
    }
    const existing = await this.users.findByEmail(em, email);
    if (existing) {
      const locked = (await this.users.lockById(em, existing.id))!;
      if (!id.emailVerified) {
        throw new DomainError(
          ErrorCode.CONFLICT,
          `An account for ${email} exists, but the identity provider did not confirm that address, so it was not linked; ask the research office.`,
        );
      }
      // Linking by email hands the provider the account: never an administrator's.
      if (locked.roles.includes('admin')) {
        throw new DomainError(
          ErrorCode.FORBIDDEN,
          `The account for ${email} is an administrator's; it is not linked to an identity provider by email. Administrators use the break-glass password sign-in.`,
        );
      }
      if (await this.sso.hasIdentityAt(em, locked.id, id.issuer)) {
        throw new DomainError(ErrorCode.CONFLICT, `The account for ${email} is already linked to another identity at this provider; ask the research office.`);
      }
      this.assertActive(locked);
      await this.sso.link(em, { issuer: id.issuer, subject: id.subject, userId: locked.id, protocol: id.protocol });
      await this.audit.appendSystemEvent(em, {
        actorId: locked.id,
        action: 'user_sso_linked',
        payload: { userId: locked.id, email: locked.email, issuer: id.issuer, subject: id.subject, protocol: id.protocol },
      });
      return locked;
    }
    const department = id.departmentCode ? await this.users.findDepartmentByCode(em, id.departmentCode) : null;
    const roles = mappedRoles(roleMap, id.groups);
    const created = await this.users.createInvitedUser(em, {
      email,
      name: id.name?.trim() || email,
      roles: roles.length ? roles : ['researcher'],
      departmentId: department?.id ?? null,
    });
    await this.sso.link(em, { issuer: id.issuer, subject: id.subject, userId: created.id, protocol: id.protocol });
    await this.audit.appendSystemEvent(em, {
      actorId: created.id,
      action: 'user_sso_provisioned',
      payload: {
        userId: created.id,
        email,
        name: created.name,
        roles: created.roles,
        departmentId: created.departmentId,
        issuer: id.issuer,
        subject: id.subject,
        protocol: id.protocol,
        ...(id.departmentCode && !department ? { unknownDepartmentCode: id.departmentCode } : {}),
      },
    });
    return created;
  }
}
