import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actingRole, ActingRole, DomainError, ErrorCode } from '@app/domain';
import { CaseNoteEntity, UserRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseCommit } from '@app/persistence';
import { CaseService } from './case.service';

/**
 * Internal notes (staff only) and messages to the researcher, kept apart. Each note
 * is also an audit event, so the timeline shows when it was written.
 */
@Injectable()
export class NoteService {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CaseService,
    private readonly commit: CaseCommit,
    private readonly users: UserRepository,
  ) {}

  async add(user: CurrentUser, caseId: string, body: string, visibility: 'internal' | 'researcher'): Promise<NoteView> {
    return this.ds.transaction(async (em) => {
      const { case: c, parts } = await this.cases.access(em, caseId, user, true);
      // On their own case everyone is the researcher, staff included.
      if (visibility === 'internal' && !parts.writeInternalNotes) {
        throw new DomainError(
          ErrorCode.FORBIDDEN,
          'visibility: researchers can only send messages (visibility "researcher"); internal notes are for the research office.',
        );
      }
      const repo = em.getRepository(CaseNoteEntity);
      const note = await repo.save(repo.create({ caseId, authorId: user.id, visibility, body }));
      // A note sits beside the case: the case row and its version are unchanged.
      await this.commit.commit(em, c, {
        actorId: user.id,
        action: 'add_note',
        rowChanged: false,
        payload: { noteId: note.id, visibility },
        outbox: visibility === 'researcher' ? [{ topic: 'case-message', payload: { noteId: note.id, authorId: user.id, reference: c.reference } }] : [],
      });
      return { ...note, authorName: user.name, authorRole: actingRole('add_note', [...user.roles], c.ownerId === user.id) };
    });
  }

  async list(user: CurrentUser, caseId: string): Promise<NoteView[]> {
    const { case: c, parts } = await this.cases.access(this.ds.manager, caseId, user);
    const insider = parts.internalNotes;
    const notes = await this.ds.getRepository(CaseNoteEntity).find({
      where: insider ? { caseId } : { caseId, visibility: 'researcher' },
      order: { createdAt: 'ASC' },
    });
    // Who wrote each note, by name and the role they wrote in (on their own case, the researcher).
    const authors = await this.users.actorsByIds(
      this.ds.manager,
      notes.map((n) => n.authorId),
    );
    return notes.map((n) => {
      const a = n.authorId ? authors.get(n.authorId) : undefined;
      return { ...n, authorName: a?.name ?? null, authorRole: a ? actingRole('add_note', a.roles, n.authorId === c.ownerId) : null };
    });
  }
}

/** A note with its author's name and role (response schema Note). */
export type NoteView = CaseNoteEntity & { authorName: string | null; authorRole: ActingRole | null };
