import { PipeTransform } from '@nestjs/common';
import { ValidateFunction } from 'ajv';
import { DomainError, ErrorCode, type JsonSchema } from '@app/domain';
import { describeAjvErrors } from '../cases/action-validator';
import { bodyAjv } from './body-ajv';

/**
 * A request body checked against a JSON Schema of libs/domain, as action bodies are: a 400
 * whose fields each name the field and say why. For bodies the web draws its form from
 * (SchemaForm), so the form, the OpenAPI document and the check read one declaration.
 */
export class SchemaBodyPipe<T> implements PipeTransform<unknown, T> {
  private readonly validate: ValidateFunction;

  constructor(private readonly schema: JsonSchema) {
    this.validate = bodyAjv.compile(schema);
  }

  transform(value: unknown): T {
    const body = value ?? {};
    if (!this.validate(body)) {
      const fields = describeAjvErrors(this.validate.errors ?? [], this.schema);
      throw new DomainError(ErrorCode.VALIDATION_FAILED, fields.map((f) => f.message).join(' '), { fields });
    }
    return body as T;
  }
}
