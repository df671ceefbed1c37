/** What to do about an SMTP failure (docs/architecture.md "The path of an email"; README "Email"). */
export type SmtpVerdict =
  | 'retry' // 4xx, connection and timeout errors: BullMQ retries with backoff
  | 'reject-recipient' // 550/551/553 at RCPT: fail the delivery and flag the address
  | 'alarm' // authentication or configuration (530/535): the operator's problem, keep retrying
  | 'fail'; // any other 5xx: fail without retry

export interface SmtpErrorLike {
  responseCode?: number;
  command?: string;
  code?: string;
  response?: string;
  message?: string;
}

export function classifySmtpError(err: SmtpErrorLike): SmtpVerdict {
  const code = typeof err.responseCode === 'number' ? err.responseCode : 0;
  if (code === 530 || code === 534 || code === 535 || err.code === 'EAUTH') return 'alarm';
  if (code >= 500 && code < 600) {
    const atRcpt = /RCPT/i.test(err.command ?? '') || err.code === 'EENVELOPE';
    return atRcpt && [550, 551, 553].includes(code) ? 'reject-recipient' : 'fail';
  }
  return 'retry';
}
