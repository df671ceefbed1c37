/**
 * Report-specific additions to the shared bench seed (seed-data.ts): what the reports
 * group by but the shared seeder leaves plain. Some cases get NSI areas and a second
 * partner, approvals with conditions get conditions (some met), and a few cases were
 * resubmitted (submitted_at after their first stay). Deterministic (setseed), as the owner.
 */
import { Client } from 'pg';
import { NSI_AREAS } from '@app/domain';

export async function seedReportExtras(c: Client): Promise<void> {
  await c.query('SELECT setseed(0.1717)');
  await c.query(
    `
    UPDATE collaboration_case SET answers = jsonb_set(answers, '{sensitiveAreas}',
             CASE WHEN random() < 0.5 THEN jsonb_build_array(($1::text[])[1 + floor(random() * cardinality($1::text[]))::int])
                  ELSE jsonb_build_array(($1::text[])[1 + floor(random() * cardinality($1::text[]))::int], ($1::text[])[1 + floor(random() * cardinality($1::text[]))::int]) END)
     WHERE random() < 0.35`,
    [[...NSI_AREAS]],
  );
  await c.query(`
    UPDATE collaboration_case SET answers = jsonb_set(answers, '{partners}', answers->'partners' || jsonb_build_array(jsonb_build_object(
             'name', 'Second partner', 'country', (ARRAY['US','DE','CN','FR','JP','IN'])[1 + floor(random() * 6)::int], 'type', 'university')))
     WHERE random() < 0.2`);
  await c.query(`
    UPDATE collaboration_case SET decision = jsonb_build_object('decisionText', 'Approved with conditions.', 'conditions', jsonb_build_array(
             jsonb_build_object('text', 'Keep a technology control plan.', 'metAt', to_char(closed_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
             jsonb_build_object('text', 'Report visits to the RSDO.')))
     WHERE outcome = 'approved_with_conditions'`);
  // A resubmission: the first stays began before the case's (latest) submitted_at.
  await c.query(`
    UPDATE collaboration_case SET submitted_at = submitted_at + interval '20 days'
     WHERE submitted_at IS NOT NULL AND closed_at IS NOT NULL AND submitted_at + interval '20 days' < closed_at AND random() < 0.02`);
}
