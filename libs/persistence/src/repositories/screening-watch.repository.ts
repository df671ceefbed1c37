import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CaseAnswers,
  casePartiesOf,
  caseSubjectKey,
  ListChangeKind,
  OrganisationLinkRole,
  organisationSubjectKey,
  personSubjectKey,
  ScreeningSubjectKind,
  StoredEntryShape,
  SUBJECT_KIND_OF_ROLE,
} from '@app/domain';
import { returnedRows } from '../sql';
import { CasePersonRepository } from './case-person.repository';
import { OrganisationRepository, RescreenParty } from './organisation.repository';
import { RescreenScope, rescreenWindowSql } from './rescreen-window';

/** A configured list: where it is read from and how often. */
export interface ScreeningSourceRow {
  id: string;
  name: string;
  listKind: string;
  location: string | null;
  cadenceMinutes: number | null;
  publisherUrl: string | null;
  enabled: boolean;
  createdAt: string;
  lastRunAt: string | null;
  lastError: string | null;
  currentVersionId: string | null;
  currentEntries: number | null;
  currentImportedAt: string | null;
}

export interface NewScreeningSource {
  name: string;
  listKind: string;
  location: string | null;
  cadenceMinutes: number | null;
  publisherUrl: string | null;
  enabled: boolean;
}

/** A stored entry with what a diff and a remembered decision compare. */
export interface StoredEntry extends StoredEntryShape {
  id: string;
  externalId: string;
  contentHash: string | null;
  listVersionId: string;
  sourceId: string;
}

/**
 * One subject to screen on a case. An organisation record linked to the case (partner,
 * parent, funder) or a person record named on it has the key `organisation:<id>` /
 * `person:<id>` (organisationId / personId set); a party the answers name that is not
 * linked to a record (older data) and a partner's individuals as the answers list them
 * have the case-held key (libs/domain caseSubjectKey). `subjectKey` is what remembered
 * decisions are stored against.
 */
export interface RescreenSubject {
  caseId: string;
  caseState: string;
  subjectKey: string;
  name: string;
  kind: ScreeningSubjectKind;
  partnerIndex: number;
  country: string | null;
  organisationId: string | null;
  personId: string | null;
}

export interface ListChangeRow {
  id: string;
  listVersionId: string;
  change: ListChangeKind;
  externalId: string;
  primaryName: string;
  entryId: string;
  previousEntryId: string | null;
  changes: unknown[];
}

export interface BlastRow {
  changeId: string;
  change: ListChangeKind;
  externalId: string;
  primaryName: string;
  changes: unknown[];
  caseId: string;
  reference: string;
  title: string;
  caseState: string;
  assigneeId: string | null;
  subject: string;
  subjectKey: string;
  score: number;
}

const SOURCE_COLUMNS = `s.id, s.name, s.list_kind AS "listKind", s.location, s.cadence_minutes AS "cadenceMinutes", s.publisher_url AS "publisherUrl",
       s.enabled, s.created_at AS "createdAt", s.last_run_at AS "lastRunAt", s.last_error AS "lastError",
       v.id AS "currentVersionId", v.entry_count AS "currentEntries", v.imported_at AS "currentImportedAt"`;

const ENTRY_COLUMNS = `e.id, e.external_id AS "externalId", e.party_type AS "partyType", e.primary_name AS "primaryName", e.countries, e.rating,
       e.content_hash AS "contentHash", e.list_version_id AS "listVersionId", v.source_id AS "sourceId",
       coalesce(e.details->'names', (SELECT jsonb_agg(jsonb_build_object('name', n.name, 'type', n.name_type)) FROM screening_entry_name n WHERE n.entry_id = e.id), '[]'::jsonb) AS names,
       e.details->'birthDates' AS "birthDates", e.details->'nationalities' AS nationalities,
       e.details->'identifiers' AS identifiers, e.details->'programmes' AS programmes`;

/**
 * Continuous screening's storage (issue 19): configured sources, versions with their
 * diff, remembered false positives, the subjects a re-import rescreens and the blast
 * radius of a version.
 */
@Injectable()
export class ScreeningWatchRepository {
  listSources(em: EntityManager): Promise<ScreeningSourceRow[]> {
    return em.query(
      `SELECT ${SOURCE_COLUMNS} FROM screening_source s
         LEFT JOIN screening_list_version v ON v.source_id = s.id AND v.is_current
        ORDER BY lower(s.name)`,
    );
  }

  async getSource(em: EntityManager, id: string): Promise<ScreeningSourceRow | null> {
    const [row] = await em.query<ScreeningSourceRow[]>(
      `SELECT ${SOURCE_COLUMNS} FROM screening_source s
         LEFT JOIN screening_list_version v ON v.source_id = s.id AND v.is_current
        WHERE s.id = $1`,
      [id],
    );
    return row ?? null;
  }

  async sourceNameTaken(em: EntityManager, name: string, exceptId: string | null): Promise<boolean> {
    const rows = await em.query<unknown[]>(`SELECT 1 FROM screening_source WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2::uuid`, [name, exceptId]);
    return rows.length > 0;
  }

  async createSource(em: EntityManager, s: NewScreeningSource): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO screening_source (name, list_kind, location, cadence_minutes, publisher_url, enabled) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [s.name, s.listKind, s.location, s.cadenceMinutes, s.publisherUrl, s.enabled],
    );
    return row.id;
  }

  async updateSource(em: EntityManager, id: string, s: Partial<NewScreeningSource>): Promise<boolean> {
    const rows = returnedRows(
      await em.query(
        `UPDATE screening_source SET
          name = coalesce($2, name), location = CASE WHEN $3::boolean THEN $4 ELSE location END,
          cadence_minutes = CASE WHEN $5::boolean THEN $6::int ELSE cadence_minutes END,
          publisher_url = CASE WHEN $7::boolean THEN $8 ELSE publisher_url END, enabled = coalesce($9, enabled),
          list_kind = coalesce($10, list_kind)
        WHERE id = $1 RETURNING id`,
        [
          id,
          s.name ?? null,
          s.location !== undefined,
          s.location ?? null,
          s.cadenceMinutes !== undefined,
          s.cadenceMinutes ?? null,
          s.publisherUrl !== undefined,
          s.publisherUrl ?? null,
          s.enabled ?? null,
          s.listKind ?? null,
        ],
      ),
    );
    return rows.length > 0;
  }

  async markRun(em: EntityManager, id: string, error: string | null): Promise<void> {
    await em.query(`UPDATE screening_source SET last_run_at = now(), last_error = $2 WHERE id = $1`, [id, error]);
  }

  /** Sources the worker schedules: enabled, with a location and a cadence. */
  scheduledSources(em: EntityManager): Promise<{ id: string; cadenceMinutes: number }[]> {
    return em.query(
      `SELECT id, cadence_minutes AS "cadenceMinutes" FROM screening_source
        WHERE enabled AND location IS NOT NULL AND cadence_minutes IS NOT NULL ORDER BY id`,
    );
  }

  async allSourceIds(em: EntityManager): Promise<string[]> {
    return (await em.query<{ id: string }[]>(`SELECT id FROM screening_source`)).map((r) => r.id);
  }

  async currentVersionId(em: EntityManager, sourceId: string): Promise<{ id: string; sha256: string } | null> {
    const [row] = await em.query<{ id: string; sha256: string }[]>(`SELECT id, sha256 FROM screening_list_version WHERE source_id = $1 AND is_current`, [
      sourceId,
    ]);
    return row ?? null;
  }

  /** Every entry of a version with its names, for a diff. */
  entriesOfVersion(em: EntityManager, versionId: string): Promise<StoredEntry[]> {
    return em.query(
      `SELECT ${ENTRY_COLUMNS} FROM screening_entry e JOIN screening_list_version v ON v.id = e.list_version_id
        WHERE e.list_version_id = $1 ORDER BY e.external_id`,
      [versionId],
    );
  }

  entriesByIds(em: EntityManager, ids: string[]): Promise<StoredEntry[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.query(`SELECT ${ENTRY_COLUMNS} FROM screening_entry e JOIN screening_list_version v ON v.id = e.list_version_id WHERE e.id = ANY($1::uuid[])`, [
      ids,
    ]);
  }

  async recordVersionDiff(
    em: EntityManager,
    versionId: string,
    trigger: string,
    changes: { change: ListChangeKind; externalId: string; primaryName: string; entryId: string; previousEntryId: string | null; changes: unknown[] }[],
  ): Promise<void> {
    if (changes.length) {
      await em.query(
        `INSERT INTO screening_list_change (list_version_id, change, external_id, primary_name, entry_id, previous_entry_id, changes)
         SELECT $1, x.change, x.external_id, x.primary_name, x.entry_id, x.previous_entry_id, x.changes
           FROM jsonb_to_recordset($2::jsonb) AS x(change text, external_id text, primary_name text, entry_id uuid, previous_entry_id uuid, changes jsonb)`,
        [
          versionId,
          JSON.stringify(
            changes.map((c) => ({
              change: c.change,
              external_id: c.externalId,
              primary_name: c.primaryName,
              entry_id: c.entryId,
              previous_entry_id: c.previousEntryId,
              changes: c.changes,
            })),
          ),
        ],
      );
    }
    const n = (k: ListChangeKind) => changes.filter((c) => c.change === k).length;
    await em.query(`UPDATE screening_list_version SET added_count = $2, removed_count = $3, changed_count = $4, trigger = $5 WHERE id = $1`, [
      versionId,
      n('added'),
      n('removed'),
      n('changed'),
      trigger,
    ]);
  }

  async recordRescreen(em: EntityManager, versionId: string, r: { cases: number; newHits: number; remembered: number }): Promise<void> {
    await em.query(`UPDATE screening_list_version SET rescreened_cases = $2, new_hits = $3, remembered_hits = $4 WHERE id = $1`, [
      versionId,
      r.cases,
      r.newHits,
      r.remembered,
    ]);
  }

  versions(em: EntityManager, sourceId: string, limit = 100): Promise<Record<string, unknown>[]> {
    return em.query(
      `SELECT id, source_id AS "sourceId", list_kind AS "listKind", source, sha256, published_at AS "publishedAt", entry_count AS "entryCount",
              name_count AS "nameCount", is_current AS "isCurrent", imported_at AS "importedAt", previous_version_id AS "previousVersionId",
              added_count AS "addedCount", removed_count AS "removedCount", changed_count AS "changedCount",
              rescreened_cases AS "rescreenedCases", new_hits AS "newHits", remembered_hits AS "rememberedHits", trigger,
              (SELECT count(*)::int FROM screening_blast b WHERE b.list_version_id = v.id) AS "blastCount"
         FROM screening_list_version v WHERE source_id = $1 ORDER BY imported_at DESC, id LIMIT $2`,
      [sourceId, limit],
    );
  }

  async version(em: EntityManager, id: string): Promise<Record<string, unknown> | null> {
    const [row] = await em.query<Record<string, unknown>[]>(
      `SELECT v.id, v.source_id AS "sourceId", s.name AS "sourceName", v.list_kind AS "listKind", v.source, v.sha256, v.published_at AS "publishedAt",
              v.entry_count AS "entryCount", v.name_count AS "nameCount", v.is_current AS "isCurrent", v.imported_at AS "importedAt",
              v.previous_version_id AS "previousVersionId", v.added_count AS "addedCount", v.removed_count AS "removedCount",
              v.changed_count AS "changedCount", v.rescreened_cases AS "rescreenedCases", v.new_hits AS "newHits",
              v.remembered_hits AS "rememberedHits", v.trigger
         FROM screening_list_version v JOIN screening_source s ON s.id = v.source_id WHERE v.id = $1`,
      [id],
    );
    return row ?? null;
  }

  changes(em: EntityManager, versionId: string, kinds?: ListChangeKind[]): Promise<ListChangeRow[]> {
    return em.query(
      `SELECT id::text, list_version_id AS "listVersionId", change, external_id AS "externalId", primary_name AS "primaryName",
              entry_id AS "entryId", previous_entry_id AS "previousEntryId", changes
         FROM screening_list_change WHERE list_version_id = $1 AND ($2::text[] IS NULL OR change = ANY($2::text[]))
        ORDER BY change, primary_name, id`,
      [versionId, kinds ?? null],
    );
  }

  // ---- remembered decisions ----

  async addDecision(
    em: EntityManager,
    d: { subjectKey: string; subject: string; entryId: string; caseId: string | null; flagId: string | null; reason: string; decidedById: string },
  ): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO screening_decision (subject_key, subject, source_id, external_id, entry_id, content_hash, case_id, flag_id, reason, decided_by_id)
       SELECT $1, $2, v.source_id, e.external_id, e.id, e.content_hash, $4, $5, $6, $7
         FROM screening_entry e JOIN screening_list_version v ON v.id = e.list_version_id
        WHERE e.id = $3 AND e.content_hash IS NOT NULL
       RETURNING id`,
      [d.subjectKey, d.subject, d.entryId, d.caseId, d.flagId, d.reason, d.decidedById],
    );
    return row?.id ?? null!;
  }

  /** The screening hits a flag raised (a rescreen flag has one; each carries its subject and entry). */
  hitsOfFlag(
    em: EntityManager,
    caseId: string,
    flagId: string,
  ): Promise<{ id: string; subject: string; subjectKind: ScreeningSubjectKind; subjectKey: string | null; entryId: string; partnerIndex: number }[]> {
    return em.query(
      `SELECT h.id, h.subject, h.subject_kind AS "subjectKind", h.subject_key AS "subjectKey", h.entry_id AS "entryId", h.partner_index AS "partnerIndex"
         FROM screening_hit h WHERE h.case_id = $1 AND h.flag_id = $2`,
      [caseId, flagId],
    );
  }

  /**
   * The latest remembered false positive for this subject and list entry (by source and
   * list id). An organisation's decisions include those made on records merged into it.
   */
  async latestDecision(
    em: EntityManager,
    subjectKey: string,
    entryId: string,
  ): Promise<{ id: string; contentHash: string; entryId: string; decidedAt: string } | null> {
    const [row] = await em.query<{ id: string; contentHash: string; entryId: string; decidedAt: string }[]>(
      `SELECT d.id, d.content_hash AS "contentHash", d.entry_id AS "entryId", d.decided_at AS "decidedAt"
         FROM screening_entry e JOIN screening_list_version v ON v.id = e.list_version_id
         JOIN screening_decision d ON d.source_id = v.source_id AND d.external_id = e.external_id
              AND (d.subject_key = $1 OR d.subject_key IN (SELECT 'organisation:' || m.id FROM organisation m WHERE 'organisation:' || m.merged_into_id = $1))
        WHERE e.id = $2 ORDER BY d.decided_at DESC LIMIT 1`,
      [subjectKey, entryId],
    );
    return row ?? null;
  }

  /**
   * The case's latest earlier hit on the same subject and list entry (any version of the
   * same source), with its entry's content hash and its flag's status.
   */
  async previousHit(
    em: EntityManager,
    caseId: string,
    subject: string,
    entryId: string,
  ): Promise<{ entryId: string; contentHash: string | null; flagStatus: string | null; decisionId: string | null } | null> {
    const [row] = await em.query<{ entryId: string; contentHash: string | null; flagStatus: string | null; decisionId: string | null }[]>(
      `SELECT h.entry_id AS "entryId", pe.content_hash AS "contentHash", f.status AS "flagStatus", h.decision_id AS "decisionId"
         FROM screening_entry e JOIN screening_list_version v ON v.id = e.list_version_id
         JOIN screening_hit h ON h.case_id = $1 AND lower(h.subject) = lower($2)
         JOIN screening_entry pe ON pe.id = h.entry_id AND pe.external_id = e.external_id
         JOIN screening_list_version pv ON pv.id = pe.list_version_id AND pv.source_id = v.source_id
         LEFT JOIN case_flag f ON f.id = h.flag_id
        WHERE e.id = $3 AND h.entry_id <> e.id
        ORDER BY h.created_at DESC LIMIT 1`,
      [caseId, subject, entryId],
    );
    return row ?? null;
  }

  // ---- subjects ----

  private readonly organisations = new OrganisationRepository();
  private readonly people = new CasePersonRepository();

  /**
   * The subjects a re-import rescreens ('live'), or those of every submitted case a blast
   * radius looks at ('all'); rescreen-window.ts says which cases. Built from the register:
   * each organisation record once with every case linking to it (a merged record's cases
   * are the record's), each person record; then, per case, the parties its answers name
   * that no record link covers (cases from before the register) and partners' individuals.
   */
  async listRescreenSubjects(em: EntityManager, opts: RescreenScope = { scope: 'live' }): Promise<RescreenSubject[]> {
    const w = rescreenWindowSql(opts, 1);
    const [orgs, people, answers] = await Promise.all([
      this.organisations.listLinkedForRescreen(em, opts),
      this.people.listLinkedForRescreen(em, opts),
      em.query<{ caseId: string; state: string; partners: unknown; funders: unknown }[]>(
        `SELECT c.id AS "caseId", c.state, c.answers->'partners' AS partners, c.answers->'funders' AS funders
           FROM collaboration_case c WHERE ${w.sql} ORDER BY c.id`,
        w.params,
      ),
    ]);
    return composeSubjects(orgs, people, answers);
  }

  /**
   * One case's subjects as they stand in this transaction: its record links (written by
   * OrganisationRepository.linkCase before screening), its person records, and its
   * answers as given (not yet stored at submit or respond).
   */
  async caseSubjects(em: EntityManager, c: { id: string; state: string; answers: CaseAnswers }): Promise<RescreenSubject[]> {
    const opts: RescreenScope = { scope: 'all', caseIds: [c.id] };
    const orgs = await this.organisations.listLinkedForRescreen(em, opts);
    const people = await this.people.listLinkedForRescreen(em, opts);
    const links = (x: RescreenParty[]) => x.map((r) => ({ ...r, links: r.links.map((l) => ({ ...l, caseState: c.state })) }));
    return composeSubjects(links(orgs), links(people), [{ caseId: c.id, state: c.state, partners: c.answers.partners, funders: c.answers.funders }]);
  }

  // ---- blast radius ----

  async activeOfficerIds(em: EntityManager): Promise<string[]> {
    return (await em.query<{ id: string }[]>(`SELECT id FROM app_user WHERE 'rsdo_officer' = ANY(roles) AND active ORDER BY id`)).map((r) => r.id);
  }

  async addBlast(
    em: EntityManager,
    versionId: string,
    rows: { changeId: string; caseId: string; subjectKey: string; subject: string; score: number; caseState: string }[],
  ): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO screening_blast (list_version_id, change_id, case_id, subject_key, subject, score, case_state)
       SELECT $1, x.change_id, x.case_id, x.subject_key, x.subject, x.score, x.case_state
         FROM jsonb_to_recordset($2::jsonb) AS x(change_id bigint, case_id uuid, subject_key text, subject text, score numeric, case_state text)
       ON CONFLICT DO NOTHING`,
      [
        versionId,
        JSON.stringify(
          rows.map((r) => ({
            change_id: r.changeId,
            case_id: r.caseId,
            subject_key: r.subjectKey,
            subject: r.subject,
            score: r.score.toFixed(4),
            case_state: r.caseState,
          })),
        ),
      ],
    );
  }

  blast(em: EntityManager, versionId: string): Promise<BlastRow[]> {
    return em.query(
      `SELECT ch.id::text AS "changeId", ch.change, ch.external_id AS "externalId", ch.primary_name AS "primaryName", ch.changes,
              c.id AS "caseId", c.reference, c.title, c.state AS "caseState", c.assignee_id AS "assigneeId",
              b.subject, b.subject_key AS "subjectKey", b.score::float8 AS score
         FROM screening_blast b
         JOIN screening_list_change ch ON ch.id = b.change_id
         JOIN collaboration_case c ON c.id = b.case_id
        WHERE b.list_version_id = $1
        ORDER BY ch.primary_name, c.reference, b.subject`,
      [versionId],
    );
  }
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
const KIND_ORDER: Record<ScreeningSubjectKind, number> = { organisation: 0, parent: 1, funder: 2, individual: 3 };

/** Record subjects first, then what only the answers hold; one list per case, in a stable order. */
function composeSubjects(
  orgs: RescreenParty[],
  people: RescreenParty[],
  answers: { caseId: string; state: string; partners: unknown; funders: unknown }[],
): RescreenSubject[] {
  const out: RescreenSubject[] = [];
  const linked = new Set<string>();
  for (const o of orgs)
    for (const l of o.links) {
      const kind = SUBJECT_KIND_OF_ROLE[l.role as OrganisationLinkRole];
      if (!kind) continue;
      linked.add(`${l.caseId}\u0000${l.role}\u0000${l.index}`);
      out.push({
        caseId: l.caseId,
        caseState: l.caseState,
        subjectKey: organisationSubjectKey(o.id),
        name: o.name,
        kind,
        partnerIndex: l.index,
        country: o.country,
        organisationId: o.id,
        personId: null,
      });
    }
  for (const p of people)
    for (const l of p.links)
      out.push({
        caseId: l.caseId,
        caseState: l.caseState,
        subjectKey: personSubjectKey(p.id),
        name: p.name,
        kind: 'individual',
        partnerIndex: -1,
        country: p.country,
        organisationId: null,
        personId: p.id,
      });
  for (const r of answers) {
    // Answers as stored: anything that is not a list of objects with text names is skipped.
    const objects = (v: unknown) => (Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>) : {})) : []);
    const partners = objects(r.partners);
    const clean = {
      partners: partners.map((p) => ({
        name: text(p.name) ?? '',
        country: text(p.country) ?? '',
        parentOrganisation: text(p.parentOrganisation) ?? undefined,
      })),
      funders: objects(r.funders).map((f) => ({ name: text(f.name) ?? '', country: text(f.country) ?? '', type: '' })),
    } as CaseAnswers;
    for (const party of casePartiesOf(clean)) {
      if (linked.has(`${r.caseId}\u0000${party.role}\u0000${party.index}`)) continue;
      const kind = SUBJECT_KIND_OF_ROLE[party.role];
      out.push({
        caseId: r.caseId,
        caseState: r.state,
        subjectKey: caseSubjectKey(party.name, kind, party.country),
        name: party.name,
        kind,
        partnerIndex: party.index,
        country: party.country,
        organisationId: null,
        personId: null,
      });
    }
    partners.forEach((p, i) => {
      for (const x of objects(p.individuals)) {
        const name = text(x.name);
        if (name)
          out.push({
            caseId: r.caseId,
            caseState: r.state,
            subjectKey: caseSubjectKey(name, 'individual', null),
            name,
            kind: 'individual',
            partnerIndex: i,
            country: null,
            organisationId: null,
            personId: null,
          });
      }
    });
  }
  return out.sort((a, b) =>
    a.caseId < b.caseId
      ? -1
      : a.caseId > b.caseId
        ? 1
        : KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.partnerIndex - b.partnerIndex || (a.personId ?? '').localeCompare(b.personId ?? ''),
  );
}
