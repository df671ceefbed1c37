import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { MailRenderer } from './renderer';
import { MailTransport } from './mail.transport';

@Global()
@Module({
  providers: [MailTransport, { provide: MailRenderer, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new MailRenderer(undefined, c.audit.key) }],
  exports: [MailTransport, MailRenderer],
})
export class MailModule {}
