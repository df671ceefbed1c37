import { DELIVERY_STATUSES, LADDER_AUDIENCES, PREFERENCE_CATEGORIES, PREFERENCE_MODES, SLA_STAGES } from '@app/domain';

/**
 * Response bodies of the administration and account endpoints (SLA policies and
 * settings, closure days, mail status, audit verification, handover, notification
 * preferences), merged into RESPONSE_SCHEMAS (response-schemas.ts) so the web's admin
 * pages get generated types and the contract test validates them.
 */
type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const nstr: Schema = { type: ['string', 'null'] };
const uuid: Schema = { type: 'string', format: 'uuid' };
const nuuid: Schema = { type: ['string', 'null'], format: 'uuid' };
const time: Schema = { type: 'string', format: 'date-time' };
const ntime: Schema = { type: ['string', 'null'], format: 'date-time' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const e = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
const shape = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});

export const ADMIN_RESPONSE_SCHEMAS: Record<string, Schema> = {
  SlaLadderStep: shape({ type: e(['reminder', 'escalation']), at: num, plus: nstr, to: e(LADDER_AUDIENCES), kind: nstr }, ['plus', 'kind']),
  SlaPolicy: shape({ stage: e(SLA_STAGES), target: str, atRiskAt: int, ladder: arr(ref('SlaLadderStep')), version: int, updatedAt: time }, ['updatedAt']),
  SlaPolicyList: shape({ items: arr(ref('SlaPolicy')) }),
  SlaPolicyChange: shape({ policy: ref('SlaPolicy'), casesMoved: int }),
  SlaSettings: shape({
    hours: shape({ days: arr(int), opens: str, closes: str }),
    headOfOfficeUserId: nuuid,
    informationReminders: arr(str),
  }),
  ClosureDay: shape({ day: { type: 'string', format: 'date' }, description: str }),
  ClosureDayList: shape({ items: arr(ref('ClosureDay')) }),
  MailAlarm: shape({ kind: str, message: str, firstSeenAt: time, lastSeenAt: time, occurrences: int, clearedAt: ntime }),
  MailStatus: shape({
    status: e(['ok', 'alarm']),
    alarms: arr(ref('MailAlarm')),
    openAlarms: int,
    // Deliveries by status; a status with none is left out.
    deliveries: { type: 'object', properties: Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, int])), additionalProperties: false },
  }),
  AuditVerification: shape({
    ok: bool,
    casesChecked: int,
    eventsChecked: int,
    firstBroken: { oneOf: [shape({ chain: e(['case', 'system']), caseId: uuid, seq: int, reason: str }, ['caseId']), { type: 'null' }] },
  }),
  HandoverResult: shape({
    moved: arr(shape({ caseId: uuid, reference: str })),
    skipped: arr(shape({ caseId: uuid, reference: str, reason: str })),
  }),
  NotificationPreferences: shape({
    preferences: shape(Object.fromEntries(PREFERENCE_CATEGORIES.map((c) => [c, e(PREFERENCE_MODES)]))),
    // Which email templates each category covers; `critical` ones are always sent.
    categories: { type: 'object', additionalProperties: arr(str) },
  }),
};
