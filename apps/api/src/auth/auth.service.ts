import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, effectiveRoles, ErrorCode, sealSecret } from '@app/domain';
import { AuditRepository, InvitationEntity, OutboxRepository, RefreshTokenEntity, UserEntity, UserRepository } from '@app/persistence';
import { LOGIN_THROTTLE, LoginThrottleStore, ThrottlePolicy } from '@app/queue';
import { CurrentUser } from '../common/request-context';
import { assertLocalLoginAllowed } from './sso/local-login';
import { passwordProblem } from './password-policy';
import { VerifiedTokens } from './verified-tokens';

/** After the free attempts, an account waits 5 s, then 10 s, 20 s ... at most 5 minutes between attempts. */
const LOGIN_BASE_DELAY_MS = 5_000;
const LOGIN_MAX_DELAY_MS = 300_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
}

@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so a miss costs as long as a hit. */
  private dummyHash: Promise<string> = hash('not-a-real-password-' + randomBytes(8).toString('hex'));
  /** Access tokens already verified by this process (verified-tokens.ts). */
  private readonly verified = new VerifiedTokens();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly users: UserRepository,
    private readonly jwt: JwtService,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottleStore,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /** docs/security.md "Sign-in throttling": free attempts, then a doubling delay per account; a cap per address. */
  private get throttlePolicy(): ThrottlePolicy {
    const a = this.config.auth;
    return {
      freeAttempts: a.loginMaxAttempts,
      windowMs: a.loginWindowSeconds * 1000,
      baseDelayMs: LOGIN_BASE_DELAY_MS,
      maxDelayMs: LOGIN_MAX_DELAY_MS,
      // Wider: a university's NAT puts many people behind one address.
      addressMaxAttempts: a.loginMaxAttempts * 5,
    };
  }

  async login(email: string, password: string, ip: string): Promise<IssuedTokens> {
    const account = `email:${email.toLowerCase()}`;
    const address = `ip:${ip}`;
    // Counted before the password is checked, atomically: parallel guesses cannot outrun the count.
    const r = await this.throttle.reserve(account, address, this.throttlePolicy);
    if (!r.allowed) {
      throw new DomainError(
        ErrorCode.TOO_MANY_ATTEMPTS,
        r.limitedBy === 'account'
          ? `Too many failed sign-in attempts for this account; try again in ${Math.ceil(r.retryAfterMs / 60000)} minute(s), or reset the password.`
          : `Too many sign-in attempts from this address; try again in ${Math.ceil(r.retryAfterMs / 60000)} minute(s).`,
        { retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) },
      );
    }
    const user = await this.users.findByEmail(this.ds.manager, email);
    const ok = await verify(user?.passwordHash ?? (await this.dummyHash), password).catch(() => false);
    if (!user || !user.passwordHash || !ok) {
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'The email address or password is not correct.');
    }
    await this.throttle.succeeded(account, address);
    if (!user.active) throw new DomainError(ErrorCode.ACCOUNT_INACTIVE, 'This account has been deactivated; ask the research office to restore it.');
    assertLocalLoginAllowed(this.config, user);
    return this.issue(user);
  }

  /** A new session (refresh-token family) for the user; the access token names it as `sid`. Single sign-on ends here too. */
  async issue(user: UserEntity, em: EntityManager = this.ds.manager): Promise<IssuedTokens> {
    const familyId = randomUUID();
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    const accessToken = await this.jwt.signAsync({ sub: user.id, sid: familyId }, { expiresIn });
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 86_400_000);
    const repo = em.getRepository(RefreshTokenEntity);
    await repo.save(repo.create({ userId: user.id, familyId, tokenHash: sha256(refreshToken), expiresAt: refreshExpiresAt, revokedAt: null }));
    return { accessToken, expiresIn, refreshToken, refreshExpiresAt };
  }

  /**
   * Rotates the refresh token. A token presented after it was rotated means it was
   * copied: every session of that user is revoked.
   */
  async refresh(refreshToken: string | undefined): Promise<IssuedTokens> {
    if (!refreshToken) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'No session: sign in again.');
    const issued = await this.ds.transaction(async (em): Promise<IssuedTokens | null> => {
      const repo = em.getRepository(RefreshTokenEntity);
      const row = await repo.findOne({ where: { tokenHash: sha256(refreshToken) }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.expiresAt < new Date()) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Your session has expired: sign in again.');
      if (row.revokedAt) {
        // Commit the revocation of every session; throwing here would roll it back.
        await repo.update({ userId: row.userId, revokedAt: IsNull() }, { revokedAt: new Date() });
        return null;
      }
      const user = await this.users.findById(em, row.userId);
      if (!user || !user.active) throw new DomainError(ErrorCode.ACCOUNT_INACTIVE, 'This account has been deactivated.');
      row.revokedAt = new Date();
      await repo.save(row);
      const expiresIn = this.config.auth.accessTokenTtlSeconds;
      const accessToken = await this.jwt.signAsync({ sub: user.id, sid: row.familyId }, { expiresIn });
      const next = randomBytes(32).toString('base64url');
      const refreshExpiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 86_400_000);
      await repo.save(repo.create({ userId: user.id, familyId: row.familyId, tokenHash: sha256(next), expiresAt: refreshExpiresAt, revokedAt: null }));
      return { accessToken, expiresIn, refreshToken: next, refreshExpiresAt };
    });
    if (!issued) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This session was already used; all sessions were signed out for safety. Sign in again.');
    }
    return issued;
  }

  async logout(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    await this.ds.getRepository(RefreshTokenEntity).update({ tokenHash: sha256(refreshToken), revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Sets the password of an invited account; the invitation works once. */
  async acceptInvitation(token: string, password: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const repo = em.getRepository(InvitationEntity);
      const inv = await repo.findOne({ where: { tokenHash: sha256(token) }, lock: { mode: 'pessimistic_write' } });
      if (!inv || inv.usedAt || inv.expiresAt < new Date()) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'token: this invitation link is not valid or has expired; ask for a new one.');
      }
      const user = await this.users.findById(em, inv.userId);
      const problem = passwordProblem(password, user?.email ?? null);
      if (problem) throw new DomainError(ErrorCode.VALIDATION_FAILED, problem, { field: 'password' });
      inv.usedAt = new Date();
      await repo.save(inv);
      await em.getRepository(UserEntity).update({ id: inv.userId }, { passwordHash: await hash(password) });
      await this.audit.appendSystemEvent(em, { actorId: inv.userId, action: 'invitation_accepted', payload: { userId: inv.userId, invitationId: inv.id } });
    });
  }

  /**
   * "Forgot your password": the same answer whether or not the address has an account
   * (no enumeration). For an active account, a one-hour, one-time link is emailed through
   * the outbox (token sealed there, hashed in password_reset); at most one per minute.
   */
  async requestPasswordReset(email: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const user = await this.users.findByEmail(em, email.trim());
      if (!user || !user.active) return;
      await this.users.lockPasswordResets(em, user.id);
      if (await this.users.passwordResetRequestedLastMinute(em, user.id)) return;
      const token = randomBytes(32).toString('base64url');
      const resetId = await this.users.createPasswordReset(em, user.id, sha256(token));
      await this.outbox.add(em, {
        topic: 'password-reset',
        payload: { userId: user.id, resetId, token: sealSecret(token, this.config.audit.key, 'password-reset') },
      });
      await this.audit.appendSystemEvent(em, { actorId: null, action: 'password_reset_requested', payload: { userId: user.id, resetId } });
    });
  }

  /** Sets a new password from a reset link (once, within the hour) and ends every session of the account. */
  async resetPassword(token: string, password: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const row = await this.users.lockLivePasswordReset(em, sha256(token));
      const user = row ? await this.users.findById(em, row.userId) : null;
      if (!row || !user || !user.active) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'token: this reset link is not valid, was already used or has expired; ask for a new one.', {
          field: 'token',
        });
      }
      const problem = passwordProblem(password, user.email);
      if (problem) throw new DomainError(ErrorCode.VALIDATION_FAILED, problem, { field: 'password' });
      await this.users.usePasswordResets(em, user.id);
      await em.getRepository(UserEntity).update({ id: user.id }, { passwordHash: await hash(password) });
      const sessionsRevoked = await this.users.revokeRefreshTokens(em, user.id);
      await this.audit.appendSystemEvent(em, { actorId: user.id, action: 'password_reset', payload: { userId: user.id, resetId: row.id, sessionsRevoked } });
    });
  }

  /**
   * A signed-in person changes their password: the current one is checked (and counted
   * by the sign-in throttle, so a stolen session cannot guess it), the new one must meet
   * the rules, every session ends, and a fresh one is returned for this browser.
   */
  async changePassword(me: CurrentUser, current: string, next: string, ip: string): Promise<IssuedTokens> {
    const account = `email:${me.email.toLowerCase()}`;
    const address = `ip:${ip}`;
    const r = await this.throttle.reserve(account, address, this.throttlePolicy);
    if (!r.allowed)
      throw new DomainError(ErrorCode.TOO_MANY_ATTEMPTS, `Too many wrong passwords; try again in ${Math.ceil(r.retryAfterMs / 60000)} minute(s).`);
    const problem = passwordProblem(next, me.email, 'newPassword');
    return this.ds.transaction(async (em) => {
      const user = await this.users.findById(em, me.id);
      if (!user?.passwordHash || !(await verify(user.passwordHash, current).catch(() => false))) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'currentPassword is not your current password.', { field: 'currentPassword' });
      }
      await this.throttle.succeeded(account, address);
      if (problem) throw new DomainError(ErrorCode.VALIDATION_FAILED, problem, { field: 'newPassword' });
      if (await verify(user.passwordHash, next).catch(() => false)) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'newPassword must differ from the current password.', { field: 'newPassword' });
      }
      await em.getRepository(UserEntity).update({ id: user.id }, { passwordHash: await hash(next) });
      const sessionsRevoked = await this.users.revokeRefreshTokens(em, user.id);
      await this.audit.appendSystemEvent(em, { actorId: user.id, action: 'password_changed', payload: { userId: user.id, sessionsRevoked } });
      return this.issue(user, em);
    });
  }

  /** Resolves a bearer token to the user as the database says now. */
  async authenticate(accessToken: string): Promise<CurrentUser> {
    let claims = this.verified.get(accessToken);
    if (!claims) {
      try {
        const c = await this.jwt.verifyAsync<{ sub: unknown; sid: unknown; exp: unknown; nbf?: unknown }>(accessToken);
        // A token we signed always names a user id and a session; anything else is not ours to look up.
        if (typeof c.sub !== 'string' || !UUID.test(c.sub) || typeof c.sid !== 'string' || !UUID.test(c.sid)) throw new Error('not our claims');
        claims = { sub: c.sub, sid: c.sid, exp: typeof c.exp === 'number' ? c.exp : NaN };
        // We never sign a not-before; a token with one is verified every time rather than remembered.
        if (c.nbf === undefined) this.verified.remember(accessToken, claims);
      } catch {
        throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Your session has expired or the token is not valid: sign in again.');
      }
    }
    const { sub, sid } = claims;
    // The session must still be live: logout, reuse of a rotated refresh token, a password
    // reset or deactivation revoke the family, and end its access tokens with it.
    const found = await this.users.sessionUser(this.ds.manager, sub, sid);
    const user = found?.user;
    const live = found?.live ?? false;
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The account for this token no longer exists.');
    if (!user.active) throw new DomainError(ErrorCode.ACCOUNT_INACTIVE, 'This account has been deactivated.');
    if (!live) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'You have signed out, or this session was ended: sign in again.');
    return { id: user.id, email: user.email, name: user.name, roles: effectiveRoles(user.roles), departmentId: user.departmentId, sessionId: sid };
  }
}
