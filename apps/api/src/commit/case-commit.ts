/**
 * The one commit path lives in libs/persistence/src/commit (the API and the worker both
 * use it; issue 15/17); this module keeps the API's imports short.
 */
export { assertExpectedVersion, CaseCommit, endOfBusiness, searchText } from '@app/persistence';
export type { CaseChange, NewDraft, OutboxDraft } from '@app/persistence';
