import { Module } from '@nestjs/common';
import { SsoRepository } from '@app/persistence';
import { AuthModule } from '../auth.module';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';
import { SsoProvisioningService } from './provisioning.service';
import { SamlController } from './saml.controller';
import { SamlService } from './saml.service';

/** OpenID Connect and SAML sign-in ending in the product's own session (issue 20). */
@Module({
  imports: [AuthModule],
  controllers: [OidcController, SamlController],
  providers: [OidcService, SamlService, SsoProvisioningService, SsoRepository],
})
export class SsoModule {}
