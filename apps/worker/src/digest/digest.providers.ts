import { DigestRepository } from '@app/persistence';
import { DigestService } from './digest.service';

/** What the worker module registers for the daily digest (its job handler is in processors.ts). */
export const DIGEST_PROVIDERS = [DigestRepository, DigestService];
