import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ACTION_BODY_SCHEMAS } from '../../../../libs/domain/src/action-schemas';
import type { FieldError } from './govuk';
import { check, toBody, type Values } from './schema-values';

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
      conditions: [{ text: 'Technology control plan', dueDate: '2027-03-01' }, { text: '', dueDate: '' }],
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
    ['request_information', 'a date not in ISO form', { question: 'Why?', replyBy: '1/2/2027' }, { replyBy: 'The reply by must be a date written as YYYY-MM-DD' }],
    ['assign', 'a name instead of a user id', { assigneeId: 'olivia' }, { assigneeId: 'The officer must be a user ID such as 3f2c…-…, or choose from the list' }],
    ['request_sign_off', 'a condition row left blank', { decisionText: 'Yes', conditions: [{ text: '' }] }, { 'conditions.0.text': 'Enter the condition' }],
    ['reject', 'a reason over the length limit', { reasonCategory: 'sanctions', reasonText: 'x'.repeat(20001) }, { reasonText: 'The reason must be 20000 characters or fewer' }],
  ] as const)('%s: %s is refused before sending', (action, _what, values, expected) => {
    const { errors, summary } = problems(action, values as Values);
    expect(errors).toEqual(expected);
    expect(summary.map((s) => s.message)).toEqual(Object.values(expected));
  });

  it('passes a complete form without complaint', () => {
    expect(problems('complete_export_review', { assessment: 'Not listed.', outcome: 'not_listed' }).summary).toEqual([]);
  });
});
