/**
 * The rules a new password must meet (docs/security.md "Passwords"): at least 12
 * characters, not one of the ~50,000 most common passwords (zxcvbn's list, also with
 * trailing digits and symbols taken off, so "password1234!" counts as "password"), and
 * not the account's email address or its local part. Existing passwords are not
 * re-checked: the rules apply when a password is set.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

let common: ReadonlySet<string> | null = null;
/**
 * zxcvbn's lists, read when a password is first set rather than at boot: they are a few
 * MB of heap that a process serving case commands never needs (issue 17, RSS).
 */
function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  }
  return common;
}

/** The reason the password may not be used, as a sentence naming the field, or null when it may. */
export function passwordProblem(password: string, email: string | null, field = 'password'): string | null {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH) {
    return `${field} must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) return `${field} must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[\d\W_]+$/u, '');
  const COMMON = commonPasswords();
  if (COMMON.has(lower) || (stripped.length >= 4 && COMMON.has(stripped)) || /^(.)\1+$/u.test(lower)) {
    return `${field} is one of the most commonly used passwords; choose a less guessable one, such as a few unrelated words.`;
  }
  if (email) {
    const e = email.trim().toLowerCase();
    const local = e.split('@')[0];
    if (lower === e || lower.replace(/[\d\W_]+$/u, '') === local || lower === local) {
      return `${field} must not be your email address or its name part.`;
    }
  }
  return null;
}
