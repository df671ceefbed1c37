import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxMessages, OutboxTopic } from '@app/domain';
import { OutboxEntity } from '../entities/event.entity';

/** An outbox row to write: its payload is the one the registry (libs/domain outbox-messages.ts) gives its topic. */
export interface NewOutboxMessage<T extends OutboxTopic = OutboxTopic> {
  topic: T;
  caseId?: string | null;
  eventId?: string | null;
  payload: OutboxMessages[T];
}

/** Emails are never sent from a request: commands write outbox rows; the worker relays them. */
@Injectable()
export class OutboxRepository {
  async add<T extends OutboxTopic>(em: EntityManager, m: NewOutboxMessage<T>): Promise<OutboxEntity> {
    const repo = em.getRepository(OutboxEntity);
    return repo.save(
      repo.create({ topic: m.topic, caseId: m.caseId ?? null, eventId: m.eventId ?? null, payload: m.payload, status: 'pending', createdAt: new Date() }),
    );
  }
}
