import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('case_event')
export class CaseEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('int') seq: number;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text') action: string;
  @Column('text', { name: 'from_state', nullable: true }) fromState: string | null;
  @Column('text', { name: 'to_state', nullable: true }) toState: string | null;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('text', { name: 'prev_hash', nullable: true }) prevHash: string | null;
  @Column('text') hash: string;
  /** The audit key the hash is an HMAC under (config AUDIT_KEY_ID); 'sha256' for events from before keys. */
  @Column('text', { name: 'key_id' }) keyId: string;
}

@Entity('system_event')
export class SystemEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('int') seq: number;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text') action: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('text', { name: 'prev_hash', nullable: true }) prevHash: string | null;
  @Column('text') hash: string;
  /** The audit key the hash is an HMAC under (config AUDIT_KEY_ID); 'sha256' for events from before keys. */
  @Column('text', { name: 'key_id' }) keyId: string;
}

@Entity('case_timer')
export class CaseTimerEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') scope: 'stage' | 'case';
  @Column('text', { nullable: true }) stage: string | null;
  @Column('timestamptz', { name: 'stage_entered_at', nullable: true }) stageEnteredAt: Date | null;
  @Column('text') kind: string;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('text') status: 'pending' | 'fired' | 'cancelled';
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz', { name: 'fired_at', nullable: true }) firedAt: Date | null;
  @Column('int', { name: 'lateness_ms', nullable: true }) latenessMs: number | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('text') topic: string;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  @Column('bigint', { name: 'event_id', nullable: true }) eventId: string | null;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('text') status: 'pending' | 'done';
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt: Date | null;
}
