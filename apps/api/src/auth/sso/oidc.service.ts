import { Inject, Injectable } from '@nestjs/common';
import type * as Oidc from 'openid-client';
import { APP_CONFIG, AppConfig, OidcConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { SsoIdentity } from './provisioning.service';

/** What the browser carries between /oidc/login and /oidc/callback (signed, in a cookie). */
export interface OidcTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
}

type Claims = Record<string, unknown>;

/** openid-client, loaded on first use rather than at boot (issue 17, RSS): most APIs run without OIDC. */
const openidClient = () => require('openid-client') as typeof Oidc;

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : []);

/**
 * OpenID Connect relying party (openid-client): discovery from OIDC_ISSUER_URL,
 * authorisation code with PKCE, state and nonce, ID-token validation, logout.
 */
@Injectable()
export class OidcService {
  private discovered: Promise<Oidc.Configuration> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get settings(): OidcConfig {
    const s = this.config.sso.oidc;
    if (!s) throw new DomainError(ErrorCode.NOT_FOUND, 'OpenID Connect sign-in is not configured (OIDC_ISSUER_URL is not set).');
    return s;
  }

  get redirectUri(): string {
    return `${this.config.publicUrl}/api/auth/oidc/callback`;
  }

  /** Discovery is done once and kept; a failure is not kept, so the next sign-in retries. */
  private configuration(): Promise<Oidc.Configuration> {
    const oidc = openidClient();
    const s = this.settings;
    this.discovered ??= oidc
      .discovery(
        new URL(s.issuerUrl),
        s.clientId,
        { client_secret: s.clientSecret, [oidc.clockTolerance]: this.config.sso.clockSkewSeconds },
        s.clientSecret ? oidc.ClientSecretPost(s.clientSecret) : oidc.None(),
        // Plain http only outside production (loadConfig refuses it there): local providers in tests and demos.
        { execute: new URL(s.issuerUrl).protocol === 'http:' ? [oidc.allowInsecureRequests] : [], timeout: 10 },
      )
      .then((cfg) => {
        // Verify the ID token's signature even though it came straight from the token
        // endpoint (OIDC Core allows trusting TLS there; a proxy or a bug should not be trusted).
        oidc.enableNonRepudiationChecks(cfg);
        return cfg;
      })
      .catch((err) => {
        this.discovered = null;
        throw new DomainError(
          ErrorCode.SERVICE_UNAVAILABLE,
          `The identity provider at ${s.issuerUrl} could not be reached (${err instanceof Error ? err.message : err}); try again shortly.`,
        );
      });
    return this.discovered;
  }

  async start(): Promise<{ url: string; tx: OidcTransaction }> {
    const oidc = openidClient();
    const cfg = await this.configuration();
    const tx: OidcTransaction = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(cfg, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(tx.codeVerifier),
      code_challenge_method: 'S256',
      state: tx.state,
      nonce: tx.nonce,
    });
    return { url: url.href, tx };
  }

  /** Exchanges the code and validates the ID token (signature, issuer, audience, expiry, nonce). */
  async finish(currentUrl: URL, tx: OidcTransaction): Promise<SsoIdentity> {
    const oidc = openidClient();
    const cfg = await this.configuration();
    const providerError = currentUrl.searchParams.get('error');
    if (providerError) {
      const description = currentUrl.searchParams.get('error_description');
      throw new DomainError(ErrorCode.UNAUTHENTICATED, `The identity provider refused the sign-in: ${description || providerError}.`);
    }
    const tokens = await oidc.authorizationCodeGrant(cfg, currentUrl, {
      pkceCodeVerifier: tx.codeVerifier,
      expectedState: tx.state,
      expectedNonce: tx.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims() as Claims | undefined;
    if (!idClaims) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The identity provider sent no ID token.');
    let claims: Claims = idClaims;
    // Groups and profile claims may be in the ID token (Entra) or only at the userinfo endpoint.
    if (cfg.serverMetadata().userinfo_endpoint && tokens.access_token) {
      const info = await oidc.fetchUserInfo(cfg, tokens.access_token, String(idClaims.sub));
      claims = { ...info, ...idClaims };
    }
    return this.identity(claims);
  }

  identity(claims: Claims): SsoIdentity {
    const s = this.settings;
    const name = typeof claims.name === 'string' ? claims.name : [claims.given_name, claims.family_name].filter((x) => typeof x === 'string').join(' ') || null;
    const dept = s.departmentClaim ? (asStrings(claims[s.departmentClaim])[0] ?? null) : null;
    return {
      protocol: 'oidc',
      issuer: String(claims.iss),
      subject: typeof claims.sub === 'string' ? claims.sub : '',
      email: typeof claims.email === 'string' ? claims.email : null,
      // Entra ID sends no email_verified; its xms_edov says the domain owner verified the address.
      emailVerified: claims.email_verified === true || claims.xms_edov === true || claims.xms_edov === '1',
      name,
      groups: asStrings(claims[s.roleClaim]),
      departmentCode: dept,
    };
  }

  /** RP-initiated logout at the provider, when it offers it; otherwise back to the sign-in page. */
  async logoutUrl(): Promise<string> {
    const oidc = openidClient();
    const back = `${this.config.publicUrl}/sign-in`;
    const cfg = await this.configuration().catch(() => null);
    if (!cfg?.serverMetadata().end_session_endpoint) return back;
    return oidc.buildEndSessionUrl(cfg, { client_id: this.settings.clientId, post_logout_redirect_uri: back }).href;
  }
}
