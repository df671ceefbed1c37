import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ACTION_BODY_SCHEMAS } from '../../../../libs/domain/src/action-schemas';
import type { FieldError } from './govuk';
import { applied, article, check, conditions, serverErrors, toBody, type ConditionalSchema, type Values } from './schema-values';

/** The bodies the action forms send are the ones the API's own schemas accept. */
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const accepts = (action: keyof typeof ACTION_BODY_SCHEMAS, body: unknown) => {
  const validate = ajv.compile(ACTION_BODY_SCHEMAS[action]);
  return validate(body) ? [] : validate.errors;
};
const problems = (action: keyof typeof ACTION_BODY_SCHEMAS, values: Values) => {
  const errors: Record<string, string> = {};
  const summary: FieldError[] = [];
  check(ACTION_BODY_SCHEMAS[action], values, 'f', '', errors, summary);
  return { errors, summary };
};

describe('action form values to request bodies', () => {
  it('trims text, drops blanks and empty repeated rows, keeps dates', () => {
    const body = toBody(ACTION_BODY_SCHEMAS.request_sign_off, {
      decisionText: '  Approved with a plan. ',
      conditions: [
        { text: 'Technology control plan', dueDate: '2027-03-01' },
        { text: '', dueDate: '' },
      ],
      reviewDate: '',
    });
    expect(body).toEqual({ decisionText: 'Approved with a plan.', conditions: [{ text: 'Technology control plan', dueDate: '2027-03-01' }] });
    expect(accepts('request_sign_off', body)).toEqual([]);
  });

  it('turns radio answers into booleans and text into integers', () => {
    const triage = toBody(ACTION_BODY_SCHEMAS.triage, { riskLevel: 'medium', exportControlRelevant: 'false', route: '', comment: '' });
    expect(triage).toEqual({ riskLevel: 'medium', exportControlRelevant: false });
    expect(accepts('triage', triage)).toEqual([]);
    const met = toBody(ACTION_BODY_SCHEMAS.record_condition_met, { conditionIndex: '0' });
    expect(met).toEqual({ conditionIndex: 0 });
    expect(accepts('record_condition_met', met)).toEqual([]);
  });

  it.each([
    ['triage', 'nothing chosen', {}, { riskLevel: 'Choose the risk level', exportControlRelevant: 'Choose the export control relevant' }],
    [
      'request_information',
      'a date not in ISO form',
      { question: 'Why?', replyBy: '1/2/2027' },
      { replyBy: 'The reply by must be a real date, for example 27 3 2027' },
    ],
    [
      'assign',
      'a name instead of a user id',
      { assigneeId: 'olivia' },
      { assigneeId: 'The officer must be a user ID such as 3f2c…-…, or choose from the list' },
    ],
    ['request_sign_off', 'a condition row left blank', { decisionText: 'Yes', conditions: [{ text: '' }] }, { 'conditions.0.text': 'Enter the condition' }],
    [
      'reject',
      'a reason over the length limit',
      { reasonCategory: 'sanctions', reasonText: 'x'.repeat(20001) },
      { reasonText: 'The reason must be 20,000 characters or fewer' },
    ],
  ] as const)('%s: %s is refused before sending', (action, _what, values, expected) => {
    const { errors, summary } = problems(action, values as Values);
    expect(errors).toEqual(expected);
    // Rows say which row: "Condition 1: enter the condition".
    expect(summary.map((s) => s.message.replace(/^\w+ \d+: (.)/, (_m, c: string) => c.toUpperCase()))).toEqual(Object.values(expected));
  });

  it('passes a complete form without complaint', () => {
    expect(problems('complete_export_review', { assessment: 'Not listed.', outcome: 'not_listed' }).summary).toEqual([]);
  });

  it('sends nested objects (licence, end-use concern) typed, and leaves blank ones out', () => {
    const body = toBody(ACTION_BODY_SCHEMAS.complete_export_review, {
      assessment: 'SIEL granted.',
      outcome: 'licence_granted',
      licence: { type: 'siel', reference: 'GBSIEL/2027/1', grantedOn: '2027-01-04', expiresOn: '2029-01-04', conditions: 'none', appliedOn: '' },
      endUseConcern: { concern: '', kind: '', note: '' },
      items: [{ description: 'Designs', destinationCountry: 'CA', foreignNationalInUk: 'false' }],
    });
    expect(body).toEqual({
      assessment: 'SIEL granted.',
      outcome: 'licence_granted',
      licence: { type: 'siel', reference: 'GBSIEL/2027/1', grantedOn: '2027-01-04', expiresOn: '2029-01-04', conditions: 'none' },
      items: [{ description: 'Designs', destinationCountry: 'CA', foreignNationalInUk: false }],
    });
    expect(accepts('complete_export_review', body)).toEqual([]);
    expect(problems('complete_export_review', { assessment: 'x', outcome: 'licence_granted', licence: { grantedOn: '2027-02-30' } }).errors).toEqual({
      'licence.grantedOn': 'The granted on must be a real date, for example 27 3 2027',
      // ...and what a granted licence requires (the schema's if/then) is asked for too.
      'licence.type': 'Choose the licence type',
      'licence.reference': 'Enter the reference',
      'licence.expiresOn': 'Enter the expires on',
      'licence.conditions': 'Enter the licence conditions',
    });
  });

  it('reveals and requires conditional fields (if/then, dependentRequired) only when their condition holds', () => {
    const schema: ConditionalSchema = {
      type: 'object',
      properties: {
        outcome: { type: 'string', enum: ['ogel', 'none'] },
        ogelName: { type: 'string', title: 'OGEL name' },
        concern: { type: 'boolean' },
        kind: { type: 'string' },
      },
      required: ['outcome'],
      allOf: [{ if: { properties: { outcome: { const: 'ogel' } as JsonSchemaConst }, required: ['outcome'] }, then: { required: ['ogelName'] } }],
      dependentRequired: { concern: ['kind'] },
    };
    expect(conditions(schema, { outcome: 'none' })).toEqual({ required: new Set(['outcome']), hidden: new Set(['ogelName', 'kind']) });
    expect(conditions(schema, { outcome: 'ogel', concern: 'true' })).toEqual({ required: new Set(['outcome', 'ogelName', 'kind']), hidden: new Set() });
    expect(toBody(schema, { outcome: 'none', ogelName: 'left over' })).toEqual({ outcome: 'none' });
    expect(problems2(schema, { outcome: 'ogel' })).toEqual({ ogelName: 'Enter the OGEL name' });
  });

  it("marks the export review's conditional fields required from the action schema's own if/then, down into the licence", () => {
    const s = ACTION_BODY_SCHEMAS.complete_export_review;
    // The labels SchemaForm draws: "(optional)" unless the field's object, as the values make it, requires it.
    const licenceRequired = (values: Values) => {
      const top = applied(s, values);
      const licence = top.properties!.licence;
      const inner = (values.licence ?? {}) as Values;
      return { licence: conditions(top, values).required.has('licence'), fields: [...conditions(applied(licence, inner), inner).required].sort() };
    };
    expect(licenceRequired({ outcome: 'licence_granted' })).toEqual({
      licence: true,
      fields: ['conditions', 'expiresOn', 'grantedOn', 'reference', 'type'],
    });
    expect(licenceRequired({ outcome: 'licence_applied' })).toEqual({ licence: true, fields: ['reference'] });
    // Outside its condition the licence is neither required nor shown, nor the OGEL's fields.
    expect(conditions(applied(s, { outcome: 'not_listed' }), { outcome: 'not_listed' }).hidden).toEqual(
      new Set(['ogelName', 'ogelRegistrationReference', 'licence']),
    );
    expect([...conditions(applied(s, { outcome: 'ogel' }), { outcome: 'ogel' }).required].sort()).toEqual([
      'assessment',
      'ogelName',
      'ogelRegistrationReference',
      'outcome',
    ]);
    // The form refuses before sending what the API would refuse.
    const granted = { assessment: 'SIEL granted.', outcome: 'licence_granted', licence: { type: 'siel', reference: 'GBSIEL/2027/1', grantedOn: '2027-01-04' } };
    expect(problems('complete_export_review', granted).errors).toEqual({
      'licence.expiresOn': 'Enter the expires on',
      'licence.conditions': 'Enter the licence conditions',
    });
    expect(accepts('complete_export_review', toBody(s, granted))).not.toEqual([]);
    expect(problems('complete_export_review', { assessment: 'x', outcome: 'ogel' }).errors).toEqual({
      ogelName: 'Enter the open general licence',
      ogelRegistrationReference: 'Enter the OGEL registration reference',
    });
  });

  it("asks for the evidence of a public-domain exemption the officer applies (the exemption row's own if/then), and only then", () => {
    const row = ACTION_BODY_SCHEMAS.complete_export_review.properties.exemptions.items;
    const evidence = (values: Values) => {
      const c = conditions(applied(row, values), values);
      return c.hidden.has('evidence') ? 'hidden' : c.required.has('evidence') ? 'required' : 'optional';
    };
    expect(evidence({ exemption: 'public_domain', applies: 'true' })).toBe('required');
    expect(evidence({ exemption: 'public_domain', applies: 'false' })).toBe('hidden');
    expect(evidence({ exemption: 'basic_scientific_research', applies: 'true' })).toBe('hidden');
    const claim = { assessment: 'x', outcome: 'not_listed', exemptions: [{ exemption: 'public_domain', applies: 'true', reasoning: 'Published.' }] };
    expect(problems('complete_export_review', claim).errors).toEqual({ 'exemptions.0.evidence': 'Enter the evidence' });
    expect(accepts('complete_export_review', toBody(ACTION_BODY_SCHEMAS.complete_export_review, claim))).not.toEqual([]);
  });

  it('puts each server error beside its field, once, without the raw key', () => {
    const s = ACTION_BODY_SCHEMAS.complete_export_review;
    const r = serverErrors(
      [
        { field: 'licence.expiresOn', message: 'licence.expiresOn: 2027-01-01 is not after the granted date 2027-02-01.' },
        { field: 'items[0].destinationCountry', message: 'items[0].destinationCountry: the OGEL cannot be relied on for this destination.' },
        { field: 'licence.type', message: 'licence.type is required.' },
        { field: 'licence.expiresOn', message: 'licence.expiresOn: again.' },
      ],
      s,
      'f',
    );
    expect(r.errors).toEqual({
      'licence.expiresOn': '2027-01-01 is not after the granted date 2027-02-01.',
      'items.0.destinationCountry': 'The OGEL cannot be relied on for this destination.',
      'licence.type': 'Licence type is required.',
    });
    expect(r.summary.map((x) => x.href)).toEqual(['f-licence-expiresOn', 'f-items-0-destinationCountry', 'f-licence-type']);
    expect(r.summary[1].message).toBe('Items, Item 1, Destination country: The OGEL cannot be relied on for this destination.');
    expect(r.unplaced).toEqual(['Again.']);
  });

  it('writes "a" and "an" as people say them', () => {
    expect(['item', 'exemption', 'condition', 'user', 'SLA policy', 'hour', 'unit'].map((w) => `${article(w)} ${w}`)).toEqual([
      'an item',
      'an exemption',
      'a condition',
      'a user',
      'an SLA policy',
      'an hour',
      'a unit',
    ]);
  });
});

type JsonSchemaConst = { const: string };
const problems2 = (schema: ConditionalSchema, values: Values) => {
  const errors: Record<string, string> = {};
  check(schema, values, 'f', '', errors, []);
  return errors;
};
