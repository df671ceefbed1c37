// The screening service lives in libs/screening, so the worker's scheduled imports use it without importing apps/api.
export { ScreeningService } from '@app/screening';
export type { CheckHit, ImportResult } from '@app/screening';
