import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';

/** The parts of an IdP's SAML metadata the service provider needs. */
export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService with the HTTP-Redirect binding. */
  ssoUrl: string;
  /** Base64 DER certificates the IdP signs with (several during a key rollover). */
  signingCerts: string[];
}

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const LISTS = new Set(['EntityDescriptor', 'IDPSSODescriptor', 'KeyDescriptor', 'SingleSignOnService', 'X509Certificate', 'X509Data']);

type Node = Record<string, unknown>;

export function parseIdpMetadata(xml: string, source: string): IdpMetadata {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, isArray: (name) => LISTS.has(name) }).parse(
    xml,
  ) as Node;
  const entities = (
    (doc.EntityDescriptor as Node[] | undefined) ??
    ((doc.EntitiesDescriptor as Node | undefined)?.EntityDescriptor as Node[] | undefined) ??
    []
  ).filter((e) => Array.isArray(e.IDPSSODescriptor));
  if (entities.length !== 1) {
    throw new Error(
      `SAML_IDP_METADATA (${source}) must describe exactly one identity provider (found ${entities.length}); use your IdP's own metadata, not a federation aggregate.`,
    );
  }
  const entity = entities[0];
  const idp = (entity.IDPSSODescriptor as Node[])[0];
  const sso = ((idp.SingleSignOnService as Node[] | undefined) ?? []).find((s) => s['@_Binding'] === REDIRECT);
  if (!sso) throw new Error(`SAML_IDP_METADATA (${source}) has no SingleSignOnService with the HTTP-Redirect binding.`);
  const signingCerts = ((idp.KeyDescriptor as Node[] | undefined) ?? [])
    .filter((k) => k['@_use'] === undefined || k['@_use'] === 'signing')
    .flatMap((k) => ((k.KeyInfo as Node | undefined)?.X509Data as Node[] | undefined) ?? [])
    .flatMap((d) => (d.X509Certificate as unknown[] | undefined) ?? [])
    .map((c) => String(typeof c === 'object' && c !== null ? (c as Node)['#text'] : c).replace(/\s+/g, ''))
    .filter(Boolean);
  if (!signingCerts.length) throw new Error(`SAML_IDP_METADATA (${source}) has no signing certificate, so no assertion could be trusted.`);
  return { entityId: String(entity['@_entityID']), ssoUrl: String(sso['@_Location']), signingCerts };
}

export async function loadIdpMetadata(source: string): Promise<IdpMetadata> {
  let xml: string;
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`SAML_IDP_METADATA: ${source} answered ${res.status}.`);
    xml = await res.text();
  } else {
    xml = await readFile(source, 'utf8');
  }
  return parseIdpMetadata(xml, source);
}
