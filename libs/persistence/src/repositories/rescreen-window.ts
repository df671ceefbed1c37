import { LIVE_APPROVAL_STATES, OPEN_STATES, RE_REVIEW_PERIOD_MONTHS } from '@app/domain';

/**
 * Which cases continuous screening looks at (issue 19), one definition for the
 * organisation, person and case-answer subjects:
 * - 'live' (a re-import rescreens): open cases past draft, and approved or suspended
 *   collaborations until their end date plus the re-review period (one with no end date
 *   recorded, or one not in YYYY-MM-DD form, stays in). Not a fixed window after
 *   approval: a five-year collaboration is screened for five years and the period after.
 * - 'all' (the blast radius): every submitted case, approved and closed ones included.
 * - caseIds: exactly those cases, whatever their state (a case being submitted or
 *   answering, whose new state is not yet stored).
 */
export interface RescreenScope {
  scope: 'live' | 'all';
  caseIds?: string[];
}

/** The WHERE clause for case alias `c`, its parameters numbered from `from`. */
export function rescreenWindowSql(opts: RescreenScope, from: number): { sql: string; params: unknown[] } {
  const [open, approved, months, all, ids] = [from, from + 1, from + 2, from + 3, from + 4].map((n) => `$${n}`);
  return {
    sql: `(CASE WHEN ${ids}::uuid[] IS NOT NULL THEN c.id = ANY(${ids}::uuid[])
            ELSE c.submitted_at IS NOT NULL
             AND (${all}::boolean OR c.state = ANY(${open}::text[])
                  OR (c.state = ANY(${approved}::text[])
                      AND (c.answers->>'endDate' IS NULL
                           OR c.answers->>'endDate' !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                           OR (c.answers->>'endDate')::date + make_interval(months => ${months}::int) >= current_date))) END)`,
    params: [OPEN_STATES.filter((s) => s !== 'draft'), LIVE_APPROVAL_STATES, RE_REVIEW_PERIOD_MONTHS, opts.scope === 'all', opts.caseIds ?? null],
  };
}
