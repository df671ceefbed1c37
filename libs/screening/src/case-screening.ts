import { EntityManager } from 'typeorm';
import { CaseEntity } from '@app/persistence';

/**
 * What the case lifecycle needs from screening: screen and score at submit, and again
 * when answers change. Declared here and provided by the screening module under this
 * token, so cases does not depend on screening's HTTP side (no module cycle).
 */
export interface CaseScreening {
  onSubmit(em: EntityManager, c: CaseEntity, actorId: string): Promise<Record<string, unknown>>;
  onAnswersChanged(em: EntityManager, c: CaseEntity, actorId: string | null, trigger: string): Promise<Record<string, unknown>>;
  /** A flag was cleared: a screening flag cleared as a false positive is remembered against its subject and list entry. */
  onFlagCleared(em: EntityManager, c: CaseEntity, flagId: string, resolution: string, actorId: string, reason: string): Promise<void>;
}

export const CASE_SCREENING = Symbol('CaseScreening');
