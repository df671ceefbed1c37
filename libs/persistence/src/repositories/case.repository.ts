import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CaseState, DepartmentSigning, TEAM_ROLES, formatReference, isSlaStage, parseReference, SlaClock, SlaState } from '@app/domain';
import { CaseTimerEntity } from '../entities/event.entity';
import { CaseRiskAssessmentEntity } from '../entities/screening.entity';
import { CaseScreeningHitRow, HITS_FOR_CASE_SQL } from './screening.repository';
import { CaseEntity, CaseFlagEntity } from '../entities/case.entity';
import { returnedRows } from '../sql';
import { CASE_PEOPLE_SQL, CasePersonRaw, CasePersonRow, shapeCasePerson } from './case-person.repository';

/** `due`: the stage's SLA due date, soonest first (cases with a running clock only). */
export type CaseSort = 'created' | 'updated' | 'age' | 'due';

/** The SLA clock columns a command writes with the row (null clock: cleared). */
export interface ClockWrite {
  clock: SlaClock | null;
  dueAt: Date | null;
  atRiskFrom: Date | null;
  state: SlaState | null;
}

/** The signers of a case's department, as UserRepository.signingForCase gives them. */
export type CaseSigning = DepartmentSigning & { ownerDepartmentId: string | null };

/** What CaseRepository.commandFacts reads in one statement. */
export interface CommandFacts {
  signing: CaseSigning;
  openBlockingFlags: number;
  liveScreeningFlags: number;
  latestAssessment: { hardFlags: { code: string }[]; exportIndicator: boolean } | null;
  chainHead: { seq: number; hash: string } | null;
  slaVersion: number;
  /** the people named on the case (ATAS and PI confirmation), read in the same statement */
  people: CasePersonRow[];
}

interface CommandFactsRow {
  ownerDepartmentId: string | null;
  headUserId: string | null;
  delegates: CaseSigning['delegates'] | null;
  openBlockingFlags: number;
  liveScreeningFlags: number;
  latestAssessment: { hardFlags: { code: string }[] | null; exportIndicator: boolean } | null;
  chainHead: { seq: string | number; hash: string } | null;
  slaVersion: number | null;
  people: CasePersonRaw[] | null;
}

/** What CaseRepository.viewParts reads in one statement. */
export interface ViewParts {
  flags: CaseFlagEntity[];
  timers: CaseTimerEntity[];
  assessment: CaseRiskAssessmentEntity | null;
  hits: CaseScreeningHitRow[];
  clock: SlaClock | null;
  slaVersion: number;
}

interface ViewPartsRow {
  flags: Record<string, unknown>[];
  timers: Record<string, unknown>[];
  assessment: Record<string, unknown> | null;
  hits: CaseScreeningHitRow[];
  stage: string | null;
  mode: string | null;
  budgetMs: string | null;
  atRiskAt: string | null;
  usedMs: string | null;
  anchorAt: Date | null;
  pausedAt: Date | null;
  pausedMs: string | null;
  slaVersion: number | null;
}

const ENTITY_JSON = new WeakMap<object, Map<unknown, { sql: string; parse: (x: Record<string, unknown>) => never }>>();

/**
 * A json_build_object of an entity's columns (by property name) and the parse back to the
 * entity's values (timestamps as Date, bigint ids as strings), as TypeORM would map the row.
 */
function entityJson<T>(em: EntityManager, entity: new () => T, alias: string): { sql: string; parse: (x: Record<string, unknown>) => T } {
  let byEntity = ENTITY_JSON.get(em.connection);
  if (!byEntity) ENTITY_JSON.set(em.connection, (byEntity = new Map<unknown, { sql: string; parse: (x: Record<string, unknown>) => never }>()));
  const key = `${entity.name}:${alias}`;
  let out = byEntity.get(key);
  if (!out) {
    const cols = em.connection.getMetadata(entity).columns.map((c) => ({ name: c.databaseName, property: c.propertyName, type: String(c.type) }));
    const sql = `json_build_object(${cols.map((c) => `'${c.property}', ${alias}.${c.name}`).join(', ')})`;
    const dates = cols.filter((c) => c.type === 'timestamptz').map((c) => c.property);
    const bigints = cols.filter((c) => c.type === 'bigint').map((c) => c.property);
    const parse = (x: Record<string, unknown>) => {
      const e = Object.assign(new entity() as object, x) as Record<string, unknown>;
      for (const p of dates) if (e[p] !== null && e[p] !== undefined) e[p] = new Date(e[p] as string);
      for (const p of bigints) if (e[p] !== null && e[p] !== undefined) e[p] = String(e[p]);
      return e as never;
    };
    out = { sql, parse };
    byEntity.set(key, out);
  }
  return out as { sql: string; parse: (x: Record<string, unknown>) => T };
}

interface CaseColumn {
  name: string;
  property: string;
  json: boolean;
}
const COLUMNS = new WeakMap<object, CaseColumn[]>();

/** The entity's columns but the id, once per data source. */
function caseColumns(em: EntityManager): CaseColumn[] {
  let cols = COLUMNS.get(em.connection);
  if (!cols) {
    cols = em.connection
      .getMetadata(CaseEntity)
      .columns.filter((col) => !col.isPrimary)
      .map((col) => ({ name: col.databaseName, property: col.propertyName, json: col.type === 'jsonb' || col.type === 'json' }));
    COLUMNS.set(em.connection, cols);
  }
  return cols;
}

const CASE_SELECT = new WeakMap<object, string>();

/**
 * `SELECT <every column of the entity, as its property> FROM collaboration_case c`, once
 * per data source: the command path reads the row with plain SQL and maps it by name
 * (issue 17: TypeORM's query building and entity hydration of the one locked row were a
 * visible share of a command's CPU). pg gives the values TypeORM would (jsonb parsed,
 * timestamptz as Date, int as number); the uuid array is read as text[].
 */
function caseSelect(em: EntityManager): string {
  let sql = CASE_SELECT.get(em.connection);
  if (!sql) {
    const cols = em.connection.getMetadata(CaseEntity).columns.map((col) => `c."${col.databaseName}"${col.isArray ? '::text[]' : ''} AS "${col.propertyName}"`);
    sql = `SELECT ${cols.join(', ')} FROM collaboration_case c`;
    CASE_SELECT.set(em.connection, sql);
  }
  return sql;
}

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
  return `(${visibilityClauses(viewer, params).join(' OR ')})`;
}

/**
 * The same rule as alternatives, one per way a viewer may come to see a case (their OR is
 * visibilitySql). Lists for a viewer who is not staff run one ordered, limited index walk
 * per alternative and merge them (CaseRepository.list): a single walk of the created-at
 * index filtered by the whole disjunction read 14,000 rows at 1,000,000 cases for a head of
 * department whose newest visible case was old (docs/bench/explain.txt).
 * `inList` writes the research-team alternative as a semi-join the planner can estimate; in
 * a single OR it is an InitPlan array (computed once), so `c.id = ANY(...)` is an index
 * condition beside the owner's (a BitmapOr), not a per-row subquery.
 */
export function visibilityClauses(viewer: Viewer, params: unknown[], inList = false): string[] {
  params.push(viewer.id);
  const me = `$${params.length}::uuid`;
  // The research team (PI and co-investigators with an account) see the case as its owner does, draft included.
  const teamCases = `SELECT cp.case_id FROM case_person cp WHERE cp.user_id = ${me} AND cp.role IN (${TEAM_ROLES.map((r) => `'${r}'`).join(',')})`;
  const team = inList ? `c.id IN (${teamCases})` : `c.id = ANY(ARRAY(${teamCases}))`;
  const owner = `c.owner_id = ${me}`;
  if (viewer.staff) return [owner, 'c.submitted_at IS NOT NULL', team];
  const clauses: string[] = [];
  const signing = viewer.signing ?? { headOf: [], delegateFor: [], hasSigned: false };
  const signFor = [...new Set([...signing.headOf, ...signing.delegateFor])];
  // One alternative per department, with equality: `department_id = ANY(array)` cannot walk a
  // (department, created) index in order, even for a one-element array.
  for (const dept of signFor) {
    params.push(dept);
    clauses.push(`c.state = 'head_sign_off' AND c.department_id = $${params.length}::uuid
      AND EXISTS (SELECT 1 FROM department d WHERE d.id = c.department_id AND d.head_user_id IS NOT NULL AND d.head_user_id <> c.owner_id)`);
  }
  for (const dept of signing.headOf) {
    params.push(dept);
    clauses.push(`c.department_id = $${params.length}::uuid AND cardinality(c.signed_by) > 0`);
  }
  // `@>` (not `= ANY`) so the GIN index on signed_by can answer it for someone who signed a
  // few; the cardinality test lets a head's walk use the index of signed cases alone.
  if (signing.hasSigned) clauses.push(`cardinality(c.signed_by) > 0 AND c.signed_by @> ARRAY[${me}]`);
  return [owner, team, ...clauses.map((x) => `(c.submitted_at IS NOT NULL AND ${x})`)];
}

@Injectable()
export class CaseRepository {
  /** Locks the case row alone (no joins), for the length of the caller's transaction. */
  lockById(em: EntityManager, id: string): Promise<CaseEntity | null> {
    return this.readRow(em, id, ' FOR UPDATE');
  }

  findById(em: EntityManager, id: string): Promise<CaseEntity | null> {
    return this.readRow(em, id, '');
  }

  private async readRow(em: EntityManager, id: string, lock: '' | ' FOR UPDATE'): Promise<CaseEntity | null> {
    const [row] = await em.query<(Record<string, unknown> | undefined)[]>(`${caseSelect(em)} WHERE c.id = $1${lock}`, [id]);
    return row ? Object.assign(new CaseEntity(), row) : null;
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
    return repo.save(
      repo.create({
        title: '',
        answers: {},
        questionnaireVersion: 1,
        departmentId: null,
        state: 'draft',
        outcome: null,
        returnState: null,
        assigneeId: null,
        triagedById: null,
        riskLevel: null,
        proposedRiskLevel: null,
        triage: null,
        triageStale: false,
        exportReviewRequired: false,
        exportReviewCompleted: false,
        exportReviewerId: null,
        exportAssessment: null,
        proposedDecision: null,
        decision: null,
        rejection: null,
        suspension: null,
        informationRequest: null,
        signedBy: [],
        version: 1,
        searchText: '',
        stageEnteredAt: now,
        submittedAt: null,
        closedAt: null,
        createdAt: now,
        updatedAt: now,
        ...c,
      }),
    );
  }

  /** One UPDATE of every column (TypeORM's save() would SELECT the row first to diff it). */
  async update(em: EntityManager, c: CaseEntity): Promise<CaseEntity> {
    const { id, ...columns } = c;
    await em.getRepository(CaseEntity).update({ id }, columns as QueryDeepPartialEntity<CaseEntity>);
    return c;
  }

  /**
   * The command path's one write of the case row (issue 17): every column of the entity,
   * and, when a transition moved the SLA clock, the clock columns too, in one UPDATE of
   * hand-written SQL (no query building per call; the column list comes once from the
   * entity's metadata).
   */
  async writeRow(em: EntityManager, c: CaseEntity, clock?: ClockWrite): Promise<void> {
    const cols = caseColumns(em);
    const params: unknown[] = [c.id];
    const sets = cols.map((col) => {
      const v = (c as unknown as Record<string, unknown>)[col.property];
      params.push(col.json && v !== null && v !== undefined ? JSON.stringify(v) : (v ?? null));
      return `"${col.name}" = $${params.length}`;
    });
    if (clock) {
      const k = clock.clock;
      for (const [name, v] of [
        ['sla_stage', k?.stage ?? null],
        ['sla_mode', k?.mode ?? null],
        ['sla_budget_ms', k?.budgetMs ?? null],
        ['sla_at_risk_pct', k?.atRiskAt ?? null],
        ['sla_used_ms', k?.usedMs ?? null],
        ['sla_anchor_at', k?.anchorAt ?? null],
        ['sla_paused_at', k?.pausedAt ?? null],
        ['sla_paused_ms', k?.pausedMs ?? null],
        ['sla_due_at', clock.dueAt],
        ['sla_at_risk_from', clock.atRiskFrom],
        ['sla_state', k ? clock.state : null],
      ] as [string, unknown][]) {
        params.push(v);
        sets.push(`${name} = $${params.length}`);
      }
    }
    await em.query(`UPDATE collaboration_case SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /**
   * Everything a command decides on, besides the locked row, in one statement: the
   * department's signers, open blocking and live screening flags, the latest risk
   * assessment's hard flags and export indicator, the head of the case's audit chain
   * (the next event links to it; the row lock keeps it stable) and the SLA configuration's
   * version (the API's calendar and policy cache reloads when it moved).
   */
  async commandFacts(em: EntityManager, caseId: string, ownerId: string, departmentId: string | null): Promise<CommandFacts> {
    const [row] = await em.query<CommandFactsRow[]>(
      `SELECT s."ownerDepartmentId", s."headUserId", coalesce(s.delegates, '[]') AS delegates,
              (SELECT count(*)::int FROM case_flag WHERE case_id = $1 AND status IN ('open','confirmed') AND blocking) AS "openBlockingFlags",
              (SELECT count(*)::int FROM case_flag WHERE case_id = $1 AND kind = 'screening' AND status IN ('open','confirmed')) AS "liveScreeningFlags",
              (SELECT json_build_object('hardFlags', a.assessment->'hardFlags', 'exportIndicator', a.export_indicator)
                 FROM case_risk_assessment a WHERE a.case_id = $1 ORDER BY a.id DESC LIMIT 1) AS "latestAssessment",
              (SELECT json_build_object('seq', e.seq, 'hash', e.hash) FROM case_event e WHERE e.case_id = $1 ORDER BY e.seq DESC LIMIT 1) AS "chainHead",
              (SELECT generation FROM sla_config_version WHERE id = 1)::int AS "slaVersion",
              (SELECT coalesce(json_agg(x), '[]') FROM (${CASE_PEOPLE_SQL}) x) AS people
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (
           SELECT o.department_id AS "ownerDepartmentId", d.head_user_id AS "headUserId",
                  (SELECT json_agg(json_build_object('userId', dd.delegate_user_id, 'startsOn', dd.starts_on::text, 'endsOn', dd.ends_on::text))
                     FROM department_delegate dd WHERE dd.department_id = d.id AND dd.revoked_at IS NULL) AS delegates
             FROM app_user o
             LEFT JOIN department d ON d.id = coalesce($3::uuid, o.department_id)
            WHERE o.id = $2) s ON true`,
      [caseId, ownerId, departmentId],
    );
    return {
      signing: { ownerDepartmentId: row.ownerDepartmentId ?? null, headUserId: row.headUserId ?? null, delegates: row.delegates ?? [] },
      openBlockingFlags: row.openBlockingFlags,
      liveScreeningFlags: row.liveScreeningFlags,
      latestAssessment: row.latestAssessment
        ? { hardFlags: row.latestAssessment.hardFlags ?? [], exportIndicator: row.latestAssessment.exportIndicator }
        : null,
      chainHead: row.chainHead ? { seq: Number(row.chainHead.seq), hash: row.chainHead.hash } : null,
      slaVersion: row.slaVersion ?? 0,
      people: (row.people ?? []).map(shapeCasePerson),
    };
  }

  /**
   * What the staff view of a case shows beside the row, in one statement (issue 17): its
   * flags, pending timers, latest risk assessment, screening hits, SLA clock, and the SLA
   * configuration's version (the calendar comes from the cache while it is unchanged).
   */
  async viewParts(em: EntityManager, caseId: string): Promise<ViewParts> {
    const flag = entityJson(em, CaseFlagEntity, 'f');
    const timer = entityJson(em, CaseTimerEntity, 't');
    const assessment = entityJson(em, CaseRiskAssessmentEntity, 'a');
    const [row] = await em.query<ViewPartsRow[]>(
      `SELECT (SELECT coalesce(json_agg(${flag.sql} ORDER BY f.raised_at), '[]') FROM case_flag f WHERE f.case_id = $1) AS flags,
              (SELECT coalesce(json_agg(${timer.sql} ORDER BY t.due_at), '[]') FROM case_timer t WHERE t.case_id = $1 AND t.status = 'pending') AS timers,
              (SELECT ${assessment.sql} FROM case_risk_assessment a WHERE a.case_id = $1 ORDER BY a.id DESC LIMIT 1) AS assessment,
              (SELECT coalesce(json_agg(h), '[]') FROM (${HITS_FOR_CASE_SQL}) h) AS hits,
              c.sla_stage AS stage, c.sla_mode AS mode, c.sla_budget_ms AS "budgetMs", c.sla_at_risk_pct AS "atRiskAt",
              c.sla_used_ms AS "usedMs", c.sla_anchor_at AS "anchorAt", c.sla_paused_at AS "pausedAt", c.sla_paused_ms AS "pausedMs",
              (SELECT generation FROM sla_config_version WHERE id = 1)::int AS "slaVersion"
         FROM collaboration_case c WHERE c.id = $1`,
      [caseId],
    );
    if (!row) return { flags: [], timers: [], assessment: null, hits: [], clock: null, slaVersion: 0 };
    return {
      flags: row.flags.map((x) => flag.parse(x)),
      timers: row.timers.map((x) => timer.parse(x)),
      assessment: row.assessment ? assessment.parse(row.assessment) : null,
      hits: row.hits.map((h) => ({ ...h, createdAt: new Date(h.createdAt as unknown as string) as unknown as string })),
      clock:
        row.stage && isSlaStage(row.stage)
          ? {
              stage: row.stage,
              mode: row.mode as SlaClock['mode'],
              budgetMs: Number(row.budgetMs),
              atRiskAt: Number(row.atRiskAt),
              usedMs: Number(row.usedMs),
              anchorAt: row.anchorAt ? new Date(row.anchorAt) : null,
              pausedAt: row.pausedAt ? new Date(row.pausedAt) : null,
              pausedMs: Number(row.pausedMs),
            }
          : null,
      slaVersion: row.slaVersion ?? 0,
    };
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
    const [row] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM case_flag WHERE case_id = $1 AND kind = 'screening' AND status IN ('open','confirmed')`,
      [caseId],
    );
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
    const rows = returnedRows(
      await em.query(
        `UPDATE case_flag SET status = 'cleared', resolved_by_id = $3, resolved_at = now(), resolution = $4, resolution_reason = $5
        WHERE id = $2 AND case_id = $1 AND status = 'open' RETURNING id`,
        [caseId, flagId, by, resolution, reason],
      ),
    );
    return rows.length > 0;
  }

  /** Keyset page: orders by (sort key, id); visibility applied in SQL. */
  async list(
    em: EntityManager,
    viewer: Viewer,
    filter: CaseListFilter,
    sort: CaseSort,
    limit: number,
    after: Keyset | null,
  ): Promise<{ rows: CaseListRow[]; next: Keyset | null }> {
    const params: unknown[] = [];
    const visible = visibilityClauses(viewer, params, true);
    const where: string[] = [];
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
    const reference = filter.text ? filter.text.trim().toUpperCase() : '';
    if (filter.text && parseReference(reference)) {
      // A whole reference finds its case through the unique index. The text index answered it
      // too, but every reference shares the trigrams of "TR-20..": ~100 ms at 1,000,000 cases.
      params.push(reference);
      where.push(`c.reference = $${params.length}`);
    } else if (filter.text) {
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
    const order = `ORDER BY ${column} ${dir}, c.id ${dir}`;
    const lim = `LIMIT $${params.length}`;
    // Staff: one walk (nearly every case is submitted). Others: one limited walk per way of
    // seeing a case, merged; each alternative has an index that matches it.
    const from = viewer.staff
      ? `collaboration_case c`
      : `(${visible.map((v) => `(SELECT c.id FROM collaboration_case c WHERE ${[v, ...where].join(' AND ')} ${order} ${lim})`).join('\n UNION ')}) u
         JOIN collaboration_case c ON c.id = u.id`;
    const filters = viewer.staff ? [`(${visible.join(' OR ')})`, ...where] : where;
    const rows: (CaseListRow & { sort_key: string })[] = await em.query(
      `SELECT c.id, c.reference, c.title, c.state, c.risk_level AS "riskLevel", c.owner_id AS "ownerId",
              o.name AS "ownerName", c.department_id AS "departmentId", d.name AS "departmentName",
              c.assignee_id AS "assigneeId", a.name AS "assigneeName",
              c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.submitted_at AS "submittedAt", c.version,
              CASE WHEN c.sla_stage IS NULL THEN NULL WHEN ${SLA_FILTER.breached} THEN 'breached'
                   WHEN ${SLA_FILTER.at_risk} THEN 'at_risk' ELSE 'on_track' END AS "slaState",
              c.sla_due_at AS "slaDueAt", (c.sla_stage IS NOT NULL AND c.sla_paused_at IS NOT NULL) AS "slaPaused",
              to_char(${column} AT TIME ZONE 'UTC', ${ISO_US}) AS sort_key
         FROM ${from}
         JOIN app_user o ON o.id = c.owner_id
         LEFT JOIN department d ON d.id = c.department_id
         LEFT JOIN app_user a ON a.id = c.assignee_id
        ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}
        ${order}
        ${lim}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? { key: last.sort_key, id: last.id } : null;
    return { rows: page.map(({ sort_key: _s, ...r }) => r), next };
  }
}
