import { CaseAnswers } from '@app/domain';
import { endOfBusiness } from '@app/persistence';
import { ActionBody, Effect } from './types';
import { assertAnswers, assertFutureDate } from './shared';

/** The case waits for the researcher and remembers where to return. */
export const requestInformation: Effect<ActionBody<'request_information'>> = async ({ c, body, user, now, deps }) => {
  assertFutureDate(deps, 'replyBy', body.replyBy);
  c.returnState = c.state;
  c.informationRequest = { question: body.question, replyBy: body.replyBy, askedById: user.id, askedAt: now.toISOString() };
  return { payload: { question: body.question, replyBy: body.replyBy, returnState: c.state } };
};

/** The researcher answers; changed answers are recorded as a diff and rescreened and rescored. */
export const respond: Effect<ActionBody<'respond'>> = async ({ em, c, body, user, deps }) => {
  const changes = (body.changes ?? {}) as Record<string, unknown>;
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  const answers = { ...c.answers } as Record<string, unknown>;
  for (const [k, v] of Object.entries(changes)) {
    if (JSON.stringify(answers[k]) !== JSON.stringify(v)) diff[k] = { from: answers[k] ?? null, to: v };
    answers[k] = v;
  }
  assertAnswers(answers);
  c.answers = answers as CaseAnswers;
  const question = c.informationRequest?.question ?? null;
  c.informationRequest = null;
  c.returnState = null;
  // The organisation links follow the answers first: screening screens the records.
  if (Object.keys(diff).length) await deps.organisations.linkCase(em, c.id, c.answers);
  const rescored = Object.keys(diff).length ? await deps.screening.onAnswersChanged(em, c, user.id, 'respond') : null;
  return { payload: { message: body.message, question, diff, ...(rescored ? { rescored } : {}) } };
};

/** A moved deadline never reuses a timer id: cancel and insert afresh. */
export const extendDeadline: Effect<ActionBody<'extend_deadline'>> = async ({ em, c, body, now, deps }) => {
  assertFutureDate(deps, 'replyBy', body.replyBy);
  const previous = c.informationRequest?.replyBy ?? null;
  if (c.informationRequest) c.informationRequest = { ...c.informationRequest, replyBy: body.replyBy };
  await deps.timers.cancelStageTimers(em, c.id);
  await deps.timers.insert(
    em,
    c.id,
    c.state,
    now,
    await deps.clocks.informationTimers(em, endOfBusiness(body.replyBy, deps.config.timezone), now, await deps.clocks.calendar(em)),
  );
  return { payload: { replyBy: body.replyBy, previousReplyBy: previous } };
};

export const cancelRequest: Effect<ActionBody<'cancel_request'>> = async ({ c, body }) => {
  c.informationRequest = null;
  c.returnState = null;
  return { payload: { comment: body.comment ?? null } };
};
