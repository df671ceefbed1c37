import { AddressInfo } from 'node:net';
import { AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string;
  subject: string;
  messageId: string;
  references: string[];
  text: string;
  html: string;
  receivedAt: number;
}

interface Rule {
  match: (rcpt: string) => boolean;
  code: number;
  message: string;
  /** How many more times the rule applies. */
  remaining: number;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => (v.address ?? '').toLowerCase()));
}

/**
 * An in-process SMTP server on 127.0.0.1 (port 0) that keeps every message it accepts,
 * parsed, and can refuse chosen recipients at RCPT with a given code (e.g. 451, 550).
 */
export class SmtpSink {
  readonly messages: CapturedMail[] = [];
  /** RCPT replies it refused, by code, for assertions about retries. */
  readonly refusals: { rcpt: string; code: number }[] = [];
  private readonly rules: Rule[] = [];
  /**
   * Awaited after a message's data has arrived and before the 250 reply: a test can act
   * in the window between "the server has it" and "the sender knows it was accepted".
   */
  beforeAccept: ((mail: CapturedMail) => Promise<void>) | null = null;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    let sink!: SmtpSink;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 5 * 1024 * 1024,
      onRcptTo(address, _session, cb) {
        const rcpt = address.address.toLowerCase();
        const rule = sink.rules.find((r) => r.remaining > 0 && r.match(rcpt));
        if (!rule) return cb();
        rule.remaining -= 1;
        sink.refusals.push({ rcpt, code: rule.code });
        const err = new Error(rule.message) as Error & { responseCode: number };
        err.responseCode = rule.code;
        cb(err);
      },
      onData(stream, session, cb) {
        simpleParser(stream)
          .then(async (m) => {
            const mail: CapturedMail = {
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: addresses(m.from)[0] ?? '',
              subject: m.subject ?? '',
              messageId: m.messageId ?? '',
              references: Array.isArray(m.references) ? m.references : m.references ? [m.references] : [],
              text: m.text ?? '',
              html: typeof m.html === 'string' ? m.html : '',
              receivedAt: Date.now(),
            };
            sink.messages.push(mail);
            if (sink.beforeAccept) await sink.beforeAccept(mail);
            cb();
          })
          .catch((err: Error) => cb(err));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    const port = (server.server.address() as AddressInfo).port;
    sink = new SmtpSink(server, port);
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Refuse RCPT for matching recipients with `code`, `times` times (default: always). */
  refuse(recipient: string | RegExp, code: number, message = `${code} simulated refusal`, times = Infinity): void {
    const match = typeof recipient === 'string' ? (r: string) => r === recipient.toLowerCase() : (r: string) => recipient.test(r);
    this.rules.push({ match, code, message, remaining: times });
  }

  clearRules(): void {
    this.rules.length = 0;
  }

  to(address: string): CapturedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits until `predicate` holds over the captured messages. */
  async waitFor(predicate: (messages: CapturedMail[]) => boolean, timeoutMs = 15_000, what = 'the expected emails'): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > until) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for ${what}; the sink holds ${this.messages.length}: ${this.messages.map((m) => `${m.to.join(',')} "${m.subject}"`).join('; ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
