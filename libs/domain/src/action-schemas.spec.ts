import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ACTION_BODY_SCHEMAS, type JsonSchema } from './action-schemas';
import { ACTIONS } from './transitions';

// ajv is used here only to prove the schemas are what the API will compile; the lib itself stays dependency-free.
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);

const UUID = '3f2b8a2e-6c1d-4f7a-9b0e-2d4c5a6b7c8d';

function* walk(schema: JsonSchema, path: string): Generator<[string, JsonSchema]> {
  yield [path, schema];
  for (const [k, v] of Object.entries(schema.properties ?? {})) yield* walk(v, `${path}.${k}`);
  if (schema.items) yield* walk(schema.items, `${path}[]`);
}

describe('ACTION_BODY_SCHEMAS', () => {
  it.each(ACTIONS.map((a) => [a]))('%s compiles strictly, closes the object and documents every property', (action) => {
    const schema = ACTION_BODY_SCHEMAS[action];
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(schema.properties?.expectedVersion).toMatchObject({ type: 'integer', minimum: 1 });
    for (const [path, s] of walk(schema, action)) {
      expect([path, typeof s.title, typeof s.description]).toEqual([path, 'string', 'string']);
      if (s.type === 'string' && !s.enum && !s.format) expect([path, s.maxLength]).toEqual([path, expect.any(Number)]);
    }
  });

  const valid: [string, object][] = [
    ['submit', {}],
    ['submit', { expectedVersion: 3 }],
    ['assign', { assigneeId: UUID }],
    ['triage', { riskLevel: 'medium', exportControlRelevant: false }],
    ['triage', { riskLevel: 'high', exportControlRelevant: true, route: 'export_review_then_sign_off', comment: 'Override' }],
    ['retriage', { riskLevel: 'low', exportControlRelevant: false, comment: 'Answers changed' }],
    ['start_export_review', { reviewerId: UUID }],
    ['complete_export_review', { assessment: 'EAR99-like; not listed', outcome: 'not_listed' }],
    ['request_sign_off', { decisionText: 'Approve with TCP', conditions: [{ text: 'Training', dueDate: '2026-06-01' }], reviewDate: '2027-01-01' }],
    ['endorse', {}],
    ['decline', { comment: 'Needs a TCP' }],
    ['approve', {}],
    ['approve', { decisionText: 'Approved', conditions: [], reviewDate: '2027-01-01', comment: 'ok' }],
    ['reject', { reasonCategory: 'sanctions', reasonText: 'Designated entity' }],
    ['request_information', { question: 'Who funds this?', replyBy: '2026-04-01' }],
    ['respond', { message: 'UKRI', changes: { fundingSource: 'UKRI' } }],
    ['extend_deadline', { replyBy: '2026-04-15' }],
    ['cancel_request', {}],
    ['withdraw', { reason: 'Project cancelled' }],
    ['record_condition_met', { conditionIndex: 0 }],
    ['request_amendment', { description: 'New partner' }],
    ['flag', { reason: 'Screening hit', blocking: true }],
    ['clear_flag', { flagId: UUID, resolution: 'false_positive', reason: 'Different entity' }],
  ];
  it.each(valid)('%s accepts %j', (action, body) => {
    const validate = ajv.compile(ACTION_BODY_SCHEMAS[action as keyof typeof ACTION_BODY_SCHEMAS]);
    expect([validate(body), validate.errors]).toEqual([true, null]);
  });

  const invalid: [string, object][] = [
    ['submit', { extra: 1 }],
    ['submit', { expectedVersion: 0 }],
    ['assign', { assigneeId: 'not-a-uuid' }],
    ['assign', {}],
    ['triage', { riskLevel: 'extreme', exportControlRelevant: false }],
    ['triage', { riskLevel: 'low' }],
    ['triage', { riskLevel: 'low', exportControlRelevant: false, comment: 'x'.repeat(4001) }],
    ['retriage', { riskLevel: 'low', exportControlRelevant: false }],
    ['retriage', { riskLevel: 'low', exportControlRelevant: false, comment: '' }],
    ['complete_export_review', { assessment: 'x', outcome: 'maybe' }],
    ['request_sign_off', {}],
    ['request_sign_off', { decisionText: 'x', conditions: Array.from({ length: 21 }, () => ({ text: 't' })) }],
    ['request_sign_off', { decisionText: 'x', conditions: [{ text: 't', extra: 1 }] }],
    ['decline', {}],
    ['reject', { reasonCategory: 'sanctions', reasonText: '' }],
    ['reject', { reasonCategory: 'because', reasonText: 'x' }],
    ['request_information', { question: 'Q', replyBy: '2026-02-30' }],
    ['respond', { changes: {} }],
    ['record_condition_met', { conditionIndex: -1 }],
    ['record_condition_met', { conditionIndex: 1.5 }],
    ['flag', { reason: 'x' }],
    ['clear_flag', { flagId: UUID, resolution: 'ignored', reason: 'x' }],
  ];
  it.each(invalid)('%s refuses %j', (action, body) => {
    const validate = ajv.compile(ACTION_BODY_SCHEMAS[action as keyof typeof ACTION_BODY_SCHEMAS]);
    expect(validate(body)).toBe(false);
  });

  describe('complete_export_review: what an outcome requires is declared in the schema (if/then), for the API and the form', () => {
    const validate = ajv.compile(ACTION_BODY_SCHEMAS.complete_export_review);
    const missing = (body: object) => {
      validate(body);
      return (validate.errors ?? [])
        .filter((e) => e.keyword === 'required' || e.keyword === 'pattern')
        .map((e) => (e.keyword === 'required' ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}` : e.instancePath))
        .sort();
    };
    const granted = { type: 'siel', reference: 'GBSIEL/2026/1', grantedOn: '2026-01-01', expiresOn: '2028-01-01', conditions: 'none' };
    it.each<[string, object, string[]]>([
      ['an OGEL names itself and its registration', { outcome: 'ogel' }, ['/ogelName', '/ogelRegistrationReference']],
      ['a blank OGEL registration is none', { outcome: 'ogel', ogelName: 'Chemicals', ogelRegistrationReference: '  ' }, ['/ogelRegistrationReference']],
      ['an application has its reference', { outcome: 'licence_applied', licence: { type: 'siel' } }, ['/licence/reference']],
      ['an application without a licence at all', { outcome: 'licence_applied' }, ['/licence']],
      [
        'a granted licence records type, reference, dates and conditions',
        { outcome: 'licence_granted', licence: { type: 'siel', reference: 'GBSIEL/2026/1' } },
        ['/licence/conditions', '/licence/expiresOn', '/licence/grantedOn'],
      ],
      ['a complete granted licence', { outcome: 'licence_granted', licence: granted }, []],
      ['no licence needs none of them', { outcome: 'not_listed' }, []],
      ['a licence still required holds the stage (licenceGate), nothing more to give', { outcome: 'licence_required' }, []],
      [
        'a public-domain exemption applied carries its evidence',
        { outcome: 'not_listed', exemptions: [{ exemption: 'public_domain', applies: true, reasoning: 'Published.' }] },
        ['/exemptions/0/evidence'],
      ],
      [
        'a public-domain exemption considered and not applied needs none',
        { outcome: 'not_listed', exemptions: [{ exemption: 'public_domain', applies: false, reasoning: 'Unpublished.' }] },
        [],
      ],
    ])('%s', (_what, over, expected) => {
      expect(missing({ assessment: 'Summary.', ...over })).toEqual(expected);
    });
  });
});
