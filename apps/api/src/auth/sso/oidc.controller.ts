import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { Public } from '../../common/request-context';
import { REFRESH_COOKIE } from '../auth.controller';
import { AuthService } from '../auth.service';
import { OidcService, OidcTransaction } from './oidc.service';
import { SsoProvisioningService } from './provisioning.service';
import { failSsoSignIn, finishSsoSignIn } from './sso-session';

const TX_COOKIE = 'tr_oidc';
const TX_PATH = '/api/auth/oidc';
const TX_TTL_SECONDS = 600;

/** Browser redirects, not JSON endpoints: kept out of the OpenAPI document. */
@ApiExcludeController()
@Controller('auth/oidc')
export class OidcController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly oidc: OidcService,
    private readonly provisioning: SsoProvisioningService,
    private readonly auth: AuthService,
    private readonly jwt: JwtService,
  ) {}

  /** 302 to the provider; state, nonce and PKCE verifier ride in a signed, short-lived cookie. */
  @Public()
  @Get('login')
  async login(@Res() res: Response): Promise<void> {
    void this.oidc.settings; // 404 when OpenID Connect is not configured
    let started: Awaited<ReturnType<OidcService['start']>>;
    try {
      started = await this.oidc.start();
    } catch (err) {
      return failSsoSignIn(res, this.config, 'OIDC', err);
    }
    const { url, tx } = started;
    const signed = await this.jwt.signAsync({ ...tx, typ: 'oidc-tx' }, { expiresIn: TX_TTL_SECONDS });
    // Lax, not strict: the provider's redirect back is a cross-site top-level GET.
    res.cookie(TX_COOKIE, signed, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.nodeEnv === 'production',
      path: TX_PATH,
      maxAge: TX_TTL_SECONDS * 1000,
    });
    res.redirect(302, url);
  }

  @Public()
  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.clearCookie(TX_COOKIE, { path: TX_PATH });
    try {
      const tx = await this.transaction((req.cookies as Record<string, string> | undefined)?.[TX_COOKIE]);
      const identity = await this.oidc.finish(new URL(req.originalUrl, this.config.publicUrl), tx);
      const user = await this.provisioning.signIn(identity, this.oidc.settings.roleMap);
      await finishSsoSignIn(res, this.config, this.auth, user);
    } catch (err) {
      failSsoSignIn(res, this.config, 'OIDC', err);
    }
  }

  /** Ends the product's session, then the provider's (RP-initiated logout). */
  @Public()
  @Get('logout')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.auth.logout((req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE]);
    res.clearCookie(REFRESH_COOKIE, { path: '/api/auth' });
    res.redirect(302, await this.oidc.logoutUrl());
  }

  private async transaction(cookie: string | undefined): Promise<OidcTransaction> {
    const lost = new DomainError(ErrorCode.UNAUTHENTICATED, 'This sign-in was not started here or took longer than 10 minutes; start again.');
    if (!cookie) throw lost;
    try {
      const p = await this.jwt.verifyAsync<OidcTransaction & { typ?: string }>(cookie);
      if (p.typ !== 'oidc-tx') throw lost;
      return { state: p.state, nonce: p.nonce, codeVerifier: p.codeVerifier };
    } catch {
      throw lost;
    }
  }
}
