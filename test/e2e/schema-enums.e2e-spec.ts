import { Client } from 'pg';
import {
  ATTACHMENT_VISIBILITIES,
  CASE_STATES,
  DELIVERY_STATUSES,
  LIST_CHANGE_KINDS,
  RISK_LEVELS,
  SCREENING_LIST_KINDS,
  SCREENING_SUBJECT_KINDS,
  SLA_STATES,
  WATCH_LIST_RATINGS,
} from '@app/domain';
import { PREFERENCE_CATEGORIES, PREFERENCE_MODES } from '@app/mail';
import { ATTACHMENT_KINDS, ATTACHMENT_STATUSES, SSO_PROTOCOLS } from '@app/persistence';
import { createTestDatabase, dbUrl, releaseTestDatabase } from '@app/testing';
import { DUE_DILIGENCE_STATUSES, ORGANISATION_DOCUMENT_KINDS, ORGANISATION_LINK_ROLES, PERSON_ROLES } from '@app/domain';

/**
 * The database's CHECK constraints restate some domain lists (states, risk levels, list
 * kinds, …). A migration is explicit SQL, so nothing derives one from the other: this
 * reads every `column IN (…)` constraint from pg_constraint on a migrated database and
 * compares it with the list the code uses. A new state without a migration, or a
 * migration without the domain change, fails here.
 */
const FROM_CODE: Record<string, readonly string[]> = {
  'collaboration_case.state': CASE_STATES,
  'collaboration_case.return_state': CASE_STATES,
  'collaboration_case.risk_level': RISK_LEVELS,
  'collaboration_case.proposed_risk_level': RISK_LEVELS,
  'collaboration_case.sla_state': SLA_STATES,
  'case_risk_assessment.level': RISK_LEVELS,
  'organisation.dd_status': DUE_DILIGENCE_STATUSES,
  'organisation_due_diligence.status': DUE_DILIGENCE_STATUSES,
  'organisation_document.kind': ORGANISATION_DOCUMENT_KINDS,
  'organisation_document.status': ATTACHMENT_STATUSES,
  'case_organisation.role': ORGANISATION_LINK_ROLES,
  'case_person.role': PERSON_ROLES,
  'screening_list_version.list_kind': SCREENING_LIST_KINDS,
  'screening_entry.rating': WATCH_LIST_RATINGS,
  'notification_preference.category': PREFERENCE_CATEGORIES,
  'notification_preference.mode': PREFERENCE_MODES,
  'case_attachment.kind': ATTACHMENT_KINDS,
  'user_identity.protocol': SSO_PROTOCOLS,
  'case_attachment.visibility': ATTACHMENT_VISIBILITIES,
  'screening_source.list_kind': SCREENING_LIST_KINDS,
  'screening_list_change.change': LIST_CHANGE_KINDS,
  'screening_hit.subject_kind': SCREENING_SUBJECT_KINDS,
  'delivery.status': DELIVERY_STATUSES,
};

/** Lists that live only in the database and its entity types (no domain list to compare with). */
const DATABASE_ONLY = [
  'case_timer.scope',
  'case_timer.status',
  'outbox.status',
  'case_note.visibility',
  'case_flag.status',
  'screening_entry.party_type',
  'collaboration_case.sla_mode',
  'case_attachment.status',
];

describe('database CHECK constraints equal the domain lists', () => {
  let name: string;
  let db: Client;
  let checks: Map<string, string[]>;

  beforeAll(async () => {
    name = await createTestDatabase();
    db = new Client({ connectionString: dbUrl(name) });
    await db.connect();
    const rows: { tbl: string; def: string }[] = (
      await db.query(
        `SELECT conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace`,
      )
    ).rows;
    checks = new Map();
    for (const r of rows) {
      // PostgreSQL prints `col IN ('a','b')` as `((col = ANY (ARRAY['a'::text, 'b'::text])))`.
      const m = /^CHECK \(\(?(\w+) = ANY \(ARRAY\[(.*)\]\)\)\)?$/.exec(r.def);
      if (m)
        checks.set(
          `${r.tbl}.${m[1]}`,
          [...m[2].matchAll(/'([^']*)'::text/g)].map((x) => x[1]),
        );
    }
  });

  afterAll(async () => {
    await db?.end();
    if (name) await releaseTestDatabase(name);
  });

  it('reads the constraints (the parse finds the case state list)', () => {
    expect(checks.get('collaboration_case.state')?.length).toBeGreaterThan(5);
  });

  it.each(Object.entries(FROM_CODE))('%s', (column, values) => {
    expect(new Set(checks.get(column))).toEqual(new Set(values));
  });

  it('every enumerated column is compared with the code or named as database-only', () => {
    const known = new Set([...Object.keys(FROM_CODE), ...DATABASE_ONLY]);
    expect([...checks.keys()].filter((k) => !known.has(k)).sort()).toEqual([]);
    expect([...known].filter((k) => !checks.has(k))).toEqual([]);
  });
});
