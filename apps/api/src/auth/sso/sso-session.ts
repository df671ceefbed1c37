import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/domain';
import { UserEntity } from '@app/persistence';
import { setRefreshCookie } from '../auth.controller';
import { AuthService } from '../auth.service';

const log = new Logger('SSO');

/**
 * After the identity provider has spoken, the session is the product's own: the same
 * refresh cookie as a password sign-in, and the web app fetches its access token with it.
 */
export async function finishSsoSignIn(res: Response, config: AppConfig, auth: AuthService, user: UserEntity): Promise<void> {
  setRefreshCookie(res, config, await auth.issue(user));
  res.redirect(303, `${config.publicUrl}/`);
}

/** A browser arrived from the identity provider: refusals go back to the sign-in page, in a sentence. */
export function failSsoSignIn(res: Response, config: AppConfig, protocol: 'OIDC' | 'SAML', err: unknown): void {
  const detail = describe(err);
  const reason = err instanceof DomainError ? err.message : `the identity provider's answer was refused (${detail}).`;
  log.warn(`${protocol} sign-in refused: ${detail}`);
  const message = err instanceof DomainError ? reason : `Single sign-on did not complete: ${reason}`;
  res.redirect(303, `${config.publicUrl}/sign-in?sso_error=${encodeURIComponent(message)}`);
}

/** openid-client wraps the precise reason (e.g. 'unexpected ID Token "nonce" claim value') as its cause: say it. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== err.message ? `${err.message}: ${cause.message}` : err.message;
}
