import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface EvidenceScreeningCheck {
  subject: string;
  list: string;
  sourceList: string;
  listPublishedAt: string | null;
  listImportedAt: Date;
  listSha256: string;
  entryName: string;
  matchedName: string;
  score: number;
  decision: string | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  raisedAt: Date;
}

/** What an evidence pack reads beyond the case row and its chain. */
@Injectable()
export class EvidenceRepository {
  /** Every screening hit of the case with the list version it came from and the officer's decision on its flag. */
  screening(em: EntityManager, caseId: string): Promise<EvidenceScreeningCheck[]> {
    return em.query(
      `SELECT h.subject, h.list_kind AS list, h.source_list AS "sourceList", v.published_at AS "listPublishedAt", v.imported_at AS "listImportedAt",
              v.sha256 AS "listSha256", h.entry_name AS "entryName", h.matched_name AS "matchedName", h.score::float8 AS score,
              f.status AS decision, coalesce(f.resolution_reason, f.resolution) AS "decisionReason", u.name AS "decidedBy", f.resolved_at AS "decidedAt",
              h.created_at AS "raisedAt"
         FROM screening_hit h
         JOIN screening_list_version v ON v.id = h.list_version_id
         LEFT JOIN case_flag f ON f.id = h.flag_id
         LEFT JOIN app_user u ON u.id = f.resolved_by_id
        WHERE h.case_id = $1
        ORDER BY h.created_at, h.score DESC`,
      [caseId],
    );
  }

  async userNames(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = ids.length ? await em.query(`SELECT id, name FROM app_user WHERE id = ANY($1::uuid[])`, [ids]) : [];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async departmentName(em: EntityManager, id: string | null): Promise<string | null> {
    if (!id) return null;
    const [row] = await em.query<({ name: string } | undefined)[]>(`SELECT name FROM department WHERE id = $1`, [id]);
    return row?.name ?? null;
  }
}
