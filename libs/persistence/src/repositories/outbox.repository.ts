import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxEntity } from '../entities/event.entity';

export interface NewOutboxMessage {
  topic: string;
  caseId?: string | null;
  eventId?: string | null;
  payload: Record<string, unknown>;
}

/** Emails are never sent from a request: commands write outbox rows; the worker relays them. */
@Injectable()
export class OutboxRepository {
  async add(em: EntityManager, m: NewOutboxMessage): Promise<OutboxEntity> {
    const repo = em.getRepository(OutboxEntity);
    return repo.save(repo.create({ topic: m.topic, caseId: m.caseId ?? null, eventId: m.eventId ?? null, payload: m.payload, status: 'pending', createdAt: new Date() }));
  }
}
