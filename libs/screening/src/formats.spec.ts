import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedList } from '@app/domain';
import { countryCode } from './countries';
import { decodeText, parseCsv, parseList, parseUkSanctionsXml, parseUsCslCsv, parseWatchListCsv } from './formats';

const fixture = (f: string) => readFileSync(join(__dirname, '../../../fixtures/screening', f), 'utf8');

describe('list parsers against the sample files', () => {
  it('reads the FCDO UK Sanctions List XML: names, aliases, non-Latin names, regime, countries', () => {
    const list = parseUkSanctionsXml(fixture('uk-sanctions-list.sample.xml'));
    expect(list.entries.length).toBeGreaterThanOrEqual(30);
    const roe = list.entries.find((e) => e.externalId === 'RUS0001')!;
    expect(roe).toMatchObject({ partyType: 'organisation', primaryName: 'ROSOBORONEXPORT', sourceList: 'UK Sanctions List: Russia', countries: ['RU'] });
    expect(roe.names).toEqual(
      expect.arrayContaining([
        { name: 'ROSOBORONEKSPORT', type: 'alias' },
        { name: 'АО Рособоронэкспорт', type: 'non_latin' },
      ]),
    );
    const lavrov = list.entries.find((e) => e.externalId === 'RUS0013')!;
    expect(lavrov).toMatchObject({ partyType: 'individual', primaryName: 'Sergei Viktorovich LAVROV' });
  });

  it("reads the US Consolidated Screening List CSV with each row's source list", () => {
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
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });
});

const real = (f: string) => readFileSync(join(__dirname, '../../../fixtures/screening/real', f));
const byId = (l: ParsedList, id: string) => l.entries.find((e) => e.externalId === id)!;

describe("importers for the real published formats (fixtures/screening/real, excerpts of the publishers' files)", () => {
  it('reads the UN Security Council XML: aliases by quality, original script, nationality, DOB, documents, programme', () => {
    const l = parseList('un_sc', decodeText(real('un-sc-consolidated.excerpt.xml')));
    expect(l.format).toBe('un_sc_xml');
    expect(l.entries).toHaveLength(11);
    expect(l.publishedAt).toBe('2026-02-27T00:00:09.554Z');
    const badege = l.entries.find((e) => e.primaryName === 'ERIC BADEGE')!;
    expect(badege).toMatchObject({
      partyType: 'individual',
      externalId: 'CDi.001',
      nationalities: ['CD'],
      addressCountries: ['RW'],
      birthDates: ['1971'],
      programmes: ['DRC'],
    });
    const saddam = l.entries.find((e) => e.names.some((n) => n.name === 'صدام حسين التكريتي'))!;
    expect(saddam.names.find((n) => n.name === 'صدام حسين التكريتي')!.type).toBe('non_latin');
    const low = l.entries.find((e) => e.names.some((n) => n.type === 'weak_alias'));
    expect(low).toBeDefined();
    expect(l.entries.filter((e) => e.partyType === 'organisation').map((e) => e.primaryName)).toContain('BUTEMBO AIRLINES (BAL)');
    expect(l.entries.find((e) => e.primaryName === 'BUTEMBO AIRLINES (BAL)')!.names).toContainEqual({ name: 'BUTEMBO AIRLINES', type: 'primary_variation' });
    expect(l.entries.some((e) => e.identifiers!.some((i) => i.type === 'passport'))).toBe(true);
  });

  it('reads the OFSI ConList CSV as published (Windows-1252, no header): rows grouped by Group ID, demonym nationalities, DOBs', () => {
    const bytes = real('ofsi-conlist-2018-12.excerpt.csv');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const l = parseList('uk_sanctions', decodeText(bytes));
    expect(l.format).toBe('ofsi_conlist_csv');
    const q = byId(l, '13349');
    expect(q).toMatchObject({
      partyType: 'individual',
      nationalities: ['SA', 'QA'],
      addressCountries: ['AF'],
      sourceList: "UK Sanctions List: The ISIL (Da'esh) and Al-Qaida organisations",
    });
    expect(q.birthDates).toEqual(expect.arrayContaining(['1981', '1980']));
    expect(q.names.map((n) => n.name)).toContain('Sheikh Farooq AL-QAHTANI');
    expect(q.identifiers).toContainEqual({ type: 'passport', value: '592667' });
    const ship = l.entries.find((e) => e.primaryName === 'TONG SAN 2')!;
    expect(ship).toMatchObject({ partyType: 'vessel' });
    expect(ship.identifiers).toContainEqual({ type: 'imo', value: '8937675' });
    // A cp1252 character decoded, not replaced.
    expect(l.entries.flatMap((e) => e.names.map((n) => n.name)).join(' ')).not.toContain('\uFFFD');
  });

  it('reads the OFAC SDN legacy CSV trio joined by ent_num: aliases, weak a.k.a.s from remarks, DOB, passports, address countries', () => {
    const l = parseList('us_ofac', decodeText(real('ofac-sdn-2019-01.excerpt.csv')), {
      alt: decodeText(real('ofac-alt-2019-01.excerpt.csv')),
      add: decodeText(real('ofac-add-2019-01.excerpt.csv')),
    });
    expect(l.format).toBe('ofac_sdn_csv');
    const z = byId(l, '2676');
    expect(z).toMatchObject({ partyType: 'individual', primaryName: 'Dr. Ayman AL ZAWAHIRI', birthDates: ['1951-06-19'], programmes: ['SDGT', 'SDT'] });
    expect(z.identifiers).toContainEqual({ type: 'passport', value: '1084010', country: 'EG' });
    expect(z.names.length).toBeGreaterThan(1);
    const bnc = byId(l, '306');
    expect(bnc).toMatchObject({ partyType: 'organisation' });
    expect(bnc.addressCountries).toEqual(expect.arrayContaining(['CH', 'ES', 'JP', 'PA']));
    expect(bnc.names).toContainEqual({ name: 'BNC', type: 'weak_alias' });
    expect(bnc.names).toContainEqual({ name: 'NATIONAL BANK OF CUBA', type: 'alias' });
    expect(byId(l, '4234')).toMatchObject({ partyType: 'vessel', primaryName: 'HERMANN' });
    expect(byId(l, '15814').primaryName).toBe('GRUPO CONSTRUCTOR SEGUNDO MILENIO, S.A. DE C.V.');
  });

  it('reads the trade.gov CSL CSV: a blank type is inferred, person names turned round, countries from addresses', () => {
    const l = parseList('us_csl', decodeText(real('trade-gov-csl-2019.csv')));
    expect(l.entries).toHaveLength(115);
    expect(l.entries.find((e) => e.primaryName === 'ADRIAN MANUEL HERNANDEZ')).toMatchObject({ partyType: 'individual' });
    expect(l.entries.find((e) => e.primaryName === '183rd Guard Air Defense Missile Regiment')).toMatchObject({ partyType: 'organisation' });
    expect(l.entries.find((e) => e.primaryName === '200G PSA HOLDINGS LLC')!.identifiers).toContainEqual({
      type: 'registration',
      value: '80-0890696',
      country: 'US',
    });
    expect(l.entries.filter((e) => e.countries.length).length / l.entries.length).toBeGreaterThan(0.7);
  });
});

describe('importers for the current formats, on samples written from the published schemas', () => {
  const sample = (f: string) => readFileSync(join(__dirname, '../../../fixtures/screening', f), 'utf8');

  it('reads the FCDO UK Sanctions List CSV: one row per name, alias strength, non-Latin names, IMO numbers', () => {
    const l = parseList('uk_sanctions', sample('fcdo-uk-sanctions-list.schema-sample.csv'));
    expect(l.format).toBe('fcdo_csv');
    expect(l.publishedAt).toBe('02/02/2026');
    const p = byId(l, 'SCHEMA0001');
    expect(p).toMatchObject({ partyType: 'individual', primaryName: 'Ivan Sergeyevich PETROVSKY', nationalities: ['RU'], birthDates: ['1961-03-12'] });
    expect(p.names).toEqual(
      expect.arrayContaining([
        { name: 'Иван Сергеевич ПЕТРОВСКИЙ', type: 'non_latin' },
        { name: 'Ivan PETROVSKII', type: 'weak_alias' },
      ]),
    );
    expect(p.identifiers).toContainEqual({ type: 'passport', value: '712345678' });
    expect(byId(l, 'SCHEMA0002')).toMatchObject({ partyType: 'organisation', addressCountries: ['IR'] });
    expect(byId(l, 'SCHEMA0003')).toMatchObject({ partyType: 'vessel', addressCountries: ['KP'], identifiers: [{ type: 'imo', value: '9123456' }] });
  });

  it('reads the OFAC advanced XML: primary and low-quality aliases, birth date and nationality features, documents, programmes', () => {
    const l = parseList('us_ofac', sample('ofac-sdn-advanced.schema-sample.xml'));
    expect(l.format).toBe('ofac_advanced_xml');
    expect(l.publishedAt).toBe('2026-01-15');
    const p = byId(l, '90101');
    expect(p).toMatchObject({
      partyType: 'individual',
      primaryName: 'Reza KAMALVAND',
      birthDates: ['1968-04-02'],
      nationalities: ['IR'],
      addressCountries: ['IR'],
      programmes: ['IRGC', 'SDGT'],
    });
    expect(p.names).toEqual([
      { name: 'Reza KAMALVAND', type: 'primary' },
      { name: 'Haji Reza', type: 'weak_alias' },
      { name: 'Reza KAMALVANDI', type: 'alias' },
    ]);
    expect(p.identifiers).toContainEqual({ type: 'passport', value: 'X98765432', country: 'IR' });
    expect(byId(l, '90102')).toMatchObject({ partyType: 'vessel', identifiers: [{ type: 'imo', value: 'IMO 9234567', country: null }] });
  });

  it('reads the EU financial sanctions XML: strong and weak aliases, citizenship, birth date, passport, programme', () => {
    const l = parseList('eu_fsf', sample('eu-fsf.schema-sample.xml'));
    expect(l.format).toBe('eu_fsf_xml');
    const p = byId(l, '900001');
    expect(p).toMatchObject({
      partyType: 'individual',
      primaryName: 'Oleg Petrovich MOROZKIN',
      nationalities: ['RU'],
      birthDates: ['1966-09-21'],
      programmes: ['RUS'],
    });
    expect(p.names).toEqual([
      { name: 'Oleg Petrovich MOROZKIN', type: 'primary' },
      { name: 'Олег Петрович МОРОЗКИН', type: 'non_latin' },
      { name: 'Oleg MOROSKIN', type: 'weak_alias' },
    ]);
    expect(p.identifiers).toContainEqual({ type: 'passport', value: '530011223', country: 'RU' });
    expect(byId(l, '900002')).toMatchObject({ partyType: 'organisation', addressCountries: ['RU'] });
  });

  it('reads the CSL JSON and strips list boilerplate from names', () => {
    const l = parseList('us_csl', sample('us-csl.schema-sample.json'));
    expect(l.format).toBe('us_csl_json');
    expect(byId(l, 'schema-0001').primaryName).toBe('Northwind Microsystems Co., Ltd.');
    expect(byId(l, 'schema-0002')).toMatchObject({ partyType: 'individual', birthDates: ['1975-02-14'], nationalities: ['LB'] });
  });

  it('says which formats a kind reads when the file is none of them', () => {
    expect(() => parseList('un_sc', 'name,country\nX,CN\n')).toThrow(/not in a format the un_sc importer reads \(un_sc_xml\)/);
  });
});

describe('list text that is an Object.prototype key', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('imports a party named %s and a column named so', (word) => {
    const l = parseList('us_csl', `source,name,alt_names,addresses,type,${word}\nEntity List,${word},${word} Ltd,"Road, Harbin, CN",,x\n`);
    expect(l.entries[0]).toMatchObject({ primaryName: word, countries: ['CN'] });
    expect(countryCode(word)).toBeNull();
  });
});

describe('country names', () => {
  it.each([
    ['DPRK', 'KP'],
    ['Korea, North', 'KP'],
    ['Iran (Islamic Republic of)', 'IR'],
    ['Russian Federation', 'RU'],
    ['Syrian Arab Republic', 'SY'],
    ['United Kingdom of Great Britain and Northern Ireland', 'GB'],
    ['Afghan', 'AF'],
    ['Afghanistan (since 2009)', 'AF'],
    ['Côte d’Ivoire', 'CI'],
  ])('maps %s to %s', (name, code) => expect(countryCode(name)).toBe(code));
});
