import { ActionBody, Effect } from './types';

/** Snapshot the department (who signs is decided at submit), then screen and score. */
export const submit: Effect<ActionBody<'submit'>> = async ({ em, c, user, now, deps }) => {
  const owner = await deps.users.findById(em, c.ownerId);
  c.departmentId = owner?.departmentId ?? c.departmentId;
  c.submittedAt = now;
  // Partners, parents and funders become (or join) organisation records (issue 19), first: screening screens the records.
  await deps.organisations.linkCase(em, c.id, c.answers);
  const intake = await deps.screening.onSubmit(em, c, user.id);
  return { payload: { departmentId: c.departmentId, ...intake } };
};
