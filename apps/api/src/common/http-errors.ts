import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/domain';
import { pgInputError } from './pg-errors';
import { OUTAGE_RETRY_AFTER_S, outageMessage, outageOf } from './outage';

/** The one place refusal codes become HTTP statuses (409 state conflicts, 403 who-may-act, 400/422 input). */
export const STATUS_FOR_CODE: Record<ErrorCode, number> = {
  [ErrorCode.INVALID_TRANSITION]: 409,
  [ErrorCode.STALE_VERSION]: 409,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.NOT_ALLOWED_FOR_ROLE]: 403,
  [ErrorCode.SEGREGATION_OF_DUTIES]: 403,
  [ErrorCode.HARD_FLAG_LEAD_ONLY]: 403,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.EXPORT_REVIEW_REQUIRED]: 409,
  [ErrorCode.LICENCE_NOT_GRANTED]: 409,
  [ErrorCode.FIRS_REGISTRATION_REQUIRED]: 409,
  [ErrorCode.ATAS_CERTIFICATE_REQUIRED]: 409,
  [ErrorCode.PI_CONFIRMATION_REQUIRED]: 409,
  [ErrorCode.BLOCKING_FLAG_OPEN]: 409,
  [ErrorCode.TRIAGE_STALE]: 409,
  [ErrorCode.RISK_LEVEL_TOO_HIGH]: 409,
  [ErrorCode.QUESTIONNAIRE_INCOMPLETE]: 422,
  [ErrorCode.COMMENT_REQUIRED]: 422,
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.UNKNOWN_ACTION]: 404,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.INVALID_CREDENTIALS]: 401,
  [ErrorCode.ACCOUNT_INACTIVE]: 401,
  [ErrorCode.TOO_MANY_ATTEMPTS]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL]: 500,
};

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
  requestId: string;
}

/** Sentences from class-validator's messages ("email must be an email" → "email: must be an email."). */
function validationSentence(messages: string[]): string {
  return messages.map((m) => (m.endsWith('.') ? m : m + '.')).join(' ');
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { requestId?: string }>();
    const res = ctx.getResponse<Response>();
    const requestId = req.requestId ?? 'unknown';
    let status = 500;
    let body: ErrorBody;
    // A value PostgreSQL refused is the client's input error (pg-errors.ts).
    exception = pgInputError(exception) ?? exception;

    if (exception instanceof DomainError) {
      status = STATUS_FOR_CODE[exception.code] ?? 500;
      body = { code: exception.code, message: exception.message, details: exception.details, requestId };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const resp = exception.getResponse() as string | { message?: string | string[]; error?: string };
      const raw = typeof resp === 'string' ? resp : resp.message;
      const messages = Array.isArray(raw) ? raw : [raw ?? exception.message];
      const code =
        status === 404
          ? ErrorCode.NOT_FOUND
          : status === 401
            ? ErrorCode.UNAUTHENTICATED
            : status === 403
              ? ErrorCode.FORBIDDEN
              : status === 429
                ? ErrorCode.TOO_MANY_ATTEMPTS
                : status >= 500
                  ? ErrorCode.INTERNAL
                  : ErrorCode.VALIDATION_FAILED;
      let message = validationSentence(messages.map(String));
      if (status === 400 && (exception.cause instanceof SyntaxError || /in JSON at position|is not valid JSON|Unexpected (token|end)/.test(message))) {
        // Never the parser's own text: it quotes the body back.
        message = 'The request body is not valid JSON; send a JSON object.';
      }
      if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE)/.test(message)) message = `No such endpoint: ${req.method} ${req.path}.`;
      body = { code, message, requestId, ...(Array.isArray(raw) ? { details: raw } : {}) };
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      body = {
        code: ErrorCode.VALIDATION_FAILED,
        message:
          exception.type === 'entity.too.large'
            ? 'The request body is too large; send at most 1 MB.'
            : exception.type === 'entity.too.deep' && exception instanceof Error
              ? exception.message
              : 'The request body is not valid JSON; send a JSON object.',
        requestId,
      };
    } else if (outageOf(exception)) {
      const outage = outageOf(exception)!;
      this.logger.warn(`${req.method} ${req.url} answered 503 [${requestId}]: ${outage.of} unavailable (${outage.detail})`);
      status = 503;
      res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_S));
      body = { code: ErrorCode.SERVICE_UNAVAILABLE, message: outageMessage(outage), requestId };
    } else {
      this.logger.error(`${req.method} ${req.url} failed [${requestId}]`, exception instanceof Error ? exception.stack : String(exception));
      body = {
        code: ErrorCode.INTERNAL,
        message: 'Something went wrong on our side; the request was not completed. Quote the request id if you report it.',
        requestId,
      };
    }
    if (status >= 500 && !(exception instanceof DomainError) && status !== 503) status = 500;
    res.status(status).json(body);
  }
}

function isBodyParserError(e: unknown): e is { status: number; type: string } {
  return typeof e === 'object' && e !== null && 'type' in e && 'status' in e && typeof (e as { status: unknown }).status === 'number';
}
