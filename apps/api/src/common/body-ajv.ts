import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The one ajv configuration every request body is checked with: action bodies
 * (ActionValidator) and the other bodies whose forms the web draws from a schema
 * (SchemaBodyPipe). All errors at once (each field gets its sentence), the standard formats,
 * and not strict (the schemas carry the UI's own keywords). The schemas have no $id, so
 * compiling one again returns ajv's cached function.
 */
export const bodyAjv = addFormats(new Ajv({ allErrors: true, strict: false }));
