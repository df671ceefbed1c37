import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CaseState, formatReference, TEAM_ROLES } from '@app/domain';
import { CaseEntity, CaseFlagEntity } from '../entities/case.entity';
import { returnedRows } from '../sql';

/** `due`: the stage's SLA due date, soonest first (cases with a running clock only). */
export type CaseSort = 'created' | 'updated' | 'age' | 'due';

export interface CaseListFilter {
  states?: CaseState[];
  ownerId?: string;
  assigneeId?: string | null; // null = unassigned
  departmentId?: string;
  text?: string;
  /** The stage's service level; the time-based part keeps it exact even before the worker records a breach. */
  sla?: 'on_track' | 'at_risk' | 'breached' | 'paused';
}

const SLA_FILTER: Record<NonNullable<CaseListFilter['sla']>, string> = {
  breached: `(c.sla_due_at <= now() OR c.sla_state = 'breached')`,
  at_risk: `(c.sla_state IS DISTINCT FROM 'breached' AND ((c.sla_at_risk_from <= now() AND c.sla_due_at > now()) OR (c.sla_paused_at IS NOT NULL AND c.sla_state = 'at_risk')))`,
  on_track: `(c.sla_at_risk_from > now() OR (c.sla_paused_at IS NOT NULL AND c.sla_state = 'on_track'))`,
  paused: `(c.sla_paused_at IS NOT NULL AND c.sla_stage IS NOT NULL)`,
};

export interface Viewer {
  id: string;
  staff: boolean;
  /** YYYY-MM-DD in the institution's time zone, for delegate date ranges. */
  today: string;
  /** Non-staff only: departments this person heads, departments they deputise for today, and whether they ever signed. */
  signing?: { headOf: string[]; delegateFor: string[]; hasSigned: boolean };
}

export interface CaseListRow {
  id: string;
  reference: string;
  title: string;
  state: CaseState;
  riskLevel: string | null;
  ownerId: string;
  ownerName: string;
  departmentId: string | null;
  departmentName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  version: number;
  /** The stage's service level (null: no clock runs); the same reading as the `sla` filter, so the column and the view agree. */
  slaState: 'on_track' | 'at_risk' | 'breached' | null;
  slaDueAt: string | null;
  slaPaused: boolean;
}

export interface Keyset {
  key: string; // full-precision timestamp text, never through a JS Date
  id: string;
}

const SORTS: Record<CaseSort, { column: string; dir: 'ASC' | 'DESC' }> = {
  created: { column: 'c.created_at', dir: 'DESC' },
  updated: { column: 'c.updated_at', dir: 'DESC' },
  age: { column: 'c.submitted_at', dir: 'ASC' },
  due: { column: 'c.sla_due_at', dir: 'ASC' },
};

const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * Who may see a case, in SQL: the rule of libs/domain/src/access.ts (caseAccess), so
 * lists and single reads agree. The owner sees their own; nobody else sees a case before
 * it was submitted, whatever its state; staff see every submitted case; the acting
 * signer (department head, or a delegate active today) sees cases waiting for sign-off
 * unless the owner heads the department (the RSDO lead signs those); a head sees their
 * department's past sign-offs, and anyone who signed sees what they signed. Only the
 * clauses that can match this viewer are emitted, and past sign-offs are read from the
 * case row (signed_by), so every clause filters rows of the list's own index scan.
 */
export function visibilitySql(viewer: Viewer, params: unknown[]): string {
  params.push(viewer.id);
  const me = `$${params.length}::uuid`;
  // The research team (PI and co-investigators with an account) see the case as its owner does, draft included.
  // An InitPlan array (computed once), so `c.id = ANY(...)` is an index condition beside the owner's (a BitmapOr), not a per-row subquery.
  const team = `c.id = ANY(ARRAY(SELECT cp.case_id FROM case_person cp WHERE cp.user_id = ${me} AND cp.role IN (${TEAM_ROLES.map((r) => `'${r}'`).join(',')})))`;
  if (viewer.staff) return `(c.owner_id = ${me} OR c.submitted_at IS NOT NULL OR ${team})`;
  const clauses: string[] = [];
  const signing = viewer.signing ?? { headOf: [], delegateFor: [], hasSigned: false };
  const signFor = [...new Set([...signing.headOf, ...signing.delegateFor])];
  if (signFor.length) {
    params.push(signFor);
    clauses.push(`(c.state = 'head_sign_off' AND c.department_id = ANY($${params.length}::uuid[])
      AND EXISTS (SELECT 1 FROM department d WHERE d.id = c.department_id AND d.head_user_id IS NOT NULL AND d.head_user_id <> c.owner_id))`);
  }
  if (signing.headOf.length) {
    params.push(signing.headOf);
    clauses.push(`(c.department_id = ANY($${params.length}::uuid[]) AND cardinality(c.signed_by) > 0)`);
  }
  if (signing.hasSigned) {
    clauses.push(`${me} = ANY(c.signed_by)`);
  }
  if (!clauses.length) return `(c.owner_id = ${me} OR ${team})`;
  return `(c.owner_id = ${me} OR ${team} OR (c.submitted_at IS NOT NULL AND (${clauses.join(' OR ')})))`;
}

@Injectable()
export class CaseRepository {
  /** Locks the case row alone (no joins), for the length of the caller's transaction. */
  lockById(em: EntityManager, id: string): Promise<CaseEntity | null> {
    return em.getRepository(CaseEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findById(em: EntityManager, id: string): Promise<CaseEntity | null> {
    return em.getRepository(CaseEntity).findOne({ where: { id } });
  }

  async isVisible(em: EntityManager, id: string, viewer: Viewer): Promise<boolean> {
    const params: unknown[] = [id];
    const rows = await em.query<unknown[]>(`SELECT 1 FROM collaboration_case c WHERE c.id = $1 AND ${visibilitySql(viewer, params)}`, params);
    return rows.length > 0;
  }

  /** Gapless per-year numbering: the counter row is locked by the upsert until commit. */
  async nextReference(em: EntityManager, year: number): Promise<string> {
    const [row] = await em.query<{ last_value: string | number }[]>(
      `INSERT INTO case_reference_counter (year, last_value) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_value = case_reference_counter.last_value + 1
       RETURNING last_value`,
      [year],
    );
    return formatReference(year, Number(row.last_value));
  }

  async create(em: EntityManager, c: Partial<CaseEntity> & Pick<CaseEntity, 'reference' | 'ownerId'>): Promise<CaseEntity> {
    const repo = em.getRepository(CaseEntity);
    const now = new Date();
    return repo.save(repo.create({
      title: '', answers: {}, questionnaireVersion: 1, departmentId: null, state: 'draft', outcome: null,
      returnState: null, assigneeId: null, triagedById: null, riskLevel: null, proposedRiskLevel: null,
      triage: null, triageStale: false, exportReviewRequired: false, exportReviewCompleted: false,
      exportReviewerId: null, exportAssessment: null, proposedDecision: null, decision: null, rejection: null, suspension: null,
      informationRequest: null, signedBy: [], version: 1, searchText: '', stageEnteredAt: now, submittedAt: null,
      closedAt: null, createdAt: now, updatedAt: now, ...c,
    }));
  }

  /** One UPDATE of every column (TypeORM's save() would SELECT the row first to diff it). */
  async update(em: EntityManager, c: CaseEntity): Promise<CaseEntity> {
    const { id, ...columns } = c;
    await em.getRepository(CaseEntity).update({ id }, columns as QueryDeepPartialEntity<CaseEntity>);
    return c;
  }

  save(em: EntityManager, c: CaseEntity): Promise<CaseEntity> {
    return em.getRepository(CaseEntity).save(c);
  }

  async openBlockingFlagCount(em: EntityManager, caseId: string): Promise<number> {
    const [row] = await em.query<{ n: number }[]>(
      // A confirmed hit is a true positive: it keeps blocking approval for good.
      `SELECT count(*)::int AS n FROM case_flag WHERE case_id = $1 AND status IN ('open','confirmed') AND blocking`,
      [caseId],
    );
    return row.n;
  }

  /** Screening flags still open or confirmed (not cleared): a hard flag from screening stands while one does. */
  async liveScreeningFlagCount(em: EntityManager, caseId: string): Promise<number> {
    const [row] = await em.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM case_flag WHERE case_id = $1 AND kind = 'screening' AND status IN ('open','confirmed')`, [caseId]);
    return row.n;
  }

  flags(em: EntityManager, caseId: string): Promise<CaseFlagEntity[]> {
    return em.getRepository(CaseFlagEntity).find({ where: { caseId }, order: { raisedAt: 'ASC' } });
  }

  async addFlag(em: EntityManager, f: Pick<CaseFlagEntity, 'caseId' | 'kind' | 'blocking' | 'reason' | 'raisedById'>): Promise<CaseFlagEntity> {
    const repo = em.getRepository(CaseFlagEntity);
    return repo.save(repo.create({ ...f, status: 'open' }));
  }

  /** Conditional update: zero rows means the flag was not open (already resolved or not this case's). */
  async resolveFlag(em: EntityManager, caseId: string, flagId: string, by: string, resolution: string, reason: string): Promise<boolean> {
    const rows = returnedRows(await em.query(
      `UPDATE case_flag SET status = 'cleared', resolved_by_id = $3, resolved_at = now(), resolution = $4, resolution_reason = $5
        WHERE id = $2 AND case_id = $1 AND status = 'open' RETURNING id`,
      [caseId, flagId, by, resolution, reason],
    ));
    return rows.length > 0;
  }

  /** Keyset page: orders by (sort key, id); visibility applied in SQL. */
  async list(em: EntityManager, viewer: Viewer, filter: CaseListFilter, sort: CaseSort, limit: number, after: Keyset | null): Promise<{ rows: CaseListRow[]; next: Keyset | null }> {
    const params: unknown[] = [];
    const where: string[] = [visibilitySql(viewer, params)];
    if (filter.states?.length === 1) {
      // Plain equality lets PostgreSQL walk (state, sort key) in order; `= ANY` made it sort.
      params.push(filter.states[0]);
      where.push(`c.state = $${params.length}`);
    } else if (filter.states?.length) {
      params.push(filter.states);
      where.push(`c.state = ANY($${params.length}::text[])`);
    }
    if (filter.ownerId) {
      params.push(filter.ownerId);
      where.push(`c.owner_id = $${params.length}::uuid`);
    }
    if (filter.assigneeId === null) where.push('c.assignee_id IS NULL');
    else if (filter.assigneeId) {
      params.push(filter.assigneeId);
      where.push(`c.assignee_id = $${params.length}::uuid`);
    }
    if (filter.departmentId) {
      params.push(filter.departmentId);
      where.push(`c.department_id = $${params.length}::uuid`);
    }
    if (filter.text) {
      params.push(`%${filter.text.replace(/[\\%_]/g, (m) => '\\' + m)}%`);
      where.push(`c.search_text ILIKE $${params.length}`);
    }
    if (filter.sla) where.push(SLA_FILTER[filter.sla]);
    const { column, dir } = SORTS[sort];
    if (sort === 'age') where.push('c.submitted_at IS NOT NULL');
    if (sort === 'due') where.push('c.sla_due_at IS NOT NULL');
    if (after) {
      params.push(after.key, after.id);
      const op = dir === 'DESC' ? '<' : '>';
      where.push(`(${column}, c.id) ${op} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: (CaseListRow & { sort_key: string })[] = await em.query(
      `SELECT c.id, c.reference, c.title, c.state, c.risk_level AS "riskLevel", c.owner_id AS "ownerId",
              o.name AS "ownerName", c.department_id AS "departmentId", d.name AS "departmentName",
              c.assignee_id AS "assigneeId", a.name AS "assigneeName",
              c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.submitted_at AS "submittedAt", c.version,
              CASE WHEN c.sla_stage IS NULL THEN NULL WHEN ${SLA_FILTER.breached} THEN 'breached'
                   WHEN ${SLA_FILTER.at_risk} THEN 'at_risk' ELSE 'on_track' END AS "slaState",
              c.sla_due_at AS "slaDueAt", (c.sla_stage IS NOT NULL AND c.sla_paused_at IS NOT NULL) AS "slaPaused",
              to_char(${column} AT TIME ZONE 'UTC', ${ISO_US}) AS sort_key
         FROM collaboration_case c
         JOIN app_user o ON o.id = c.owner_id
         LEFT JOIN department d ON d.id = c.department_id
         LEFT JOIN app_user a ON a.id = c.assignee_id
        WHERE ${where.join(' AND ')}
        ORDER BY ${column} ${dir}, c.id ${dir}
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? { key: last.sort_key, id: last.id } : null;
    return { rows: page.map(({ sort_key: _s, ...r }) => r), next };
  }
}
