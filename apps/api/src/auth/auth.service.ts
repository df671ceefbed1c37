import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, effectiveRoles, ErrorCode } from '@app/domain';
import { InvitationEntity, RefreshTokenEntity, UserEntity, UserRepository } from '@app/persistence';
import { LOGIN_THROTTLE, LoginThrottleStore } from '@app/queue';
import { CurrentUser } from '../common/request-context';
import { assertLocalLoginAllowed } from './sso/local-login';

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

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly users: UserRepository,
    private readonly jwt: JwtService,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottleStore,
  ) {}

  private throttleKeys(email: string, ip: string): string[] {
    return [`email:${email.toLowerCase()}`, `ip:${ip}`];
  }

  /** Failed attempts are counted in a shared store (Redis, or PostgreSQL on the postgres backend) so every API process shares the limit. */
  private async assertNotThrottled(keys: string[]): Promise<void> {
    const counts = await this.throttle.counts(keys);
    const max = this.config.auth.loginMaxAttempts;
    // The per-address limit is wider: a university's NAT puts many people behind one IP.
    if (counts[0] >= max || counts[1] >= max * 5) {
      const ttl = Math.max(await this.throttle.remainingMs(keys), 1000);
      throw new DomainError(
        ErrorCode.TOO_MANY_ATTEMPTS,
        `Too many failed sign-in attempts; try again in ${Math.ceil(ttl / 60000)} minute(s).`,
      );
    }
  }

  private async recordFailure(keys: string[]): Promise<void> {
    await this.throttle.recordFailure(keys, this.config.auth.loginWindowSeconds * 1000);
  }

  async login(email: string, password: string, ip: string): Promise<IssuedTokens> {
    const keys = this.throttleKeys(email, ip);
    await this.assertNotThrottled(keys);
    const user = await this.users.findByEmail(this.ds.manager, email);
    const ok = await verify(user?.passwordHash ?? (await this.dummyHash), password).catch(() => false);
    if (!user || !user.passwordHash || !ok) {
      await this.recordFailure(keys);
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'The email address or password is not correct.');
    }
    if (!user.active) throw new DomainError(ErrorCode.ACCOUNT_INACTIVE, 'This account has been deactivated; ask the research office to restore it.');
    assertLocalLoginAllowed(this.config, user);
    await this.throttle.reset(keys[0]);
    return this.issue(user);
  }

  /** The product's own session (access + refresh token); single sign-on ends here too. */
  async issue(user: UserEntity): Promise<IssuedTokens> {
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    const accessToken = await this.jwt.signAsync({ sub: user.id }, { expiresIn });
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 86_400_000);
    const repo = this.ds.getRepository(RefreshTokenEntity);
    await repo.save(repo.create({ userId: user.id, tokenHash: sha256(refreshToken), expiresAt: refreshExpiresAt, revokedAt: null }));
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
      const accessToken = await this.jwt.signAsync({ sub: user.id }, { expiresIn });
      const next = randomBytes(32).toString('base64url');
      const refreshExpiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 86_400_000);
      await repo.save(repo.create({ userId: user.id, tokenHash: sha256(next), expiresAt: refreshExpiresAt, revokedAt: null }));
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
      inv.usedAt = new Date();
      await repo.save(inv);
      await em.getRepository(UserEntity).update({ id: inv.userId }, { passwordHash: await hash(password) });
    });
  }

  /** Resolves a bearer token to the user as the database says now. */
  async authenticate(accessToken: string): Promise<CurrentUser> {
    let sub: string;
    try {
      sub = (await this.jwt.verifyAsync<{ sub: unknown }>(accessToken)).sub as string;
      // A token we signed always names a user id; anything else is not ours to look up.
      if (typeof sub !== 'string' || !UUID.test(sub)) throw new Error('sub is not a user id');
    } catch {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Your session has expired or the token is not valid: sign in again.');
    }
    const user = await this.users.findById(this.ds.manager, sub);
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The account for this token no longer exists.');
    if (!user.active) throw new DomainError(ErrorCode.ACCOUNT_INACTIVE, 'This account has been deactivated.');
    return { id: user.id, email: user.email, name: user.name, roles: effectiveRoles(user.roles), departmentId: user.departmentId };
  }
}
