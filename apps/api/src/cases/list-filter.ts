import { CASE_STATES, CaseState, DomainError, ErrorCode } from '@app/domain';
import { CaseListFilter } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { ListCasesQuery } from './case.dto';

/** The case list's query string as a repository filter: one reading for the list and its CSV/XLSX export. */
export function caseListFilter(user: CurrentUser, q: ListCasesQuery): CaseListFilter {
  const states = q.state
    ? q.state
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const bad = states.filter((s) => !CASE_STATES.includes(s as CaseState));
  if (bad.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, `state: ${bad.join(', ')} is not a case state; use ${CASE_STATES.join(', ')}.`);
  let assigneeId: string | null | undefined;
  if (q.assignee === 'me') assigneeId = user.id;
  else if (q.assignee === 'none') assigneeId = null;
  else if (q.assignee) {
    if (!/^[0-9a-f-]{36}$/i.test(q.assignee)) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'assignee: must be "me", "none" or a user id.');
    assigneeId = q.assignee;
  }
  return {
    states: states as CaseState[],
    ownerId: q.mine === 'true' ? user.id : undefined,
    assigneeId,
    departmentId: q.department,
    text: q.q?.trim() ? q.q.trim().toLowerCase() : undefined,
    ...(q.sla ? { sla: q.sla } : {}),
  };
}
