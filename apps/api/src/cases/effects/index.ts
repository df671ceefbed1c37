import { assign } from './assign';
import { approve, recordConditionMet, reject, withdraw } from './decision';
import { completeExportReview, startExportReview } from './export-review';
import { clearFlag, flag } from './flags';
import { cancelRequest, extendDeadline, requestInformation, respond } from './information';
import { requestAmendment } from './request-amendment';
import { decline, endorse, requestSignOff } from './sign-off';
import { submit } from './submit';
import { triage } from './triage';
import { EffectRegistry } from './types';

export * from './types';

/** Each action's effect on the case beyond its state; typed so an action without one fails to compile. */
export const EFFECTS: EffectRegistry = {
  submit,
  assign,
  triage,
  retriage: triage,
  start_export_review: startExportReview,
  complete_export_review: completeExportReview,
  request_sign_off: requestSignOff,
  endorse,
  decline,
  approve,
  reject,
  request_information: requestInformation,
  respond,
  extend_deadline: extendDeadline,
  cancel_request: cancelRequest,
  withdraw,
  record_condition_met: recordConditionMet,
  request_amendment: requestAmendment,
  flag,
  clear_flag: clearFlag,
};
