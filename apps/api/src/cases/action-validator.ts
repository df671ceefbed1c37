import { Injectable } from '@nestjs/common';
import { ErrorObject, ValidateFunction } from 'ajv';
import { ACTION_BODY_SCHEMAS, ACTIONS, ActionName, DomainError, ErrorCode, type JsonSchema } from '@app/domain';
import { bodyAjv } from '../common/body-ajv';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The condition behind an error raised inside a `then` (a conditional field), in words:
 * " when outcome is licence_granted". Read from the schema's own `if`, so the sentence
 * cannot drift from the rule; empty for an error outside any condition.
 */
function conditionOf(e: ErrorObject, schema: JsonSchema | undefined): string {
  const parts = e.schemaPath.replace(/^#\//, '').split('/');
  const at = parts.lastIndexOf('then');
  if (!schema || at < 0) return '';
  const cond = [...parts.slice(0, at), 'if'].reduce<unknown>((s, p) => (s as Record<string, unknown> | undefined)?.[p], schema) as JsonSchema | undefined;
  // The `if` reads the object the `then` sits on: drop the instance steps taken inside the `then`.
  const inner = parts.slice(at + 1, -1).filter((p, i, all) => all[i - 1] === 'properties' || p === 'items').length;
  const base = e.instancePath.split('/').slice(1, inner ? -inner : undefined);
  const words = Object.entries(cond?.properties ?? {}).map(([k, s]) => {
    const name = [...base, k].join('.');
    return s.const !== undefined ? `${name} is ${String(s.const)}` : `${name} is ${(s.enum ?? []).join(' or ')}`;
  });
  return words.length ? ` when ${words.join(' and ')}` : '';
}

/** Turns ajv's errors into sentences that name the field and say why (and, for a conditional field, when). */
export function describeAjvErrors(errors: ErrorObject[], schema?: JsonSchema): FieldError[] {
  // An unmet `if`/`then` also reports "must match \"then\" schema"; the errors inside the `then` say what is missing.
  return errors
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      switch (e.keyword) {
        case 'required': {
          const field = [path, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.');
          return { field, message: `${field} is required${conditionOf(e, schema)}.` };
        }
        case 'pattern':
          if ((e.params as { pattern: string }).pattern === '\\S') return { field: path, message: `${path} must not be blank${conditionOf(e, schema)}.` };
          return { field: path, message: `${path} ${e.message ?? 'is not valid'}.` };
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
        case 'minimum':
          return { field: path, message: `${path} must be at least ${(e.params as { limit: number }).limit}.` };
        case 'maximum':
          return { field: path, message: `${path} must be at most ${(e.params as { limit: number }).limit}.` };
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
    for (const action of ACTIONS) this.validators.set(action, bodyAjv.compile(ACTION_BODY_SCHEMAS[action]));
  }

  validate<T = Record<string, unknown>>(action: ActionName, body: unknown): T {
    const value = body ?? {};
    const validate = this.validators.get(action)!;
    if (!validate(value)) {
      const fields = describeAjvErrors(validate.errors ?? [], ACTION_BODY_SCHEMAS[action]);
      throw new DomainError(ErrorCode.VALIDATION_FAILED, fields.map((f) => f.message).join(' '), { fields });
    }
    return value as T;
  }
}
