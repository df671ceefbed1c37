import { DomainError, ErrorCode } from '@app/domain';

/** A unique index said no (a race the pre-check lost): the same 409 the pre-check gives. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

export function invalidField(field: string, sentence: string, message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, `${field}: ${sentence}`, { fields: [{ field, message }] });
}

export function notFound(noun: string, id: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `No ${noun} with id ${id} exists.`);
}
