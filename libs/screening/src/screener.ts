import { EntityManager } from 'typeorm';
import { analyseName, matchKey, MatchExplanation, scoreParty, ScreeningListKind, ScreenQuery, screeningWarnings } from '@app/domain';
import { ScreeningRepository } from '@app/persistence';
import { candidateIndex } from './candidate-index';

export interface CheckHit {
  listKind: ScreeningListKind;
  sourceList: string;
  entryId: string;
  listVersionId: string;
  entryName: string;
  matchedName: string;
  matchedNameType: string;
  score: number;
  partyType: string;
  countries: string[];
  rating: string | null;
  countryMatch: boolean | null;
  birthDates: string[];
  nationalities: string[];
  identifiers: { type: string; value: string; country?: string | null }[];
  programmes: string[];
  /** why the score is what it is: name parts aligned, alias kind, country, birth date, identifiers */
  explanation: MatchExplanation;
}

export interface CheckResult {
  hits: CheckHit[];
  /** said to the officer when the name could not be screened as asked */
  warnings: string[];
}

/**
 * Screens one party against the current lists: trigram candidates from the in-process
 * copy of the current names (CandidateIndex, pg_trgm's similarity),
 * each scored by the domain's matcher with its secondary evidence, best name per listed
 * party, at or above the threshold, best first.
 */
export async function screenName(em: EntityManager, repo: ScreeningRepository, query: ScreenQuery, threshold: number): Promise<CheckResult> {
  const warnings = screeningWarnings(query.name);
  const analysed = analyseName(query.name);
  if (!analysed.parts.length) return { hits: [], warnings };
  const candidates = (await candidateIndex(em, repo)).candidates(matchKey(query.name));
  const best = new Map<string, CheckHit>();
  for (const c of candidates) {
    const explanation = scoreParty(
      query,
      { names: [{ name: c.name, type: c.nameType }], countries: c.countries, birthDates: c.birthDates ?? [], identifiers: c.identifiers ?? [] },
      analysed,
    );
    if (!explanation || explanation.score < threshold) continue;
    const prev = best.get(c.entryId);
    if (prev && prev.score >= explanation.score) continue;
    best.set(c.entryId, {
      listKind: c.listKind,
      sourceList: c.sourceList,
      entryId: c.entryId,
      listVersionId: c.listVersionId,
      entryName: c.primaryName,
      matchedName: c.name,
      matchedNameType: c.nameType,
      score: explanation.score,
      partyType: c.partyType,
      countries: c.countries,
      rating: c.rating,
      countryMatch: explanation.country.match,
      birthDates: c.birthDates ?? [],
      nationalities: c.nationalities ?? [],
      identifiers: c.identifiers ?? [],
      programmes: c.programmes ?? [],
      explanation,
    });
  }
  return { hits: [...best.values()].sort((a, b) => b.score - a.score), warnings };
}
