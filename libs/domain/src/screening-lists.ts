import type { ScreeningListKind, WatchListRating } from './risk';

/**
 * What a restricted-party list is once parsed: the shape the importers in
 * libs/screening produce and the persistence layer stores. The parsers themselves
 * live in libs/screening (formats.ts).
 */

export interface ListEntryName {
  name: string;
  /**
   * 'primary' | 'primary_variation' | 'alias' (a strong, good-quality a.k.a.) |
   * 'weak_alias' (a weak or low-quality a.k.a., weighted down when matching) |
   * 'former' (f.k.a.) | 'non_latin' (the name in its original script)
   */
  type: string;
}

/** A document or registration number on a list entry: passport, IMO, company number… */
export interface ListIdentifier {
  type: string;
  value: string;
  country?: string | null;
}

export interface ParsedListEntry {
  externalId: string;
  partyType: 'organisation' | 'individual' | 'vessel' | 'unknown';
  primaryName: string;
  /** the regime (UK), source list (US CSL), or "University watch list" */
  sourceList: string;
  /** every country the entry is tied to (nationality, citizenship, address), ISO alpha-2 */
  countries: string[];
  rating: WatchListRating | null;
  names: ListEntryName[];
  /** birth dates as the list gives them: "1971", "1971-05", "1971-05-03" */
  birthDates?: string[];
  nationalities?: string[];
  addressCountries?: string[];
  identifiers?: ListIdentifier[];
  programmes?: string[];
  details: Record<string, unknown>;
}

export interface ParsedList {
  kind: ScreeningListKind;
  publishedAt: string | null;
  entries: ParsedListEntry[];
}
