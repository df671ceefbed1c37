import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@app/domain';
import { CaseNoteEntity } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseCommit } from '../commit/case-commit';
import { CaseService } from './case.service';

/**
 * Internal notes (staff only) and messages to the researcher, kept apart. Each note
 * is also an audit event, so the timeline shows when it was written.
 */
@Injectable()
export class NoteService {
  constructor(private readonly ds: DataSource, private readonly cases: CaseService, private readonly commit: CaseCommit) {}

  async add(user: CurrentUser, caseId: string, body: string, visibility: 'internal' | 'researcher'): Promise<CaseNoteEntity> {
    return this.ds.transaction(async (em) => {
      const { case: c, parts } = await this.cases.access(em, caseId, user, true);
      // On their own case everyone is the researcher, staff included.
      if (visibility === 'internal' && !parts.writeInternalNotes) {
        throw new DomainError(ErrorCode.FORBIDDEN, 'visibility: researchers can only send messages (visibility "researcher"); internal notes are for the research office.');
      }
      const repo = em.getRepository(CaseNoteEntity);
      const note = await repo.save(repo.create({ caseId, authorId: user.id, visibility, body }));
      // A note sits beside the case: the case row and its version are unchanged.
      await this.commit.commit(em, c, {
        actorId: user.id, action: 'add_note', rowChanged: false, payload: { noteId: note.id, visibility },
        outbox: visibility === 'researcher' ? [{ topic: 'case-message', payload: { noteId: note.id, authorId: user.id, reference: c.reference } }] : [],
      });
      return note;
    });
  }

  async list(user: CurrentUser, caseId: string): Promise<CaseNoteEntity[]> {
    const { parts } = await this.cases.access(this.ds.manager, caseId, user);
    const insider = parts.internalNotes;
    return this.ds.getRepository(CaseNoteEntity).find({
      where: insider ? { caseId } : { caseId, visibility: 'researcher' },
      order: { createdAt: 'ASC' },
    });
  }
}
