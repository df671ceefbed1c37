import { MigrationInterface, QueryRunner } from 'typeorm';
import type { CaseAnswers } from '@app/domain';
import { linkCaseParties } from '../repositories/organisation.repository';

/**
 * The partner register and named people (issue 19): organisations (partners, funders,
 * parents) de-duplicated across cases, their due-diligence history and documents, the
 * link of each case party to its organisation, and the people named on a case (role,
 * affiliation, nationality, ATAS certificate, declared conflicts, PI confirmation).
 * Existing cases' partners, parents and funders are registered here, once.
 */
export class PartnerRegister1765700000000 implements MigrationInterface {
  name = 'PartnerRegister1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
        normalised_name text NOT NULL,
        country text,
        ror_id text,
        company_number text,
        website_domain text,
        parent_id uuid REFERENCES organisation(id),
        merged_into_id uuid REFERENCES organisation(id),
        dd_status text NOT NULL DEFAULT 'not_assessed' CHECK (dd_status IN ('not_assessed','cleared','restricted','prohibited')),
        dd_reason text,
        dd_expires_on date,
        dd_set_by_id uuid REFERENCES app_user(id),
        dd_set_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (parent_id IS DISTINCT FROM id)
      )`);
    // One live record per (normalised name, country): registering races end in the same row.
    await q.query(`CREATE UNIQUE INDEX organisation_name_country_uq ON organisation (normalised_name, (coalesce(country, ''))) WHERE merged_into_id IS NULL`);
    await q.query(`CREATE INDEX organisation_ror_idx ON organisation (ror_id) WHERE ror_id IS NOT NULL`);
    await q.query(`CREATE INDEX organisation_company_idx ON organisation (company_number) WHERE company_number IS NOT NULL`);
    await q.query(`CREATE INDEX organisation_domain_idx ON organisation (website_domain) WHERE website_domain IS NOT NULL`);
    await q.query(`CREATE INDEX organisation_parent_idx ON organisation (parent_id) WHERE parent_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE organisation_due_diligence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        status text NOT NULL CHECK (status IN ('not_assessed','cleared','restricted','prohibited')),
        reason text NOT NULL,
        expires_on date,
        set_by_id uuid NOT NULL REFERENCES app_user(id),
        set_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organisation_dd_org_idx ON organisation_due_diligence (organisation_id, set_at)`);
    await q.query(`
      CREATE TABLE organisation_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        kind text NOT NULL CHECK (kind IN ('due_diligence_questionnaire','agreement','ownership_evidence','other')),
        title text NOT NULL,
        reference text,
        document_date date,
        added_by_id uuid NOT NULL REFERENCES app_user(id),
        added_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organisation_document_org_idx ON organisation_document (organisation_id, added_at)`);
    await q.query(`
      CREATE TABLE case_organisation (
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        role text NOT NULL CHECK (role IN ('partner','funder','parent')),
        party_index int NOT NULL,
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        name_given text NOT NULL,
        PRIMARY KEY (case_id, role, party_index)
      )`);
    await q.query(`CREATE INDEX case_organisation_org_idx ON case_organisation (organisation_id)`);
    await q.query(`
      CREATE TABLE case_person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('principal_investigator','co_investigator','visiting_researcher','partner_staff')),
        affiliation text,
        nationalities text[] NOT NULL DEFAULT '{}',
        user_id uuid REFERENCES app_user(id),
        confirmed_at timestamptz,
        atas_certificate_reference text,
        atas_issued_on date,
        atas_expires_on date,
        conflicts jsonb NOT NULL DEFAULT '[]',
        added_by_id uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_person_case_idx ON case_person (case_id)`);
    // The visibility rule's team clause looks people up by user.
    await q.query(`CREATE INDEX case_person_user_idx ON case_person (user_id, case_id) WHERE user_id IS NOT NULL`);

    const cases = (await q.query(`SELECT id, answers FROM collaboration_case WHERE submitted_at IS NOT NULL ORDER BY created_at`)) as {
      id: string;
      answers: CaseAnswers;
    }[];
    for (const c of cases) await linkCaseParties((sql, params) => q.query(sql, params), c.id, c.answers ?? {});
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_person`);
    await q.query(`DROP TABLE case_organisation`);
    await q.query(`DROP TABLE organisation_document`);
    await q.query(`DROP TABLE organisation_due_diligence`);
    await q.query(`DROP TABLE organisation`);
  }
}
