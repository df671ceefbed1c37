import { atasOutstanding, atasRequired, casePartiesOf, normaliseOrganisationName, piConfirmationOutstanding, rorId, websiteDomain } from './partners';
import { caseAccess } from './access';

describe('the partner register', () => {
  it('normalises names: case, accents, punctuation, "&" and legal forms do not tell organisations apart', () => {
    expect(normaliseOrganisationName('ACME  Photonics Ltd.')).toBe('acme photonics');
    expect(normaliseOrganisationName('Acme Photonics Limited')).toBe('acme photonics');
    expect(normaliseOrganisationName('Université de Montréal')).toBe('universite de montreal');
    expect(normaliseOrganisationName('Smith & Sons GmbH')).toBe('smith and sons');
    expect(normaliseOrganisationName('Tsinghua University')).not.toBe(normaliseOrganisationName('Peking University'));
  });

  it('reads identifiers: website domains and ROR ids', () => {
    expect(websiteDomain('https://www.UToronto.ca/research?x=1')).toBe('utoronto.ca');
    expect(websiteDomain('example.org')).toBe('example.org');
    expect(websiteDomain('not a site')).toBeNull();
    expect(rorId('https://ror.org/03dbr7087')).toBe('03dbr7087');
    expect(rorId('03DBR7087')).toBe('03dbr7087');
    expect(rorId('12345')).toBeNull();
  });

  it('names every partner, parent and funder of a case', () => {
    expect(
      casePartiesOf({
        partners: [{ name: ' Acme ', country: 'DE', type: 'company', parentOrganisation: 'Acme Holdings' }],
        funders: [{ name: 'Stiftung', country: 'DE', type: 'charity' }],
      }),
    ).toEqual([
      { role: 'partner', name: 'Acme', country: 'DE', index: 0 },
      { role: 'parent', name: 'Acme Holdings', country: 'DE', index: 0 },
      { role: 'funder', name: 'Stiftung', country: 'DE', index: 0 },
    ]);
  });
});

describe('ATAS', () => {
  const sensitive = { sensitiveAreas: ['quantum_technologies'] };
  const visitor = (nationalities: string[] | null, atas: { certificateReference: string; issuedOn: string; expiresOn: string } | null = null) => ({
    name: 'Li Wei',
    role: 'visiting_researcher' as const,
    nationalities,
    atas,
  });

  it('applies to a visiting researcher on a sensitive-area case with no exempt nationality (GOV.UK exempt list)', () => {
    expect(atasRequired(visitor(['CN']), sensitive)).toBe(true);
    expect(atasRequired(visitor(null), sensitive)).toBe(true); // nationality not given: not shown exempt
    expect(atasRequired(visitor(['FR']), sensitive)).toBe(false);
    expect(atasRequired(visitor(['CN', 'CA']), sensitive)).toBe(false); // dual national, one exempt
    expect(atasRequired(visitor(['US']), sensitive)).toBe(false);
    expect(atasRequired(visitor(['CN']), { sensitiveAreas: [] })).toBe(false);
    expect(atasRequired({ ...visitor(['CN']), role: 'partner_staff' }, sensitive)).toBe(false);
  });

  it('holds approval until a current certificate is recorded, in one sentence', () => {
    expect(atasOutstanding([visitor(['CN'])], sensitive, '2026-11-30')).toBe(
      'Approval waits for an ATAS certificate: record the certificate reference and its dates for Li Wei.',
    );
    expect(
      atasOutstanding([visitor(['CN'], { certificateReference: 'A1', issuedOn: '2026-01-01', expiresOn: '2027-01-01' })], sensitive, '2026-11-30'),
    ).toBeNull();
    expect(
      atasOutstanding([visitor(['CN'], { certificateReference: 'A1', issuedOn: '2025-01-01', expiresOn: '2026-01-01' })], sensitive, '2026-11-30'),
    ).toMatch(/Li Wei \(certificate expired\)/);
  });
});

describe('people and the one access rule', () => {
  it('a PI named by someone else must confirm; the owner as PI need not', () => {
    expect(piConfirmationOutstanding([{ name: 'Dr P', role: 'principal_investigator', userId: 'pi', confirmedAt: null }], 'owner')).toMatch(
      /on behalf of Dr P/,
    );
    expect(
      piConfirmationOutstanding([{ name: 'Dr P', role: 'principal_investigator', userId: 'pi', confirmedAt: '2026-11-30T10:00:00Z' }], 'owner'),
    ).toBeNull();
    expect(piConfirmationOutstanding([{ name: 'Me', role: 'principal_investigator', userId: 'owner', confirmedAt: null }], 'owner')).toBeNull();
  });

  it('the research team sees the case as its owner does, draft included; nobody else does before submit', () => {
    const c = { ownerId: 'owner', state: 'draft', submittedAt: null, departmentId: null, signedBy: [], departmentHeadId: null, teamIds: ['coi'] };
    const p = (id: string) => ({ id, roles: new Set(['researcher'] as const), headOf: [], delegateFor: [] });
    expect(caseAccess(p('coi'), c)).toBe('researcher');
    expect(caseAccess(p('other'), c)).toBe('none');
  });
});
