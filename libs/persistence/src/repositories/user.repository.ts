import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { DepartmentSigning, Role, TERMINAL_STATES } from '@app/domain';
import { DepartmentDelegateEntity, DepartmentEntity, InvitationEntity, RefreshTokenEntity, UserEntity } from '../entities/user.entity';

@Injectable()
export class UserRepository {
  findByEmail(em: EntityManager, email: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  findById(em: EntityManager, id: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).findOne({ where: { id } });
  }

  findDepartment(em: EntityManager, id: string): Promise<DepartmentEntity | null> {
    return em.getRepository(DepartmentEntity).findOne({ where: { id } });
  }

  /** The department's head and its live delegations, as the domain's signer rule wants them. */
  /** Active holders of a role, in a stable order (by email): who "the officers" or "the RSDO leads" are. */
  async activeUserIdsWithRole(em: EntityManager, role: string): Promise<string[]> {
    const rows: { id: string }[] = await em.query(`SELECT id FROM app_user WHERE active AND $1 = ANY(roles) ORDER BY email`, [role]);
    return rows.map((r) => r.id);
  }

  async departmentSigning(em: EntityManager, departmentId: string | null): Promise<DepartmentSigning> {
    if (!departmentId) return { headUserId: null, delegates: [] };
    const dept = await this.findDepartment(em, departmentId);
    const delegates = await em.getRepository(DepartmentDelegateEntity).find({ where: { departmentId, revokedAt: IsNull() } });
    return {
      headUserId: dept?.headUserId ?? null,
      delegates: delegates.map((d) => ({ userId: d.delegateUserId, startsOn: d.startsOn, endsOn: d.endsOn })),
    };
  }

  // --- Administration: users, invitations, departments, delegations ---

  listUsers(em: EntityManager): Promise<UserEntity[]> {
    return em.getRepository(UserEntity).find({ order: { email: 'ASC' } });
  }

  /** Row lock for a read-modify-write of one user (roles, active). */
  lockById(em: EntityManager, id: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** An invited account: no password until the invitation is accepted. */
  createInvitedUser(em: EntityManager, u: Pick<UserEntity, 'email' | 'name' | 'roles' | 'departmentId'>): Promise<UserEntity> {
    const repo = em.getRepository(UserEntity);
    return repo.save(repo.create({ ...u, passwordHash: null, active: true, emailFlaggedAt: null, emailFlagReason: null }));
  }

  saveUser(em: EntityManager, u: UserEntity): Promise<UserEntity> {
    return em.getRepository(UserEntity).save(u);
  }

  /** Signs the user out everywhere; returns how many live sessions were ended. */
  /** Serialises password-reset requests of one account for the rest of the transaction. */
  async lockPasswordResets(em: EntityManager, userId: string): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7271))', [userId]);
  }

  async passwordResetRequestedLastMinute(em: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(`SELECT 1 FROM password_reset WHERE user_id = $1 AND created_at > now() - interval '1 minute'`, [userId]);
    return rows.length > 0;
  }

  /** A one-hour reset link's row; only the token's hash is stored. */
  async createPasswordReset(em: EntityManager, userId: string, tokenHash: string): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO password_reset (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour') RETURNING id`,
      [userId, tokenHash],
    );
    return String(row.id);
  }

  /** The unused, unexpired reset with this token hash, locked; null when there is none. */
  async lockLivePasswordReset(em: EntityManager, tokenHash: string): Promise<{ id: string; userId: string } | null> {
    const [row] = await em.query<{ id: string; user_id: string }[]>(
      `SELECT id, user_id FROM password_reset WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() FOR UPDATE`,
      [tokenHash],
    );
    return row ? { id: String(row.id), userId: String(row.user_id) } : null;
  }

  /** Uses up every open reset link of the account. */
  async usePasswordResets(em: EntityManager, userId: string): Promise<void> {
    await em.query(`UPDATE password_reset SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }

  /** Whether the session (refresh-token family) is still live: not revoked, not expired. */
  /**
   * Who a bearer token speaks for, as the database says now, in one statement (every
   * request asks): the user (null: no such account) and whether the session (refresh-token
   * family) is still live. Nothing is cached, so a revoked session ends at once.
   */
  async sessionUser(
    em: EntityManager,
    userId: string,
    familyId: string,
  ): Promise<{ user: Pick<UserEntity, 'id' | 'email' | 'name' | 'roles' | 'departmentId' | 'active'>; live: boolean } | null> {
    const [row] = await em.query<
      ({ id: string; email: string; name: string; roles: Role[]; departmentId: string | null; active: boolean; live: boolean } | undefined)[]
    >(
      `SELECT u.id, u.email, u.name, u.roles, u.department_id AS "departmentId", u.active,
              EXISTS (SELECT 1 FROM refresh_token r WHERE r.family_id = $2 AND r.user_id = u.id AND r.revoked_at IS NULL AND r.expires_at > now()) AS live
         FROM app_user u WHERE u.id = $1`,
      [userId, familyId],
    );
    if (!row) return null;
    const { live, ...user } = row;
    return { user, live };
  }

  async revokeRefreshTokens(em: EntityManager, userId: string): Promise<number> {
    const res = await em.getRepository(RefreshTokenEntity).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return res.affected ?? 0;
  }

  createInvitation(em: EntityManager, i: Pick<InvitationEntity, 'userId' | 'tokenHash' | 'expiresAt'>): Promise<InvitationEntity> {
    const repo = em.getRepository(InvitationEntity);
    return repo.save(repo.create({ ...i, usedAt: null }));
  }

  /** Open cases (not approved, rejected or withdrawn) for which this user is the accountable officer. */
  openCasesAssignedTo(em: EntityManager, userId: string): Promise<{ id: string; reference: string }[]> {
    return em.query(`SELECT id, reference FROM collaboration_case WHERE assignee_id = $1 AND NOT (state = ANY($2::text[])) ORDER BY created_at, id`, [
      userId,
      TERMINAL_STATES,
    ]);
  }

  listDepartments(em: EntityManager): Promise<DepartmentEntity[]> {
    return em.getRepository(DepartmentEntity).find({ order: { code: 'ASC' } });
  }

  findDepartmentByCode(em: EntityManager, code: string): Promise<DepartmentEntity | null> {
    return em.getRepository(DepartmentEntity).createQueryBuilder('d').where('lower(d.code) = lower(:code)', { code }).getOne();
  }

  createDepartment(em: EntityManager, code: string, name: string): Promise<DepartmentEntity> {
    const repo = em.getRepository(DepartmentEntity);
    return repo.save(repo.create({ code, name, headUserId: null }));
  }

  lockDepartment(em: EntityManager, id: string): Promise<DepartmentEntity | null> {
    return em.getRepository(DepartmentEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  saveDepartment(em: EntityManager, d: DepartmentEntity): Promise<DepartmentEntity> {
    return em.getRepository(DepartmentEntity).save(d);
  }

  /** Delegations not revoked and not yet ended on `today` (YYYY-MM-DD): current and future ones. */
  liveDelegations(em: EntityManager, today: string): Promise<DepartmentDelegateEntity[]> {
    return em
      .getRepository(DepartmentDelegateEntity)
      .createQueryBuilder('dd')
      .where('dd.revoked_at IS NULL AND dd.ends_on >= CAST(:today AS date)', { today })
      .orderBy('dd.starts_on', 'ASC')
      .addOrderBy('dd.id', 'ASC')
      .getMany();
  }

  addDelegation(
    em: EntityManager,
    d: Pick<DepartmentDelegateEntity, 'departmentId' | 'delegateUserId' | 'startsOn' | 'endsOn' | 'createdById'>,
  ): Promise<DepartmentDelegateEntity> {
    const repo = em.getRepository(DepartmentDelegateEntity);
    return repo.save(repo.create({ ...d, revokedAt: null }));
  }

  findDelegation(em: EntityManager, departmentId: string, id: string): Promise<DepartmentDelegateEntity | null> {
    return em.getRepository(DepartmentDelegateEntity).findOne({ where: { id, departmentId } });
  }

  /** Conditional update: false means it was already revoked (or is not this department's). */
  async revokeDelegation(em: EntityManager, departmentId: string, id: string): Promise<boolean> {
    const res = await em.getRepository(DepartmentDelegateEntity).update({ id, departmentId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }

  /** Display names for a handful of users (heads, delegates) without loading every account. */
  async namesByIds(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await em.query('SELECT id, name FROM app_user WHERE id = ANY($1::uuid[])', [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Names and roles of the people who acted on a case (timeline, notes), by id. */
  async actorsByIds(em: EntityManager, ids: (string | null)[]): Promise<Map<string, { name: string; roles: string[] }>> {
    const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
    if (!wanted.length) return new Map();
    const rows: { id: string; name: string; roles: string[] }[] = await em.query('SELECT id, name, roles FROM app_user WHERE id = ANY($1::uuid[])', [wanted]);
    return new Map(rows.map((r) => [r.id, { name: r.name, roles: r.roles }]));
  }

  /**
   * Who signs for a case's department, and the owner's department, in one round trip
   * (the transition path runs it under the case lock on every action).
   */
  async signingForCase(em: EntityManager, ownerId: string, departmentId: string | null): Promise<DepartmentSigning & { ownerDepartmentId: string | null }> {
    const [row] = await em.query<((DepartmentSigning & { ownerDepartmentId: string | null }) | undefined)[]>(
      `SELECT o.department_id AS "ownerDepartmentId", d.head_user_id AS "headUserId",
              coalesce((SELECT json_agg(json_build_object('userId', dd.delegate_user_id, 'startsOn', dd.starts_on::text, 'endsOn', dd.ends_on::text))
                          FROM department_delegate dd WHERE dd.department_id = d.id AND dd.revoked_at IS NULL), '[]') AS delegates
         FROM app_user o
         LEFT JOIN department d ON d.id = coalesce($2::uuid, o.department_id)
        WHERE o.id = $1`,
      [ownerId, departmentId],
    );
    return { ownerDepartmentId: row?.ownerDepartmentId ?? null, headUserId: row?.headUserId ?? null, delegates: row?.delegates ?? [] };
  }

  /** What a non-staff person may sign: departments they head or deputise for today, and whether they can have signed anything. */
  async viewerSigning(em: EntityManager, userId: string, today: string): Promise<{ headOf: string[]; delegateFor: string[]; hasSigned: boolean }> {
    const [row] = await em.query<{ headOf: string[]; delegateFor: string[]; hasSigned: boolean }[]>(
      `SELECT array(SELECT id FROM department WHERE head_user_id = $1)::text[] AS "headOf",
              array(SELECT department_id FROM department_delegate
                     WHERE delegate_user_id = $1 AND revoked_at IS NULL AND $2::date BETWEEN starts_on AND ends_on)::text[] AS "delegateFor",
              -- Only heads, delegates and RSDO leads (staff) can ever sign, so "may have signed" is
              -- answered from the two small tables; asking case_event or signed_by for people who
              -- never signed made the planner scan every row looking for an early match.
              (EXISTS (SELECT 1 FROM department WHERE head_user_id = $1)
               OR EXISTS (SELECT 1 FROM department_delegate WHERE delegate_user_id = $1)) AS "hasSigned"`,
      [userId, today],
    );
    return row;
  }
}
