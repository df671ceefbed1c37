import { PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id names nothing that exists: 404 like an unknown one, not a 500 from Postgres. */
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly noun: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new DomainError(ErrorCode.NOT_FOUND, `No ${this.noun} with id ${value} exists.`);
    return value;
  }
}

export const UserIdPipe = new IdPipe('user');
export const DepartmentIdPipe = new IdPipe('department');
export const DelegationIdPipe = new IdPipe('delegation');
