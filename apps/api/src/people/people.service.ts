import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { atasOutstanding, atasRequired, DomainError, ErrorCode, FINAL_STATES, piConfirmationOutstanding, TEAM_ROLES } from '@app/domain';
import { CaseEntity, CasePersonRepository, UserRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { assertExpectedVersion, CaseCommit } from '@app/persistence';
import { CaseService } from '../cases/case.service';
import { assertDate } from '../organisations/organisation.service';
import { AddPersonDto, UpdatePersonDto } from './people.dto';

/**
 * People named on a case (issue 19): the PI, co-investigators, visiting researchers and
 * partner staff. Anyone who sees the case reads them; the research team (owner, PI,
 * co-investigators: the researcher view) and the research office change them; a PI
 * named by someone else confirms the submission. Every change goes through CaseCommit.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CaseService,
    private readonly people: CasePersonRepository,
    private readonly users: UserRepository,
    private readonly commit: CaseCommit,
  ) {}

  async list(user: CurrentUser, caseId: string) {
    const em = this.ds.manager;
    const { case: c } = await this.cases.access(em, caseId, user);
    return this.listOf(em, c);
  }

  private async listOf(em: EntityManager, c: CaseEntity) {
    const people = await this.people.list(em, c.id);
    return {
      items: people.map((p) => ({ ...p, atasRequired: atasRequired(p, c.answers) })),
      atasOutstanding: atasOutstanding(people, c.answers, this.cases.today()),
      piConfirmationOutstanding: piConfirmationOutstanding(people, c.ownerId),
    };
  }

  /** Locks the case this caller may change people on: the research team or an officer; signers only read. */
  private async lockForChange(em: EntityManager, user: CurrentUser, caseId: string, expectedVersion: number | undefined) {
    const { case: c, view } = await this.cases.access(em, caseId, user, true);
    const officer = user.roles.has('rsdo_officer') || user.roles.has('rsdo_lead');
    if (view !== 'researcher' && !officer)
      throw new DomainError(ErrorCode.NOT_ALLOWED_FOR_ROLE, 'Only the research team or the research office may change the people on a case.');
    if (FINAL_STATES.includes(c.state)) throw new DomainError(ErrorCode.INVALID_TRANSITION, `This case is ${c.state}: its people can no longer change.`);
    assertExpectedVersion(c, expectedVersion);
    return c;
  }

  async add(user: CurrentUser, caseId: string, body: AddPersonDto) {
    return this.ds.transaction(async (em) => {
      const c = await this.lockForChange(em, user, caseId, body.expectedVersion);
      let userId: string | null = null;
      if (body.userEmail) {
        if (!TEAM_ROLES.includes(body.role))
          throw new DomainError(ErrorCode.VALIDATION_FAILED, 'userEmail: only a principal investigator or co-investigator is linked to an account.');
        const u = await this.users.findByEmail(em, body.userEmail.trim().toLowerCase());
        if (!u || !u.active) throw new DomainError(ErrorCode.VALIDATION_FAILED, `userEmail: nobody with an active account has the address ${body.userEmail}.`);
        userId = u.id;
      }
      if (body.role === 'principal_investigator' && (await this.people.list(em, c.id)).some((p) => p.role === 'principal_investigator')) {
        throw new DomainError(ErrorCode.CONFLICT, 'This case already names a principal investigator.');
      }
      if (!body.name.trim()) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'name must not be blank.');
      const id = await this.people.add(
        em,
        c.id,
        {
          name: body.name.trim(),
          role: body.role,
          affiliation: body.affiliation?.trim() || null,
          nationalities: [...new Set(body.nationalities ?? [])],
          userId,
          conflicts: (body.conflicts ?? []).map((x) => ({ kind: x.kind, description: x.description.trim() })),
        },
        user.id,
      );
      await this.commit.commit(em, c, {
        actorId: user.id,
        action: 'add_person',
        payload: { personId: id, name: body.name.trim(), role: body.role, linkedUserId: userId },
      });
      return this.listOf(em, c);
    });
  }

  async update(user: CurrentUser, caseId: string, personId: string, body: UpdatePersonDto) {
    if (body.atas) {
      assertDate('atas.issuedOn', body.atas.issuedOn);
      assertDate('atas.expiresOn', body.atas.expiresOn);
      if (body.atas.expiresOn < body.atas.issuedOn) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'atas.expiresOn must not be before atas.issuedOn.');
      if (!body.atas.certificateReference.trim()) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'atas.certificateReference must not be blank.');
    }
    return this.ds.transaction(async (em) => {
      const c = await this.lockForChange(em, user, caseId, body.expectedVersion);
      const p = await this.people.find(em, c.id, personId);
      if (!p) throw new DomainError(ErrorCode.NOT_FOUND, `This case names nobody with id ${personId}.`);
      const atas =
        body.atas === undefined ? undefined : body.atas === null ? null : { ...body.atas, certificateReference: body.atas.certificateReference.trim() };
      await this.people.update(em, c.id, personId, {
        affiliation: body.affiliation === undefined ? undefined : body.affiliation?.trim() || null,
        nationalities: body.nationalities === undefined ? undefined : [...new Set(body.nationalities)],
        conflicts: body.conflicts?.map((x) => ({ kind: x.kind, description: x.description.trim() })),
        atas,
      });
      const changed = Object.keys(body).filter((k) => k !== 'expectedVersion');
      await this.commit.commit(em, c, {
        actorId: user.id,
        action: atas ? 'record_atas' : 'update_person',
        payload: { personId, name: p.name, changed, ...(atas ? { atas } : {}) },
      });
      return this.listOf(em, c);
    });
  }

  /** The principal investigator confirms a case submitted on their behalf. */
  async confirm(user: CurrentUser, caseId: string, personId: string) {
    return this.ds.transaction(async (em) => {
      const { case: c } = await this.cases.access(em, caseId, user, true);
      const p = await this.people.find(em, c.id, personId);
      if (!p) throw new DomainError(ErrorCode.NOT_FOUND, `This case names nobody with id ${personId}.`);
      if (p.role !== 'principal_investigator' || p.userId !== user.id)
        throw new DomainError(ErrorCode.NOT_ALLOWED_FOR_ROLE, 'Only the principal investigator named on the case confirms it, from their own account.');
      if (p.confirmedAt) throw new DomainError(ErrorCode.CONFLICT, 'You already confirmed this case.');
      await this.people.confirm(em, c.id, personId);
      await this.commit.commit(em, c, { actorId: user.id, action: 'confirm_as_pi', payload: { personId, name: p.name } });
      return this.listOf(em, c);
    });
  }
}
