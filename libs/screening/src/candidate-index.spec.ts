import { matchKey, trigramSimilarity } from '@app/domain';
import { ScreeningCandidate } from '@app/persistence';
import { CandidateIndex } from './candidate-index';

const row = (name: string): ScreeningCandidate & { nameKey: string } => ({
  entryId: name,
  listVersionId: 'v',
  listKind: 'us_ofac',
  sourceList: 'x',
  partyType: 'organisation',
  primaryName: name,
  countries: [],
  rating: null,
  name,
  nameType: 'primary',
  nameKey: matchKey(name),
  birthDates: null,
  nationalities: null,
  identifiers: null,
  programmes: null,
});

describe('in-process candidate index (pg_trgm semantics)', () => {
  const names = [
    'Harbin Institute of Technology',
    'Harbin Engineering University',
    'Banco Nacional de Cuba',
    'Grupo Constructor Segundo Milenio',
    'constructor',
  ];
  const idx = CandidateIndex.fromRows('sig', names.map(row));

  it('returns the names at least 0.3 trigram-similar to the key, nearest first, as `%` and `<->` would', () => {
    const key = matchKey('Harbin Inst. of Technology');
    const got = idx.candidates(key).map((c) => c.name);
    const expected = names
      .filter((n) => trigramSimilarity(matchKey(n), key) >= 0.3)
      .sort((a, b) => trigramSimilarity(matchKey(b), key) - trigramSimilarity(matchKey(a), key));
    expect(got).toEqual(expected);
    expect(got[0]).toBe('Harbin Institute of Technology');
  });

  it('finds nothing for an unrelated name and keeps prototype-key names as data', () => {
    expect(idx.candidates(matchKey('University of Toronto'))).toEqual([]);
    expect(idx.candidates(matchKey('constructor')).map((c) => c.name)).toContain('constructor');
    expect(idx.candidates(matchKey('__proto__ toString'))).toEqual([]);
  });
});
