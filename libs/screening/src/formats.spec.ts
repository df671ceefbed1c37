import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, parseUkSanctionsXml, parseUsCslCsv, parseWatchListCsv } from './formats';

const fixture = (f: string) => readFileSync(join(__dirname, '../../../fixtures/screening', f), 'utf8');

describe('list parsers against the sample files', () => {
  it('reads the FCDO UK Sanctions List XML: names, aliases, non-Latin names, regime, countries', () => {
    const list = parseUkSanctionsXml(fixture('uk-sanctions-list.sample.xml'));
    expect(list.entries.length).toBeGreaterThanOrEqual(30);
    const roe = list.entries.find((e) => e.externalId === 'RUS0001')!;
    expect(roe).toMatchObject({ partyType: 'organisation', primaryName: 'ROSOBORONEXPORT', sourceList: 'UK Sanctions List: Russia', countries: ['RU'] });
    expect(roe.names).toEqual(expect.arrayContaining([{ name: 'ROSOBORONEKSPORT', type: 'alias' }, { name: 'АО Рособоронэкспорт', type: 'non_latin' }]));
    const lavrov = list.entries.find((e) => e.externalId === 'RUS0013')!;
    expect(lavrov).toMatchObject({ partyType: 'individual', primaryName: 'Sergei Viktorovich LAVROV' });
  });

  it('reads the US Consolidated Screening List CSV with each row\'s source list', () => {
    const list = parseUsCslCsv(fixture('us-consolidated-screening-list.sample.csv'));
    expect(list.entries.length).toBeGreaterThanOrEqual(30);
    const hit = list.entries.find((e) => e.primaryName === 'Harbin Institute of Technology')!;
    expect(hit).toMatchObject({ sourceList: 'Entity List (EL) - Bureau of Industry and Security', countries: ['CN'] });
    expect(hit.names.map((n) => n.name)).toEqual(['Harbin Institute of Technology', 'HIT', 'Harbin Gongye Daxue']);
    expect(new Set(list.entries.map((e) => e.sourceList)).size).toBeGreaterThanOrEqual(4);
  });

  it('reads the university watch list with ratings, and refuses an unknown rating', () => {
    const list = parseWatchListCsv(fixture('watch-list.sample.csv'));
    expect(list.entries.find((e) => e.primaryName === 'Tsinghua University')).toMatchObject({ rating: 'high', countries: ['CN'] });
    expect(() => parseWatchListCsv('name,country,rating\nX,CN,extreme\n')).toThrow(/Row 2: rating "extreme"/);
  });

  it('parses quoted CSV fields with commas, quotes and newlines', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere']]);
  });
});
