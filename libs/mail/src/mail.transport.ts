import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '@app/config';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  references?: string;
  headers?: Record<string, string>;
}

export interface SentInfo {
  response: string;
  accepted: string[];
}

/** How many SMTP connections the one pooled transport keeps; the delivery worker sends on at most this many at once. */
export const SMTP_POOL_SIZE = 5;

/**
 * The pool's shape (the benchmark's raw nodemailer uses the same): SMTP_POOL_SIZE
 * connections, each reused for up to 1,000 messages before it is closed and opened again
 * (nodemailer's default is 100, a reconnect and EHLO every hundred emails).
 */
export const SMTP_POOL_OPTIONS = { pool: true, maxConnections: SMTP_POOL_SIZE, maxMessages: 1_000 } as const;

/**
 * The one pooled nodemailer transport. Timeouts stay well under the sending lease, so
 * an attempt gives up before another may take the row over. Without SMTP_URL (demo)
 * messages are rendered to JSON and logged instead of sent.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly transport: Transporter;
  private readonly logger = new Logger('MailTransport');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.mail.smtpUrl
      ? nodemailer.createTransport({
          url: config.mail.smtpUrl,
          ...SMTP_POOL_OPTIONS,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        } as never)
      : nodemailer.createTransport({ jsonTransport: true });
  }

  async send(mail: OutgoingMail): Promise<SentInfo> {
    const info = await this.transport.sendMail(mail);
    if (!this.config.mail.smtpUrl) this.logger.log(`(no SMTP_URL) would send ${mail.messageId} to ${mail.to}: ${mail.subject}`);
    return { response: String(info.response ?? 'json'), accepted: (info.accepted ?? []).map(String) };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
