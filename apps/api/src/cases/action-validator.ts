import { Injectable } from '@nestjs/common';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ACTION_BODY_SCHEMAS, ACTIONS, ActionName, DomainError, ErrorCode } from '@app/domain';

export interface FieldError {
  field: string;
  message: string;
}

/** Turns ajv's errors into sentences that name the field and say why. */
export function describeAjvErrors(errors: ErrorObject[]): FieldError[] {
  return errors.map((e) => {
    const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    switch (e.keyword) {
      case 'required': {
        const field = [path, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.');
        return { field, message: `${field} is required.` };
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const field = [path, extra].filter(Boolean).join('.');
        return { field, message: `${field} is not a field this action accepts.` };
      }
      case 'enum':
        return { field: path, message: `${path} must be one of: ${(e.params as { allowedValues: string[] }).allowedValues.join(', ')}.` };
      case 'format':
        return {
          field: path,
          message: `${path} must be a valid ${(e.params as { format: string }).format === 'date' ? 'date (YYYY-MM-DD)' : (e.params as { format: string }).format}.`,
        };
      case 'minLength':
        return {
          field: path,
          message:
            (e.params as { limit: number }).limit === 1
              ? `${path} must not be empty.`
              : `${path} must be at least ${(e.params as { limit: number }).limit} characters long.`,
        };
      case 'maxLength':
        return { field: path, message: `${path} must be at most ${(e.params as { limit: number }).limit} characters long.` };
      case 'type':
        return {
          field: path || 'body',
          message: `${path || 'The request body'} must be ${(e.params as { type: string }).type === 'object' ? 'a JSON object' : `of type ${(e.params as { type: string }).type}`}.`,
        };
      default:
        return { field: path || 'body', message: `${path || 'The request body'} ${e.message ?? 'is not valid'}.` };
    }
  });
}

/** Validates action bodies against the same JSON Schemas the API serves to the UI. */
@Injectable()
export class ActionValidator {
  private readonly validators = new Map<ActionName, ValidateFunction>();

  constructor() {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    for (const action of ACTIONS) this.validators.set(action, ajv.compile(ACTION_BODY_SCHEMAS[action]));
  }

  validate<T = Record<string, unknown>>(action: ActionName, body: unknown): T {
    const value = body ?? {};
    const validate = this.validators.get(action)!;
    if (!validate(value)) {
      const fields = describeAjvErrors(validate.errors ?? []);
      throw new DomainError(ErrorCode.VALIDATION_FAILED, fields.map((f) => f.message).join(' '), { fields });
    }
    return value as T;
  }
}
