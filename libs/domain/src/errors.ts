/**
 * Every refusal the product can give has its own code, so the edge can map codes to
 * HTTP statuses in one place and clients can branch on a stable identifier instead of
 * parsing messages. Values equal names because they are persisted in logs and sent
 * to clients: never rename one.
 */
export enum ErrorCode {
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  STALE_VERSION = 'STALE_VERSION',
  NOT_ALLOWED_FOR_ROLE = 'NOT_ALLOWED_FOR_ROLE',
  SEGREGATION_OF_DUTIES = 'SEGREGATION_OF_DUTIES',
  /** Four eyes on a hard risk flag: only the RSDO lead may triage it below high or approve it. */
  HARD_FLAG_LEAD_ONLY = 'HARD_FLAG_LEAD_ONLY',
  EXPORT_REVIEW_REQUIRED = 'EXPORT_REVIEW_REQUIRED',
  LICENCE_NOT_GRANTED = 'LICENCE_NOT_GRANTED',
  FIRS_REGISTRATION_REQUIRED = 'FIRS_REGISTRATION_REQUIRED',
  /** A visiting researcher who needs ATAS has no current certificate recorded (partners.ts). */
  ATAS_CERTIFICATE_REQUIRED = 'ATAS_CERTIFICATE_REQUIRED',
  /** Submitted on behalf of a principal investigator who has not confirmed it. */
  PI_CONFIRMATION_REQUIRED = 'PI_CONFIRMATION_REQUIRED',
  BLOCKING_FLAG_OPEN = 'BLOCKING_FLAG_OPEN',
  TRIAGE_STALE = 'TRIAGE_STALE',
  QUESTIONNAIRE_INCOMPLETE = 'QUESTIONNAIRE_INCOMPLETE',
  RISK_LEVEL_TOO_HIGH = 'RISK_LEVEL_TOO_HIGH',
  COMMENT_REQUIRED = 'COMMENT_REQUIRED',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNKNOWN_ACTION = 'UNKNOWN_ACTION',
  NOT_FOUND = 'NOT_FOUND',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  CONFLICT = 'CONFLICT',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  ACCOUNT_INACTIVE = 'ACCOUNT_INACTIVE',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

/** Thrown by domain code and services; only the HTTP filter turns it into a status. */
export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
