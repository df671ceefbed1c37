import { Global, Module } from '@nestjs/common';
import { MailRenderer } from './renderer';
import { MailTransport } from './mail.transport';

@Global()
@Module({
  providers: [MailTransport, { provide: MailRenderer, useFactory: () => new MailRenderer() }],
  exports: [MailTransport, MailRenderer],
})
export class MailModule {}
