import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { entryContent, entryContentHash, matchKey, ParsedList, RiskAssessment, ScreeningListKind, ScreeningSubjectKind } from '@app/domain';
import { CaseRiskAssessmentEntity, ScreeningListVersionEntity } from '../entities/screening.entity';
import { ScreeningWatchRepository } from './screening-watch.repository';

export interface ScreeningCandidate {
  entryId: string;
  listVersionId: string;
  listKind: ScreeningListKind;
  sourceList: string;
  partyType: string;
  primaryName: string;
  countries: string[];
  rating: string | null;
  name: string;
  nameType: string;
  birthDates: string[] | null;
  nationalities: string[] | null;
  identifiers: { type: string; value: string; country?: string | null }[] | null;
  programmes: string[] | null;
}

export interface NewScreeningHit {
  subject: string;
  subjectKind: ScreeningSubjectKind;
  partnerIndex: number;
  entryId: string;
  listVersionId: string;
  listKind: string;
  sourceList: string;
  entryName: string;
  matchedName: string;
  matchedNameType: string;
  score: number;
  countryMatch: boolean | null;
  /** the matcher's feature breakdown (libs/domain MatchExplanation) */
  explanation?: unknown;
  /** who the hit is about (libs/domain caseSubjectKey, or an organisation/person record's key) */
  subjectKey?: string | null;
  /** the remembered false-positive decision that kept this hit from raising a flag */
  decisionId?: string | null;
  /** what changed in the entry since a remembered decision or an earlier hit (libs/domain EntryFieldChange[]) */
  changes?: unknown;
}

export interface CaseScreeningHitRow extends NewScreeningHit {
  partyType: string;
  birthDates: string[] | null;
  nationalities: string[] | null;
  identifiers: { type: string; value: string; country?: string | null }[] | null;
  programmes: string[] | null;
  id: string;
  flagId: string | null;
  flagStatus: string | null;
  rating: string | null;
  createdAt: string;
  externalId: string;
}

const BATCH = 2000;

/** A case's screening hits as staff see them ($1: the case); CaseRepository.viewParts nests it too. */
export const HITS_FOR_CASE_SQL = `SELECT h.id, h.flag_id AS "flagId", f.status AS "flagStatus", h.subject, h.subject_kind AS "subjectKind", h.partner_index AS "partnerIndex",
              h.entry_id AS "entryId", h.list_version_id AS "listVersionId", h.list_kind AS "listKind", h.source_list AS "sourceList",
              h.entry_name AS "entryName", h.matched_name AS "matchedName", h.matched_name_type AS "matchedNameType",
              h.score::float8 AS score, h.country_match AS "countryMatch", e.rating, h.created_at AS "createdAt",
              h.explanation, e.party_type AS "partyType", e.details->'birthDates' AS "birthDates", e.details->'nationalities' AS nationalities,
              e.details->'identifiers' AS identifiers, e.details->'programmes' AS programmes,
              h.subject_key AS "subjectKey", h.decision_id AS "decisionId", h.changes, e.external_id AS "externalId"
         FROM screening_hit h
         JOIN screening_entry e ON e.id = h.entry_id
         LEFT JOIN case_flag f ON f.id = h.flag_id
        WHERE h.case_id = $1
        ORDER BY h.created_at, h.score DESC`;

@Injectable()
export class ScreeningRepository {
  findVersionByHash(em: EntityManager, kind: ScreeningListKind, sha256: string): Promise<ScreeningListVersionEntity | null> {
    return em.getRepository(ScreeningListVersionEntity).findOne({ where: { listKind: kind, sha256 }, order: { importedAt: 'DESC' } });
  }

  currentVersions(em: EntityManager): Promise<ScreeningListVersionEntity[]> {
    return em.getRepository(ScreeningListVersionEntity).find({ where: { isCurrent: true }, order: { listKind: 'ASC' } });
  }

  /**
   * Stores a parsed list as a new dated version and makes it the current one for its
   * kind. Old versions stay, because hits point at the entries they matched.
   */
  async importList(
    em: EntityManager,
    list: ParsedList,
    source: string,
    sha256: string,
    sourceId?: string,
    previousVersionId: string | null = null,
  ): Promise<ScreeningListVersionEntity> {
    const nameCount = list.entries.reduce((n, e) => n + e.names.length, 0);
    // Every version belongs to a configured source; the CLI's "import <kind> <file>" uses the kind's own.
    const src = sourceId ?? (await this.kindSource(em, list.kind, source));
    const [v] = await em.query<{ id: string }[]>(
      `INSERT INTO screening_list_version (list_kind, source, sha256, published_at, entry_count, name_count, source_id, previous_version_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [list.kind, source, sha256, list.publishedAt, list.entries.length, nameCount, src, previousVersionId],
    );
    for (let i = 0; i < list.entries.length; i += BATCH) {
      const batch = list.entries.slice(i, i + BATCH);
      const ids: { id: string }[] = await em.query(
        `INSERT INTO screening_entry (list_version_id, list_kind, external_id, party_type, primary_name, source_list, countries, rating, details, content_hash)
         SELECT $1, $2, x.external_id, x.party_type, x.primary_name, x.source_list,
                ARRAY(SELECT jsonb_array_elements_text(x.countries)), x.rating, x.details, x.content_hash
           FROM jsonb_to_recordset($3::jsonb) AS x(ord int, external_id text, party_type text, primary_name text, source_list text, countries jsonb, rating text, details jsonb, content_hash text)
          ORDER BY x.ord
         RETURNING id`,
        // The names go into details as well: a superseded entry's names rows are dropped, and a later diff or decision still compares them.
        [
          v.id,
          list.kind,
          JSON.stringify(
            batch.map((e, ord) => ({
              ord,
              external_id: e.externalId,
              party_type: e.partyType,
              primary_name: e.primaryName,
              source_list: e.sourceList,
              countries: e.countries,
              rating: e.rating,
              content_hash: entryContentHash(entryContent(e)),
              details: {
                ...e.details,
                birthDates: e.birthDates ?? [],
                nationalities: e.nationalities ?? [],
                addressCountries: e.addressCountries ?? [],
                identifiers: e.identifiers ?? [],
                programmes: e.programmes ?? [],
                names: e.names.map((n) => ({ name: n.name, type: n.type })),
              },
            })),
          ),
        ],
      );
      // INSERT ... SELECT ... ORDER BY returns rows in insertion order.
      const names = batch
        .flatMap((e, j) => e.names.map((n) => ({ entry_id: ids[j].id, name: n.name, name_type: n.type, name_key: matchKey(n.name) })))
        .filter((n) => n.name_key);
      await em.query(
        `INSERT INTO screening_entry_name (entry_id, list_version_id, name, name_type, name_key)
         SELECT x.entry_id, $1, x.name, x.name_type, x.name_key
           FROM jsonb_to_recordset($2::jsonb) AS x(entry_id uuid, name text, name_type text, name_key text)`,
        [v.id, JSON.stringify(names)],
      );
    }
    // Current per source: two watch lists (each its own source) are read side by side.
    await em.query(`UPDATE screening_list_version SET is_current = false WHERE source_id = $1 AND is_current`, [src]);
    await em.query(`UPDATE screening_list_version SET is_current = true WHERE id = $1`, [v.id]);
    // Names exist to be searched: superseded versions' names go; their entries stay for the hits that cite them.
    await em.query(
      `DELETE FROM screening_entry_name WHERE list_version_id IN (SELECT id FROM screening_list_version WHERE source_id = $1 AND NOT is_current)`,
      [src],
    );
    return (await em.getRepository(ScreeningListVersionEntity).findOneBy({ id: v.id }))!;
  }

  /** The source a list kind imported without one uses (named after the kind), made on first use. */
  async kindSource(em: EntityManager, kind: string, location: string | null): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO screening_source (name, list_kind, location) VALUES ($1, $1, $2)
       ON CONFLICT ((lower(name))) DO UPDATE SET location = coalesce(screening_source.location, EXCLUDED.location) RETURNING id`,
      [kind, location],
    );
    return row.id;
  }

  /** The nearest names by pg_trgm distance of the match keys, among those `%`-similar (GIN index). */
  async candidates(em: EntityManager, key: string, limit = 30): Promise<ScreeningCandidate[]> {
    if (!key) return [];
    return em.query(
      `SELECT e.id AS "entryId", e.list_version_id AS "listVersionId", e.list_kind AS "listKind", e.source_list AS "sourceList",
              e.party_type AS "partyType", e.primary_name AS "primaryName", e.countries, e.rating, n.name, n.name_type AS "nameType",
              e.details->'birthDates' AS "birthDates", e.details->'nationalities' AS nationalities,
              e.details->'identifiers' AS identifiers, e.details->'programmes' AS programmes
         FROM (SELECT entry_id, name, name_type FROM screening_entry_name
                WHERE name_key % $1 ORDER BY name_key <-> $1 LIMIT $2) n
         JOIN screening_entry e ON e.id = n.entry_id`,
      [key, limit],
    );
  }

  /** Which list versions are current, as one string: changes whenever a list is imported. */
  async currentSignature(em: EntityManager): Promise<string> {
    const [row] = await em.query<{ sig: string }[]>(
      `SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') AS sig FROM screening_list_version WHERE is_current`,
    );
    return row.sig;
  }

  /** Every screenable name of the current lists with its entry: what an in-process candidate index holds. */
  allCurrentNames(em: EntityManager): Promise<(ScreeningCandidate & { nameKey: string })[]> {
    return em.query(
      `SELECT e.id AS "entryId", e.list_version_id AS "listVersionId", e.list_kind AS "listKind", e.source_list AS "sourceList",
              e.party_type AS "partyType", e.primary_name AS "primaryName", e.countries, e.rating, n.name, n.name_type AS "nameType",
              n.name_key AS "nameKey", e.details->'birthDates' AS "birthDates", e.details->'nationalities' AS nationalities,
              e.details->'identifiers' AS identifiers, e.details->'programmes' AS programmes
         FROM screening_entry_name n
         JOIN screening_list_version v ON v.id = n.list_version_id AND v.is_current
         JOIN screening_entry e ON e.id = n.entry_id`,
    );
  }

  /** Inserts hits not already recorded for the case; returns only the new ones. */
  async insertHits(em: EntityManager, caseId: string, hits: NewScreeningHit[]): Promise<(NewScreeningHit & { id: string })[]> {
    const out: (NewScreeningHit & { id: string })[] = [];
    for (const h of hits) {
      const [row] = await em.query<({ id: string } | undefined)[]>(
        `INSERT INTO screening_hit (case_id, subject, subject_kind, partner_index, entry_id, list_version_id, list_kind, source_list,
                                    entry_name, matched_name, matched_name_type, score, country_match, explanation, subject_key, decision_id, changes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          caseId,
          h.subject,
          h.subjectKind,
          h.partnerIndex,
          h.entryId,
          h.listVersionId,
          h.listKind,
          h.sourceList,
          h.entryName,
          h.matchedName,
          h.matchedNameType,
          h.score.toFixed(4),
          h.countryMatch,
          h.explanation === undefined ? null : JSON.stringify(h.explanation),
          h.subjectKey ?? null,
          h.decisionId ?? null,
          h.changes === undefined || h.changes === null ? null : JSON.stringify(h.changes),
        ],
      );
      if (row) out.push({ ...h, id: row.id });
    }
    return out;
  }

  async linkFlag(em: EntityManager, hitIds: string[], flagId: string): Promise<void> {
    await em.query(`UPDATE screening_hit SET flag_id = $2 WHERE id = ANY($1::uuid[])`, [hitIds, flagId]);
  }

  hitsForCase(em: EntityManager, caseId: string): Promise<CaseScreeningHitRow[]> {
    return em.query(HITS_FOR_CASE_SQL, [caseId]);
  }

  async addAssessment(em: EntityManager, caseId: string, trigger: string, questionnaireVersion: number, a: RiskAssessment): Promise<void> {
    await em.query(
      `INSERT INTO case_risk_assessment (case_id, trigger, questionnaire_version, rules_version, level, score, route, export_indicator, assessment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [caseId, trigger, questionnaireVersion, a.rulesVersion, a.level, a.score, a.route, a.exportIndicator, JSON.stringify(a)],
    );
  }

  latestAssessment(em: EntityManager, caseId: string): Promise<CaseRiskAssessmentEntity | null> {
    return em.getRepository(CaseRiskAssessmentEntity).findOne({ where: { caseId }, order: { id: 'DESC' } });
  }

  /**
   * What a re-import re-screens: open cases past draft, and every approved or suspended
   * collaboration until its end date plus the re-review period (one with no end date
   * recorded stays in). Not a fixed window after approval: a five-year collaboration is
   * screened for five years and the period after.
   */
  async casesToRescreen(em: EntityManager): Promise<string[]> {
    // One definition of "live": the cases of the subjects a re-import rescreens.
    const subjects = await new ScreeningWatchRepository().listRescreenSubjects(em, { scope: 'live' });
    return [...new Set(subjects.map((s) => s.caseId))].sort();
  }

  /** Conditional update: zero rows means the flag is not an open screening flag of this case. */
  async confirmFlag(em: EntityManager, caseId: string, flagId: string, by: string, route: string, reason: string): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affectedCount], not the rows alone.
    const [rows] = await em.query<[unknown[], number]>(
      `UPDATE case_flag SET status = 'confirmed', resolved_by_id = $3, resolved_at = now(), resolution = $4, resolution_reason = $5
        WHERE id = $2 AND case_id = $1 AND status = 'open' AND kind = 'screening' RETURNING id`,
      [caseId, flagId, by, `confirmed_${route}`, reason],
    );
    return rows.length > 0;
  }
}
