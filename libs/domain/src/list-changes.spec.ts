import { caseSubjectKey, describeEntryChanges, diffEntryContent, diffLists, entryContent, entryContentHash } from './list-changes';

const entry = (over: Record<string, unknown> = {}) => ({
  partyType: 'organisation',
  primaryName: 'Example Institute',
  countries: ['CN'],
  rating: 'high',
  names: [
    { name: 'Example Institute', type: 'primary' },
    { name: 'EI', type: 'alias' },
  ],
  programmes: ['WATCH'],
  ...over,
});

describe('list changes', () => {
  it('hashes content, not order or letter case of names', () => {
    const a = entryContent(entry());
    const b = entryContent(
      entry({
        names: [
          { name: 'ei', type: 'alias' },
          { name: 'EXAMPLE INSTITUTE', type: 'primary' },
        ],
      }),
    );
    expect(entryContentHash(a)).toBe(entryContentHash(b));
    expect(entryContentHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(entryContentHash(entryContent(entry({ rating: 'very_high' })))).not.toBe(entryContentHash(a));
  });

  it('says what changed: a new alias, a new programme, a rating', () => {
    const changes = diffEntryContent(
      entryContent(entry()),
      entryContent(
        entry({ rating: 'very_high', programmes: ['WATCH', 'RUSSIA-EO14024'], names: [...entry().names, { name: 'Example Inst.', type: 'alias' }] }),
      ),
    );
    expect(changes).toEqual([
      { field: 'names', added: ['example inst (alias)'], removed: [] },
      { field: 'rating', before: 'high', after: 'very_high' },
      { field: 'programmes', added: ['RUSSIA-EO14024'], removed: [] },
    ]);
    expect(describeEntryChanges(changes)).toBe('names and aliases: added example inst (alias); rating: high → very_high; programmes: added RUSSIA-EO14024');
  });

  it('diffs two versions by list id: added, removed, changed, unchanged', () => {
    const v = (id: string, over: Record<string, unknown> = {}) => {
      const e = { ...entry(over), externalId: id };
      return { ...e, hash: entryContentHash(entryContent(e)) };
    };
    const d = diffLists([v('1'), v('2'), v('3')], [v('1'), v('2', { rating: 'low' }), v('4')], (e) => entryContent(e));
    expect(d.added.map((e) => e.externalId)).toEqual(['4']);
    expect(d.removed.map((e) => e.externalId)).toEqual(['3']);
    expect(d.changed.map((c) => [c.after.externalId, c.changes])).toEqual([['2', [{ field: 'rating', before: 'high', after: 'low' }]]]);
    expect(d.unchanged).toBe(1);
  });

  it('keys a case-held subject by kind, match key and country, so spelling variants of one partner are one subject', () => {
    expect(caseSubjectKey('Harbin Institute of Technology', 'organisation', 'CN')).toBe(caseSubjectKey('  harbin institute of technology ', 'parent', 'cn'));
    expect(caseSubjectKey('Harbin Institute of Technology', 'organisation', 'CN')).not.toBe(
      caseSubjectKey('Harbin Institute of Technology', 'organisation', null),
    );
    expect(caseSubjectKey('Li Wei', 'individual', null)).toMatch(/^name:person:/);
  });
});
