import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeliveryStatus } from '@app/domain';

// The list and its labels live in libs/domain (notifications.ts); the CHECK constraint is compared with it.
export type { DeliveryStatus };

@Entity('delivery')
export class DeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('bigint', { name: 'outbox_id' }) outboxId: string;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  @Column('uuid', { name: 'recipient_user_id' }) recipientUserId: string;
  @Column('text', { name: 'recipient_email', nullable: true }) recipientEmail: string | null;
  @Column('text') template: string;
  @Column('jsonb') context: Record<string, unknown>;
  @Column('text') status: DeliveryStatus;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('int') attempts: number;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil: Date | null;
  @Column('text', { name: 'lease_token', nullable: true }) leaseToken: string | null;
  @Column('text', { name: 'message_id', nullable: true }) messageId: string | null;
  @Column('text', { name: 'smtp_response', nullable: true }) smtpResponse: string | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
