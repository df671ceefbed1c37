// Declared in libs/screening beside the service that provides it.
export { CASE_SCREENING } from '@app/screening';
export type { CaseScreening } from '@app/screening';
