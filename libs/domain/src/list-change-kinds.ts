import type { ScreeningListKind } from './risk';

/**
 * Continuous screening's enumerations and labels (issue 19), pure so the web app can
 * import them (`@app/domain/list-change-kinds`); the hashing and diffing is in
 * list-changes.ts.
 */

/** How an entry of a list version differs from the previous version of the same source. */
export const LIST_CHANGE_KINDS = ['added', 'removed', 'changed'] as const;
export type ListChangeKind = (typeof LIST_CHANGE_KINDS)[number];

export const LIST_CHANGE_LABELS: Record<ListChangeKind, string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

export const SCREENING_LIST_KIND_LABELS: Record<ScreeningListKind, string> = {
  uk_sanctions: 'UK Sanctions List (FCDO / OFSI)',
  un_sc: 'UN Security Council consolidated list',
  us_ofac: 'OFAC SDN list',
  eu_fsf: 'EU financial sanctions list',
  us_csl: 'US Consolidated Screening List',
  watch_list: 'Watch list with ratings (CSV: id,name,aliases,country,rating,notes)',
};

/**
 * Who a screening hit is about (screening_hit.subject_kind): a partner organisation, its
 * parent, a funder, or a named person.
 */
export const SCREENING_SUBJECT_KINDS = ['organisation', 'individual', 'parent', 'funder'] as const;
export type ScreeningSubjectKind = (typeof SCREENING_SUBJECT_KINDS)[number];

export const SCREENING_SUBJECT_KIND_LABELS: Record<ScreeningSubjectKind, string> = {
  organisation: 'Partner',
  parent: 'Parent organisation',
  funder: 'Funder',
  individual: 'Named person',
};
