import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ConflictKind, PersonRole, TEAM_ROLES } from '@app/domain';
import { RescreenParty } from './organisation.repository';
import { RescreenScope, rescreenWindowSql } from './rescreen-window';

export interface PersonConflict {
  kind: ConflictKind;
  description: string;
}

export interface CasePersonRow {
  id: string;
  caseId: string;
  name: string;
  role: PersonRole;
  affiliation: string | null;
  nationalities: string[];
  userId: string | null;
  userName: string | null;
  confirmedAt: string | null;
  atas: { certificateReference: string; issuedOn: string; expiresOn: string } | null;
  conflicts: PersonConflict[];
  addedById: string;
  createdAt: string;
}

export interface NewCasePerson {
  name: string;
  role: PersonRole;
  affiliation: string | null;
  nationalities: string[];
  userId: string | null;
  conflicts: PersonConflict[];
}

const COLUMNS = `p.id, p.case_id AS "caseId", p.name, p.role, p.affiliation, p.nationalities, p.user_id AS "userId", u.name AS "userName",
  p.confirmed_at AS "confirmedAt", p.atas_certificate_reference AS ref, to_char(p.atas_issued_on, 'YYYY-MM-DD') AS issued,
  to_char(p.atas_expires_on, 'YYYY-MM-DD') AS expires, p.conflicts, p.added_by_id AS "addedById", p.created_at AS "createdAt"`;

/** A case's people in the order they were added ($1: the case): one statement, also folded into CaseRepository.commandFacts. */
export const CASE_PEOPLE_SQL = `SELECT ${COLUMNS} FROM case_person p LEFT JOIN app_user u ON u.id = p.user_id WHERE p.case_id = $1 ORDER BY p.created_at, p.id`;

export type CasePersonRaw = Omit<CasePersonRow, 'atas'> & { ref: string | null; issued: string | null; expires: string | null };
type Raw = CasePersonRaw;
export const shapeCasePerson = (raw: Raw): CasePersonRow => shape(raw);
const shape = ({ ref, issued, expires, ...r }: Raw): CasePersonRow => ({
  ...r,
  atas: ref && issued && expires ? { certificateReference: ref, issuedOn: issued, expiresOn: expires } : null,
});

/** People named on a case (issue 19): the research team, visiting researchers and partner staff. */
@Injectable()
export class CasePersonRepository {
  async list(em: EntityManager, caseId: string): Promise<CasePersonRow[]> {
    const rows: Raw[] = await em.query(CASE_PEOPLE_SQL, [caseId]);
    return rows.map(shape);
  }

  async find(em: EntityManager, caseId: string, id: string): Promise<CasePersonRow | null> {
    const rows: Raw[] = await em.query(`SELECT ${COLUMNS} FROM case_person p LEFT JOIN app_user u ON u.id = p.user_id WHERE p.case_id = $1 AND p.id = $2`, [
      caseId,
      id,
    ]);
    return rows[0] ? shape(rows[0]) : null;
  }

  async add(em: EntityManager, caseId: string, p: NewCasePerson, byId: string): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO case_person (case_id, name, role, affiliation, nationalities, user_id, conflicts, added_by_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [caseId, p.name, p.role, p.affiliation, p.nationalities, p.userId, JSON.stringify(p.conflicts), byId],
    );
    return row.id;
  }

  /** Changes what is given; undefined keeps a value. */
  async update(
    em: EntityManager,
    caseId: string,
    id: string,
    patch: Partial<Pick<NewCasePerson, 'affiliation' | 'nationalities' | 'conflicts'>> & {
      atas?: { certificateReference: string; issuedOn: string; expiresOn: string } | null;
    },
  ): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [caseId, id];
    const set = (col: string, v: unknown) => {
      params.push(v);
      sets.push(`${col} = $${params.length}`);
    };
    if (patch.affiliation !== undefined) set('affiliation', patch.affiliation);
    if (patch.nationalities !== undefined) set('nationalities', patch.nationalities);
    if (patch.conflicts !== undefined) set('conflicts', JSON.stringify(patch.conflicts));
    if (patch.atas !== undefined) {
      set('atas_certificate_reference', patch.atas?.certificateReference ?? null);
      set('atas_issued_on', patch.atas?.issuedOn ?? null);
      set('atas_expires_on', patch.atas?.expiresOn ?? null);
    }
    if (sets.length) await em.query(`UPDATE case_person SET ${sets.join(', ')} WHERE case_id = $1 AND id = $2`, params);
  }

  async remove(em: EntityManager, caseId: string, id: string): Promise<void> {
    await em.query(`DELETE FROM case_person WHERE case_id = $1 AND id = $2`, [caseId, id]);
  }

  async confirm(em: EntityManager, caseId: string, id: string): Promise<void> {
    await em.query(`UPDATE case_person SET confirmed_at = now() WHERE case_id = $1 AND id = $2 AND confirmed_at IS NULL`, [caseId, id]);
  }

  /** Users on the research team of a case (access.ts AccessCase.teamIds). */
  async teamIds(em: EntityManager, caseId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await em.query(
      `SELECT DISTINCT user_id FROM case_person WHERE case_id = $1 AND user_id IS NOT NULL AND role = ANY($2::text[])`,
      [caseId, TEAM_ROLES],
    );
    return rows.map((r) => r.user_id);
  }

  /** Of these cases, those on whose research team the user is (they get the researcher view of them). */
  async teamCaseIds(em: EntityManager, userId: string, caseIds: string[]): Promise<Set<string>> {
    if (!caseIds.length) return new Set();
    const rows: { case_id: string }[] = await em.query(
      `SELECT DISTINCT case_id FROM case_person WHERE user_id = $1 AND case_id = ANY($2::uuid[]) AND role = ANY($3::text[])`,
      [userId, caseIds, TEAM_ROLES],
    );
    return new Set(rows.map((r) => r.case_id));
  }

  /**
   * Every named person on a case in the window (rescreen-window.ts: by default open cases
   * and approved or suspended collaborations until their end date plus the re-review
   * period), one row per person record: what continuous screening screens. `country` is
   * the first nationality given (null when none); `kind` is the role.
   */
  listLinkedForRescreen(em: EntityManager, opts: RescreenScope = { scope: 'live' }): Promise<RescreenParty[]> {
    const w = rescreenWindowSql(opts, 1);
    return em.query(
      `SELECT p.id, p.name, p.nationalities[1] AS country, p.role AS kind, ARRAY[p.case_id] AS "caseIds",
              jsonb_build_array(jsonb_build_object('caseId', c.id, 'caseState', c.state, 'role', p.role, 'index', -1)) AS links
         FROM case_person p JOIN collaboration_case c ON c.id = p.case_id
        WHERE ${w.sql} ORDER BY p.name, p.id`,
      w.params,
    );
  }
}
