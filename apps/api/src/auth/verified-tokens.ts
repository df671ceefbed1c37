/** What a verified access token says, as AuthService reads it. */
export interface TokenClaims {
  sub: string;
  sid: string;
  /** Expiry, seconds since the epoch (the JWT `exp`). */
  exp: number;
}

/**
 * Access tokens this process has already verified (signature, algorithm, expiry), by their
 * exact text: a client sends the same token with every request for its lifetime, and
 * verifying it again (base64, HMAC, JSON, claim checks) was ~3 % of a triage request's
 * CPU. A hit must be the identical string the signature was checked on, so nothing
 * unverified is ever accepted; expiry is checked again on every use exactly as
 * jsonwebtoken does (expired once the current whole second reaches `exp`). The session
 * and the account are still read from the database per request (AuthService). Bounded:
 * the oldest entry goes when `max` is reached.
 */
export class VerifiedTokens {
  private readonly tokens = new Map<string, TokenClaims>();

  constructor(private readonly max = 10_000) {}

  /** The claims of a token verified before and not expired at `nowMs`; null otherwise. */
  get(token: string, nowMs: number = Date.now()): TokenClaims | null {
    const c = this.tokens.get(token);
    if (!c) return null;
    if (Math.floor(nowMs / 1000) >= c.exp) {
      this.tokens.delete(token);
      return null;
    }
    return c;
  }

  /** Remembers a token whose signature and claims were just verified. */
  remember(token: string, claims: TokenClaims): void {
    if (!Number.isFinite(claims.exp)) return;
    if (this.tokens.size >= this.max) this.tokens.delete(this.tokens.keys().next().value as string);
    this.tokens.set(token, claims);
  }

  get size(): number {
    return this.tokens.size;
  }
}
