import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Public } from '../../common/request-context';
import { AuthService } from '../auth.service';
import { SsoProvisioningService } from './provisioning.service';
import { SamlService } from './saml.service';
import { failSsoSignIn, finishSsoSignIn } from './sso-session';

/** Browser redirects and SAML bindings, not JSON endpoints: kept out of the OpenAPI document. */
@ApiExcludeController()
@Controller('auth/saml')
export class SamlController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly saml: SamlService,
    private readonly provisioning: SsoProvisioningService,
    private readonly auth: AuthService,
  ) {}

  /** What to register with the IdP or the federation (entity id, ACS URL). */
  @Public()
  @Get('metadata')
  metadata(@Res() res: Response): void {
    res.type('application/samlmetadata+xml').send(this.saml.serviceProviderMetadata());
  }

  /** 302 to the IdP with an AuthnRequest (HTTP-Redirect binding). */
  @Public()
  @Get('login')
  async login(@Res() res: Response): Promise<void> {
    void this.saml.settings; // 404 when SAML is not configured
    try {
      res.redirect(302, await this.saml.loginUrl());
    } catch (err) {
      failSsoSignIn(res, this.config, 'SAML', err);
    }
  }

  /** Assertion consumer service (HTTP-POST binding). */
  @Public()
  @Post('acs')
  @HttpCode(303)
  async acs(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const identity = await this.saml.acs(req.body as Record<string, unknown>);
      const user = await this.provisioning.signIn(identity, this.saml.settings.roleMap);
      await finishSsoSignIn(res, this.config, this.auth, user);
    } catch (err) {
      failSsoSignIn(res, this.config, 'SAML', err);
    }
  }
}
