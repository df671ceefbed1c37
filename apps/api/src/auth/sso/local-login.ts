import { AppConfig } from '@app/config';
import { DomainError, ErrorCode, Role } from '@app/domain';

/**
 * LOCAL_LOGIN: `off` refuses every password sign-in, `admins` keeps passwords only as the
 * break-glass path for administrators. Checked after the password, so the answer tells
 * nothing about accounts to someone who does not know one.
 */
export function assertLocalLoginAllowed(config: AppConfig, user: { roles: readonly Role[] }): void {
  const mode = config.sso.localLogin;
  if (mode === 'on' || (mode === 'admins' && user.roles.includes('admin'))) return;
  throw new DomainError(
    ErrorCode.FORBIDDEN,
    `Password sign-in is turned off${mode === 'admins' ? ' except for administrators' : ''}: use "Sign in with ${config.sso.institutionName}".`,
  );
}
