import type { JsonSchema } from './action-schemas';
import { SCREENING_LIST_KIND_LABELS } from './list-change-kinds';
import type { ScreeningListKind } from './risk';

/**
 * The bodies of POST /api/screening/sources and PATCH /api/screening/sources/{id}: the API
 * validates with ajv and publishes them in its OpenAPI document, and the web's add and edit
 * forms are drawn from them by SchemaForm, so the fields cannot drift from the API. Pure, so
 * the web app imports it (`@app/domain/screening-source-schema`).
 */
const LIST_KINDS = Object.keys(SCREENING_LIST_KIND_LABELS) as ScreeningListKind[];

const properties = {
  name: { type: 'string', minLength: 1, maxLength: 200, title: 'Name', description: 'Such as Canadian Named Research Organizations.' },
  listKind: {
    type: 'string',
    enum: LIST_KINDS,
    title: 'Kind',
    description: 'The list format; custom lists with their own ratings are watch lists. Fixed once a version is imported: add a new list for another format.',
  },
  location: {
    type: 'string',
    nullable: true,
    minLength: 1,
    maxLength: 2000,
    title: 'Location',
    description:
      "A file in the import folder (SCREENING_IMPORT_DIR), or an https address on an allowed publisher's host (SCREENING_SOURCE_HOSTS); leave empty to upload files by hand.",
  },
  cadenceMinutes: {
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 527_040,
    title: 'Minutes between imports',
    description: '1440 is daily; leave empty to import by hand only.',
  },
  publisherUrl: {
    type: 'string',
    nullable: true,
    pattern: '^https?://\\S+$',
    maxLength: 2000,
    title: "Publisher's page",
    description: "The publisher's page the list comes from, an http(s) address.",
  },
  enabled: { type: 'boolean', title: 'Import on its schedule', description: 'Yes unless said otherwise; No pauses the schedule.' },
} as const satisfies Record<string, JsonSchema>;

export const CREATE_SCREENING_SOURCE_SCHEMA = {
  type: 'object',
  title: 'Add a list',
  properties,
  required: ['name', 'listKind'],
  additionalProperties: false,
} as const satisfies JsonSchema;

/** The same fields, each optional: what is left out stays as it is; null clears a nullable one. */
export const UPDATE_SCREENING_SOURCE_SCHEMA = {
  type: 'object',
  title: 'Edit a list',
  properties,
  additionalProperties: false,
} as const satisfies JsonSchema;

export interface ScreeningSourceBody {
  name?: string;
  listKind?: ScreeningListKind;
  location?: string | null;
  cadenceMinutes?: number | null;
  publisherUrl?: string | null;
  enabled?: boolean;
}

/** The fields a PATCH clears with null (a blank field of the edit form). */
export const NULLABLE_SOURCE_FIELDS = Object.entries(properties)
  .filter(([, s]) => 'nullable' in s && s.nullable)
  .map(([k]) => k);
