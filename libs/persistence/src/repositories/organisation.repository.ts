import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CaseAnswers, casePartiesOf, DueDiligenceStatus, normaliseOrganisationName, OrganisationDocumentKind } from '@app/domain';
import { returnedRows } from '../sql';
import { RescreenScope, rescreenWindowSql } from './rescreen-window';
import { AttachmentStatus } from './attachment.repository';

/** A document kept against an organisation; its file (when it has one) is in the attachment store under storageKey. */
export interface OrganisationDocumentRow {
  id: string;
  kind: OrganisationDocumentKind;
  title: string;
  reference: string | null;
  documentDate: string | null;
  addedById: string;
  addedByName: string;
  addedAt: string;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  storageKey: string | null;
  /** null: a record without a file */
  status: AttachmentStatus | null;
  scanResult: string | null;
  scannedAt: string | null;
}

const DOCUMENT_COLUMNS = `d.id, d.kind, d.title, d.reference, to_char(d.document_date, 'YYYY-MM-DD') AS "documentDate", d.added_by_id AS "addedById",
  u.name AS "addedByName", d.added_at AS "addedAt", d.file_name AS "fileName", d.content_type AS "contentType", d.size_bytes::float8 AS "sizeBytes",
  d.sha256, d.storage_key AS "storageKey", d.status, d.scan_result AS "scanResult", d.scanned_at AS "scannedAt"`;

type Run = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Finds or registers the organisation of one (name, country): the live record with the
 * same normalised name and country, following merges. The unique index on live
 * (normalised_name, country) makes concurrent registrations end in one row.
 */
async function organisationFor(run: Run, name: string, country: string | null): Promise<string> {
  const norm = normaliseOrganisationName(name) || name.trim().toLowerCase();
  // A record merged into another stands for it: the same name and country later links to the merge's target.
  const known = returnedRows<{ id: string }>(
    await run(
      `SELECT coalesce(merged_into_id, id) AS id FROM organisation WHERE normalised_name = $1 AND coalesce(country, '') = coalesce($2, '')
      ORDER BY (merged_into_id IS NULL) DESC, created_at LIMIT 1`,
      [norm, country],
    ),
  );
  if (known[0]) return known[0].id;
  await run(
    `INSERT INTO organisation (name, normalised_name, country) VALUES ($1, $2, $3)
     ON CONFLICT (normalised_name, (coalesce(country, ''))) WHERE merged_into_id IS NULL DO NOTHING`,
    [name, norm, country],
  );
  const rows = returnedRows<{ id: string }>(
    await run(`SELECT id FROM organisation WHERE normalised_name = $1 AND coalesce(country, '') = coalesce($2, '') AND merged_into_id IS NULL`, [
      norm,
      country,
    ]),
  );
  return rows[0].id;
}

/**
 * Links every partner, parent and funder a case names to its organisation (registering
 * new ones), replacing the case's earlier links. Shared by the migration that
 * registered existing cases and by submit/respond (OrganisationRepository.linkCase).
 */
export async function linkCaseParties(run: Run, caseId: string, answers: CaseAnswers): Promise<void> {
  await run(`DELETE FROM case_organisation WHERE case_id = $1`, [caseId]);
  for (const p of casePartiesOf(answers)) {
    const orgId = await organisationFor(run, p.name.slice(0, 300), p.country);
    await run(
      `INSERT INTO case_organisation (case_id, role, party_index, organisation_id, name_given) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [caseId, p.role, p.index, orgId, p.name],
    );
  }
  // A partner's parent named on the case becomes its parent record, unless an officer set another.
  await run(
    `UPDATE organisation o SET parent_id = par.organisation_id
       FROM case_organisation pt JOIN case_organisation par ON par.case_id = pt.case_id AND par.role = 'parent' AND par.party_index = pt.party_index
      WHERE pt.case_id = $1 AND pt.role = 'partner' AND o.id = pt.organisation_id AND o.parent_id IS NULL AND par.organisation_id <> o.id`,
    [caseId],
  );
}

export interface OrganisationRow {
  id: string;
  name: string;
  country: string | null;
  rorId: string | null;
  companyNumber: string | null;
  websiteDomain: string | null;
  parentId: string | null;
  parentName: string | null;
  mergedIntoId: string | null;
  ddStatus: DueDiligenceStatus;
  ddReason: string | null;
  ddExpiresOn: string | null;
  ddSetById: string | null;
  ddSetByName: string | null;
  ddSetAt: string | null;
  createdAt: string;
}

export interface OrganisationListRow {
  id: string;
  name: string;
  country: string | null;
  ddStatus: DueDiligenceStatus;
  ddExpiresOn: string | null;
  caseCount: number;
  roles: string[];
}

/** A party linked to live collaborations, for continuous rescreening (issue 19). */
export interface RescreenParty {
  id: string;
  name: string;
  country: string | null;
  kind: string;
  caseIds: string[];
  /** each case link: the case, its state, the role and index in the answers (partners[i] / funders[i]; -1 for a person) */
  links: { caseId: string; caseState: string; role: string; index: number }[];
}

const ORG_COLUMNS = `o.id, o.name, o.country, o.ror_id AS "rorId", o.company_number AS "companyNumber", o.website_domain AS "websiteDomain",
  o.parent_id AS "parentId", p.name AS "parentName", o.merged_into_id AS "mergedIntoId", o.dd_status AS "ddStatus", o.dd_reason AS "ddReason",
  to_char(o.dd_expires_on, 'YYYY-MM-DD') AS "ddExpiresOn", o.dd_set_by_id AS "ddSetById", u.name AS "ddSetByName", o.dd_set_at AS "ddSetAt", o.created_at AS "createdAt"`;

/** The partner register: organisations, their links to cases, due diligence, documents, merges and precedents. */
@Injectable()
export class OrganisationRepository {
  linkCase(em: EntityManager, caseId: string, answers: CaseAnswers): Promise<void> {
    return linkCaseParties((sql, params) => em.query(sql, params), caseId, answers);
  }

  async list(em: EntityManager, text: string | undefined, limit: number): Promise<OrganisationListRow[]> {
    const params: unknown[] = [];
    let where = 'o.merged_into_id IS NULL';
    if (text?.trim()) {
      params.push(`%${normaliseOrganisationName(text).replace(/[\\%_]/g, (m) => '\\' + m)}%`, `%${text.trim().replace(/[\\%_]/g, (m) => '\\' + m)}%`);
      where += ` AND (o.normalised_name LIKE $1 OR o.name ILIKE $2 OR o.country ILIKE $2 OR o.ror_id ILIKE $2 OR o.company_number ILIKE $2 OR o.website_domain ILIKE $2)`;
    }
    params.push(limit);
    return em.query(
      `SELECT o.id, o.name, o.country, o.dd_status AS "ddStatus", to_char(o.dd_expires_on, 'YYYY-MM-DD') AS "ddExpiresOn",
              count(DISTINCT co.case_id)::int AS "caseCount", coalesce(array_agg(DISTINCT co.role) FILTER (WHERE co.role IS NOT NULL), '{}') AS roles
         FROM organisation o LEFT JOIN case_organisation co ON co.organisation_id = o.id
        WHERE ${where}
        GROUP BY o.id ORDER BY o.name, o.id LIMIT $${params.length}`,
      params,
    );
  }

  async findById(em: EntityManager, id: string): Promise<OrganisationRow | null> {
    const rows: OrganisationRow[] = await em.query(
      `SELECT ${ORG_COLUMNS} FROM organisation o LEFT JOIN organisation p ON p.id = o.parent_id LEFT JOIN app_user u ON u.id = o.dd_set_by_id WHERE o.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Locks the organisation row for the caller's transaction; null when there is none. */
  async lock(em: EntityManager, id: string): Promise<{ id: string; mergedIntoId: string | null } | null> {
    const rows: { id: string; mergedIntoId: string | null }[] = await em.query(
      `SELECT id, merged_into_id AS "mergedIntoId" FROM organisation WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Every case linked to the organisation (or that named it as a parent), with outcome, conditions and dates. */
  casesOf(em: EntityManager, id: string) {
    return em.query<
      {
        id: string;
        reference: string;
        title: string;
        state: string;
        outcome: string | null;
        roles: string[];
        namesGiven: string[];
        conditions: unknown;
        decisionText: string | null;
        submittedAt: string | null;
        closedAt: string | null;
        reviewDate: string | null;
      }[]
    >(
      `SELECT c.id, c.reference, c.title, c.state, c.outcome, array_agg(DISTINCT co.role) AS roles, array_agg(DISTINCT co.name_given) AS "namesGiven",
              coalesce(c.decision->'conditions', '[]'::jsonb) AS conditions, c.decision->>'decisionText' AS "decisionText",
              c.decision->>'reviewDate' AS "reviewDate", c.submitted_at AS "submittedAt", c.closed_at AS "closedAt"
         FROM case_organisation co JOIN collaboration_case c ON c.id = co.case_id
        WHERE co.organisation_id = $1
        GROUP BY c.id ORDER BY c.submitted_at DESC NULLS LAST, c.id`,
      [id],
    );
  }

  /** The organisations a case links to, with each one's due-diligence status (for the case page). */
  caseOrganisations(em: EntityManager, caseId: string) {
    return em.query<
      {
        organisationId: string;
        name: string;
        country: string | null;
        role: string;
        partyIndex: number;
        nameGiven: string;
        ddStatus: DueDiligenceStatus;
        ddExpiresOn: string | null;
      }[]
    >(
      `SELECT o.id AS "organisationId", o.name, o.country, co.role, co.party_index AS "partyIndex", co.name_given AS "nameGiven",
              o.dd_status AS "ddStatus", to_char(o.dd_expires_on, 'YYYY-MM-DD') AS "ddExpiresOn"
         FROM case_organisation co JOIN organisation o ON o.id = co.organisation_id WHERE co.case_id = $1 ORDER BY co.role DESC, co.party_index`,
      [caseId],
    );
  }

  /** Organisations whose parent this one is. */
  children(em: EntityManager, id: string) {
    return em.query<{ id: string; name: string; country: string | null }[]>(
      `SELECT id, name, country FROM organisation WHERE parent_id = $1 AND merged_into_id IS NULL ORDER BY name`,
      [id],
    );
  }

  /** Screening hits on this organisation's name across its cases (as partner or parent), newest first. */
  screeningHistory(em: EntityManager, id: string) {
    return em.query<
      {
        id: string;
        caseId: string;
        reference: string;
        subject: string;
        sourceList: string;
        entryName: string;
        matchedName: string;
        score: number;
        flagStatus: string | null;
        createdAt: string;
      }[]
    >(
      `SELECT h.id, h.case_id AS "caseId", c.reference, h.subject, h.source_list AS "sourceList", h.entry_name AS "entryName",
              h.matched_name AS "matchedName", h.score::float AS score, f.status AS "flagStatus", h.created_at AS "createdAt"
         FROM case_organisation co
         JOIN screening_hit h ON h.case_id = co.case_id AND h.partner_index = co.party_index
              AND h.subject_kind = CASE co.role WHEN 'partner' THEN 'organisation' WHEN 'parent' THEN 'parent' WHEN 'funder' THEN 'funder' ELSE '-' END
         JOIN collaboration_case c ON c.id = co.case_id
         LEFT JOIN case_flag f ON f.id = h.flag_id
        WHERE co.organisation_id = $1
        ORDER BY h.created_at DESC, h.id LIMIT 200`,
      [id],
    );
  }

  dueDiligenceHistory(em: EntityManager, id: string) {
    return em.query<{ id: string; status: DueDiligenceStatus; reason: string; expiresOn: string | null; setById: string; setByName: string; setAt: string }[]>(
      `SELECT d.id, d.status, d.reason, to_char(d.expires_on, 'YYYY-MM-DD') AS "expiresOn", d.set_by_id AS "setById", u.name AS "setByName", d.set_at AS "setAt"
         FROM organisation_due_diligence d JOIN app_user u ON u.id = d.set_by_id WHERE d.organisation_id = $1 ORDER BY d.set_at DESC, d.id`,
      [id],
    );
  }

  /** Records a due-diligence status (history row) and makes it the organisation's current one. */
  async setDueDiligence(em: EntityManager, id: string, status: DueDiligenceStatus, reason: string, expiresOn: string | null, byId: string): Promise<void> {
    await em.query(`INSERT INTO organisation_due_diligence (organisation_id, status, reason, expires_on, set_by_id) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      status,
      reason,
      expiresOn,
      byId,
    ]);
    await em.query(`UPDATE organisation SET dd_status = $2, dd_reason = $3, dd_expires_on = $4, dd_set_by_id = $5, dd_set_at = now() WHERE id = $1`, [
      id,
      status,
      reason,
      expiresOn,
      byId,
    ]);
  }

  /** Identifiers and parent an officer records; undefined keeps a value, null clears it. */
  async updateDetails(
    em: EntityManager,
    id: string,
    patch: { rorId?: string | null; companyNumber?: string | null; websiteDomain?: string | null; parentId?: string | null },
  ): Promise<void> {
    const cols: Record<string, string> = { rorId: 'ror_id', companyNumber: 'company_number', websiteDomain: 'website_domain', parentId: 'parent_id' };
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [k, col] of Object.entries(cols)) {
      const v = (patch as Record<string, unknown>)[k];
      if (v === undefined) continue;
      params.push(v);
      sets.push(`${col} = $${params.length}`);
    }
    if (sets.length) await em.query(`UPDATE organisation SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** Whether `ancestorId` is `id` or one of its parents (a parent cycle would result). */
  async isAncestorOrSelf(em: EntityManager, id: string, ancestorId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `WITH RECURSIVE up(id, depth) AS (SELECT $2::uuid, 0 UNION SELECT o.parent_id, up.depth + 1 FROM organisation o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL AND up.depth < 50)
       SELECT 1 FROM up WHERE id = $1`,
      [id, ancestorId],
    );
    return rows.length > 0;
  }

  documents(em: EntityManager, id: string): Promise<OrganisationDocumentRow[]> {
    return em.query<OrganisationDocumentRow[]>(
      `SELECT ${DOCUMENT_COLUMNS} FROM organisation_document d JOIN app_user u ON u.id = d.added_by_id
        WHERE d.organisation_id = $1 ORDER BY d.added_at DESC, d.id`,
      [id],
    );
  }

  async document(em: EntityManager, organisationId: string, documentId: string): Promise<OrganisationDocumentRow | null> {
    const [row] = await em.query<OrganisationDocumentRow[]>(
      `SELECT ${DOCUMENT_COLUMNS} FROM organisation_document d JOIN app_user u ON u.id = d.added_by_id
        WHERE d.organisation_id = $1 AND d.id = $2`,
      [organisationId, documentId],
    );
    return row ?? null;
  }

  /** A document, with its file (stored under `file.storageKey`, scan pending) or without one. */
  async addDocument(
    em: EntityManager,
    id: string,
    d: { kind: OrganisationDocumentKind; title: string; reference: string | null; documentDate: string | null },
    byId: string,
    file: { id: string; fileName: string; contentType: string; sizeBytes: number; sha256: string; storageKey: string } | null = null,
  ): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO organisation_document (id, organisation_id, kind, title, reference, document_date, added_by_id,
              file_name, content_type, size_bytes, sha256, storage_key, status)
       VALUES (coalesce($7::uuid, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $8, $9, $10, $11, $12, CASE WHEN $12::text IS NULL THEN NULL ELSE 'pending' END)
       RETURNING id`,
      [
        id,
        d.kind,
        d.title,
        d.reference,
        d.documentDate,
        byId,
        file?.id ?? null,
        file?.fileName ?? null,
        file?.contentType ?? null,
        file?.sizeBytes ?? null,
        file?.sha256 ?? null,
        file?.storageKey ?? null,
      ],
    );
    return row.id;
  }

  /** Conditional, as for case attachments: only a pending (or failed) scan is settled, so a rescan never un-quarantines. */
  async settleDocumentScan(em: EntityManager, documentId: string, status: Exclude<AttachmentStatus, 'pending'>, scanResult: string): Promise<boolean> {
    const rows = returnedRows(
      await em.query(
        `UPDATE organisation_document SET status = $2, scan_result = $3, scanned_at = now()
          WHERE id = $1 AND status IN ('pending', 'scan_failed') RETURNING id`,
        [documentId, status, scanResult],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Likely duplicates for an officer to confirm: live records sharing an identifier (ROR
   * id, company number, website domain), or the normalised name in another or no country.
   */
  duplicateCandidates(em: EntityManager, id: string) {
    return em.query<{ id: string; name: string; country: string | null; reasons: string[] }[]>(
      `SELECT x.id, x.name, x.country, array_remove(ARRAY[
                CASE WHEN x.ror_id = o.ror_id THEN 'same ROR id' END,
                CASE WHEN x.company_number = o.company_number THEN 'same company number' END,
                CASE WHEN x.website_domain = o.website_domain THEN 'same website domain' END,
                CASE WHEN x.normalised_name = o.normalised_name THEN 'same name' END], NULL) AS reasons
         FROM organisation o JOIN organisation x ON x.id <> o.id AND x.merged_into_id IS NULL
        WHERE o.id = $1 AND (x.ror_id = o.ror_id OR x.company_number = o.company_number OR x.website_domain = o.website_domain OR x.normalised_name = o.normalised_name)
        ORDER BY x.name, x.id LIMIT 50`,
      [id],
    );
  }

  /**
   * Merges `fromId` into `intoId` (an officer confirmed they are one organisation): case
   * links, children, documents and due-diligence history move; `fromId` stays as a
   * pointer. The caller holds both row locks.
   */
  async merge(em: EntityManager, fromId: string, intoId: string): Promise<{ cases: number }> {
    const moved = returnedRows<{ case_id: string }>(
      await em.query(`UPDATE case_organisation SET organisation_id = $2 WHERE organisation_id = $1 RETURNING case_id`, [fromId, intoId]),
    );
    await em.query(`UPDATE organisation SET parent_id = $2 WHERE parent_id = $1 AND id <> $2`, [fromId, intoId]);
    await em.query(`UPDATE organisation_document SET organisation_id = $2 WHERE organisation_id = $1`, [fromId, intoId]);
    await em.query(`UPDATE organisation_due_diligence SET organisation_id = $2 WHERE organisation_id = $1`, [fromId, intoId]);
    await em.query(`UPDATE organisation SET merged_into_id = $2, parent_id = NULL WHERE id = $1`, [fromId, intoId]);
    // Records merged into `fromId` earlier now point at `intoId` too: one hop always reaches the live record.
    await em.query(`UPDATE organisation SET merged_into_id = $2 WHERE merged_into_id = $1`, [fromId, intoId]);
    await em.query(
      `UPDATE organisation SET ror_id = coalesce(ror_id, f.r), company_number = coalesce(company_number, f.c), website_domain = coalesce(website_domain, f.w)
         FROM (SELECT ror_id AS r, company_number AS c, website_domain AS w FROM organisation WHERE id = $1) f WHERE id = $2`,
      [fromId, intoId],
    );
    return { cases: new Set(moved.map((m) => m.case_id)).size };
  }

  /**
   * Every live organisation linked to a case in the window (rescreen-window.ts: by
   * default open cases and approved or suspended collaborations until their end date plus
   * the re-review period), with its links: what continuous screening screens, once per
   * record. `kind` is the strongest link role (partner, funder, parent).
   */
  listLinkedForRescreen(em: EntityManager, opts: RescreenScope = { scope: 'live' }): Promise<RescreenParty[]> {
    const w = rescreenWindowSql(opts, 1);
    return em.query(
      `SELECT o.id, o.name, o.country, (array_agg(co.role ORDER BY array_position(ARRAY['partner','funder','parent'], co.role)))[1] AS kind,
              array_agg(DISTINCT co.case_id) AS "caseIds",
              jsonb_agg(jsonb_build_object('caseId', c.id, 'caseState', c.state, 'role', co.role, 'index', co.party_index) ORDER BY c.id, co.role, co.party_index) AS links
         FROM organisation o JOIN case_organisation co ON co.organisation_id = o.id JOIN collaboration_case c ON c.id = co.case_id
        WHERE o.merged_into_id IS NULL AND ${w.sql}
        GROUP BY o.id ORDER BY o.name, o.id`,
      w.params,
    );
  }

  /**
   * Similar past (decided) cases for the precedent panel: the same organisation, the same
   * parent organisation, a partner in the same country with a shared NSI sensitive area,
   * or a shared control-list entry. Each with why it matched, outcome, conditions and reasoning.
   */
  precedents(em: EntityManager, caseId: string, limit = 20) {
    return em.query<
      {
        id: string;
        reference: string;
        title: string;
        state: string;
        outcome: string | null;
        matchedOn: string[];
        conditions: unknown;
        decisionText: string | null;
        rejectionText: string | null;
        triageComment: string | null;
        riskLevel: string | null;
        closedAt: string | null;
      }[]
    >(
      `WITH me AS (SELECT id, answers FROM collaboration_case WHERE id = $1),
       my AS (SELECT co.organisation_id, co.role, o.parent_id FROM case_organisation co JOIN organisation o ON o.id = co.organisation_id WHERE co.case_id = $1),
       arr AS (SELECT CASE WHEN jsonb_typeof(me.answers->'partners') = 'array' THEN me.answers->'partners' ELSE '[]' END AS partners,
                      ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(me.answers->'sensitiveAreas') = 'array' THEN me.answers->'sensitiveAreas' ELSE '[]' END)) AS areas,
                      ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(me.answers->'controlListCandidates') = 'array' THEN me.answers->'controlListCandidates' ELSE '[]' END)) AS entries
                 FROM me),
       cand AS (
         SELECT co.case_id, 'same organisation' AS why FROM case_organisation co
          WHERE co.role <> 'parent' AND co.organisation_id IN (SELECT organisation_id FROM my WHERE role <> 'parent')
         UNION
         SELECT co.case_id, 'same parent organisation' FROM case_organisation co JOIN organisation o ON o.id = co.organisation_id
          WHERE (co.role = 'parent' AND co.organisation_id IN (SELECT organisation_id FROM my WHERE role = 'parent'))
             OR (o.parent_id IS NOT NULL AND o.parent_id IN (SELECT coalesce(parent_id, organisation_id) FROM my WHERE parent_id IS NOT NULL OR role = 'parent'))
         UNION
         SELECT c.id, 'same country and sensitive area' FROM collaboration_case c, arr
          WHERE cardinality(arr.areas) > 0 AND jsonb_typeof(c.answers->'sensitiveAreas') = 'array' AND (c.answers->'sensitiveAreas') ?| arr.areas
            AND jsonb_typeof(c.answers->'partners') = 'array'
            AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.answers->'partners') p, jsonb_array_elements(arr.partners) q WHERE p->>'country' = q->>'country')
         UNION
         SELECT c.id, 'same control-list entry' FROM collaboration_case c, arr
          WHERE cardinality(arr.entries) > 0 AND jsonb_typeof(c.answers->'controlListCandidates') = 'array' AND (c.answers->'controlListCandidates') ?| arr.entries
       )
       SELECT c.id, c.reference, c.title, c.state, c.outcome, array_agg(DISTINCT cand.why ORDER BY cand.why) AS "matchedOn",
              coalesce(c.decision->'conditions', '[]'::jsonb) AS conditions, c.decision->>'decisionText' AS "decisionText",
              c.rejection->>'reasonText' AS "rejectionText", c.triage->>'comment' AS "triageComment", c.risk_level AS "riskLevel", c.closed_at AS "closedAt"
         FROM cand JOIN collaboration_case c ON c.id = cand.case_id
        WHERE c.id <> $1 AND c.outcome IS NOT NULL
        GROUP BY c.id ORDER BY count(*) DESC, c.closed_at DESC NULLS LAST, c.id LIMIT $2`,
      [caseId, limit],
    );
  }
}
