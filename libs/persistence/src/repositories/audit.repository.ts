import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { AuditKey, AuditKeyring, ChainVerification, eventHash, StoredChainEvent, verifyChain } from '@app/domain';
import { CaseEventEntity, SystemEventEntity } from '../entities/event.entity';

export interface NewCaseEvent {
  caseId: string;
  actorId: string | null;
  action: string;
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
}

export interface NewSystemEvent {
  actorId: string | null;
  action: string;
  payload: Record<string, unknown>;
}

export type ChainBreak = { chain: 'case'; caseId: string; seq: number; reason: string } | { chain: 'system'; seq: number; reason: string };

export interface AuditVerification {
  ok: boolean;
  casesChecked: number;
  eventsChecked: number;
  firstBroken: ChainBreak | null;
}

/** Fixed key for the system chain's advisory lock (case events lock the case row instead). */
const SYSTEM_CHAIN_LOCK = 727_002;

/** Timestamps are stored at millisecond precision so the hashed ISO string round-trips exactly. */
function nowMs(): Date {
  return new Date(Math.floor(Date.now()));
}

function toChainInput(e: CaseEventEntity | SystemEventEntity, caseId: string | null, lastUnkeyedId: bigint): StoredChainEvent {
  return {
    keyId: e.keyId,
    beforeKeys: BigInt(e.id) <= lastUnkeyedId,
    caseId,
    seq: e.seq,
    actorId: e.actorId,
    action: e.action,
    fromState: 'fromState' in e ? e.fromState : null,
    toState: 'toState' in e ? e.toState : null,
    payload: e.payload,
    createdAt: e.createdAt.toISOString(),
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/**
 * The last event id of each chain table stored before keyed hashing began (table
 * audit_key_epoch, written once by migration 1765000000051 and append-only like the
 * trail): only those may carry a plain SHA-256.
 */
async function lastUnkeyedIds(em: EntityManager): Promise<{ case: bigint; system: bigint }> {
  const rows: { chain: string; last_unkeyed_id: string }[] = await em.query('SELECT chain, last_unkeyed_id FROM audit_key_epoch');
  const get = (c: string) => BigInt(rows.find((r) => r.chain === c)?.last_unkeyed_id ?? '0');
  return { case: get('case'), system: get('system') };
}

@Injectable()
export class AuditRepository {
  private readonly key: AuditKey;
  private readonly keyring: AuditKeyring;

  /** The key comes from the configuration (AUDIT_KEY), never from the database. */
  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'audit'>) {
    this.key = { id: config.audit.keyId, secret: config.audit.key };
    this.keyring = new Map([...config.audit.previousKeys, [config.audit.keyId, config.audit.key]]);
  }

  /**
   * The one way case events are written. The caller holds the case row lock
   * (CaseRepository.lockById) in the same transaction, so seq is race-free.
   */
  /**
   * Appends to the case's chain. `head` is the chain's last event as the caller read it
   * under the case row lock (CaseRepository.commandFacts; null: no event yet); without
   * it the head is read here. One hand-written INSERT either way.
   */
  async appendCaseEvent(em: EntityManager, e: NewCaseEvent, head?: { seq: number; hash: string } | null): Promise<CaseEventEntity> {
    const [last] =
      head !== undefined
        ? [head ?? undefined]
        : await em.query<({ seq: string | number; hash: string } | undefined)[]>(
            'SELECT seq, hash FROM case_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1',
            [e.caseId],
          );
    const seq = last ? Number(last.seq) + 1 : 1;
    const prevHash: string | null = last ? last.hash : null;
    const createdAt = nowMs();
    const hash = eventHash(
      {
        caseId: e.caseId,
        seq,
        actorId: e.actorId,
        action: e.action,
        fromState: e.fromState,
        toState: e.toState,
        payload: e.payload,
        createdAt: createdAt.toISOString(),
        prevHash,
      },
      this.key,
    );
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO case_event (case_id, seq, actor_id, action, from_state, to_state, payload, created_at, prev_hash, hash, key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [e.caseId, seq, e.actorId, e.action, e.fromState, e.toState, JSON.stringify(e.payload), createdAt, prevHash, hash, this.key.id],
    );
    return Object.assign(new CaseEventEntity(), {
      id: String(row.id),
      caseId: e.caseId,
      seq,
      actorId: e.actorId,
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      payload: e.payload,
      createdAt,
      prevHash,
      hash,
      keyId: this.key.id,
    });
  }

  /** Events not tied to a case (users, departments) form a chain of their own. */
  async appendSystemEvent(em: EntityManager, e: NewSystemEvent): Promise<SystemEventEntity> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [SYSTEM_CHAIN_LOCK]);
    const [last] = await em.query<({ seq: string; hash: string } | undefined)[]>('SELECT seq, hash FROM system_event ORDER BY seq DESC LIMIT 1');
    const seq = last ? Number(last.seq) + 1 : 1;
    const prevHash: string | null = last ? last.hash : null;
    const createdAt = nowMs();
    const hash = eventHash(
      {
        caseId: null,
        seq,
        actorId: e.actorId,
        action: e.action,
        fromState: null,
        toState: null,
        payload: e.payload,
        createdAt: createdAt.toISOString(),
        prevHash,
      },
      this.key,
    );
    const repo = em.getRepository(SystemEventEntity);
    return repo.save(repo.create({ ...e, seq, prevHash, hash, createdAt, keyId: this.key.id }));
  }

  caseEvents(em: EntityManager, caseId: string): Promise<CaseEventEntity[]> {
    return em.getRepository(CaseEventEntity).find({ where: { caseId }, order: { seq: 'ASC' } });
  }

  /** One case's chain: its events in order and whether they still hash into an unbroken chain. */
  async verifyCase(em: EntityManager, caseId: string): Promise<{ events: CaseEventEntity[]; verification: ChainVerification }> {
    const epoch = await lastUnkeyedIds(em);
    const events = await this.caseEvents(em, caseId);
    return {
      events,
      verification: verifyChain(
        events.map((e) => toChainInput(e, caseId, epoch.case)),
        this.keyring,
      ),
    };
  }

  /** Walks every chain and reports the first broken link (cases in id order, then the system chain). */
  async verify(em: EntityManager): Promise<AuditVerification> {
    const epoch = await lastUnkeyedIds(em);
    const caseIds: { case_id: string }[] = await em.query('SELECT DISTINCT case_id FROM case_event ORDER BY case_id');
    let eventsChecked = 0;
    for (const { case_id } of caseIds) {
      const events = await this.caseEvents(em, case_id);
      const result = verifyChain(
        events.map((e) => toChainInput(e, case_id, epoch.case)),
        this.keyring,
      );
      if (!result.ok) {
        return {
          ok: false,
          casesChecked: caseIds.length,
          eventsChecked,
          firstBroken: { chain: 'case', caseId: case_id, seq: result.seq, reason: result.reason },
        };
      }
      eventsChecked += events.length;
    }
    const sys = await em.getRepository(SystemEventEntity).find({ order: { seq: 'ASC' } });
    const result = verifyChain(
      sys.map((e) => toChainInput(e, null, epoch.system)),
      this.keyring,
    );
    if (!result.ok) {
      return { ok: false, casesChecked: caseIds.length, eventsChecked, firstBroken: { chain: 'system', seq: result.seq, reason: result.reason } };
    }
    return { ok: true, casesChecked: caseIds.length, eventsChecked: eventsChecked + sys.length, firstBroken: null };
  }
}
