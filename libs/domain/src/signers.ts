import type { SignerSet } from './transitions';

/** The department as snapshotted at submit. Delegation dates are ISO dates, both ends inclusive. */
export interface DepartmentSigning {
  headUserId: string | null;
  delegates: { userId: string; startsOn: string; endsOn: string }[];
}

/**
 * Who may sign off a case today. A head who submitted the case (heads are often PIs)
 * cannot sign it, and nor can their delegate on their behalf, so the RSDO lead signs;
 * a department without a head falls back to the lead the same way.
 *
 * `today` is the calendar date in Europe/London: delegation is granted in whole days
 * as people understand them locally, not in UTC.
 */
export function actingSigners(dept: DepartmentSigning, ownerId: string, today: string): SignerSet {
  if (dept.headUserId === null || dept.headUserId === ownerId) return { userIds: [], leadSigns: true };
  const day = today.slice(0, 10);
  const ids = new Set<string>([dept.headUserId]);
  for (const d of dept.delegates) {
    // ISO dates order correctly as strings; slice tolerates a timestamp suffix
    if (d.startsOn.slice(0, 10) <= day && day <= d.endsOn.slice(0, 10)) ids.add(d.userId);
  }
  ids.delete(ownerId);
  return { userIds: [...ids], leadSigns: false };
}
