import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id names no case anyone may see: 404, like any case you may not see. */
@Injectable()
export class CaseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${value} exists, or you may not see it.`);
    return value;
  }
}
