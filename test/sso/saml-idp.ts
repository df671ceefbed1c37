/**
 * A real SAML 2.0 identity provider for the SSO tests: samlify as IdP, signing with a
 * key and certificate generated at test time (selfsigned), behind a small HTTP server
 * with a login page (HTTP-Redirect binding in, HTTP-POST binding out).
 */
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as samlify from 'samlify';
import { generate } from 'selfsigned';

// samlify insists on an XML schema validator before parsing AuthnRequests. The request
// it parses is the one under test's SP made; the SP (node-saml) is what is under test.
samlify.setSchemaValidator({ validate: async () => 'not validated by the test IdP' });

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
export const OID = {
  eduPersonUniqueId: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.13',
  eduPersonPrincipalName: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  eduPersonEntitlement: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.7',
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  ou: 'urn:oid:2.5.4.11',
} as const;

export type SamlUser = Partial<Record<keyof typeof OID, string | string[]>>;

/** What a test may change in an assertion before the IdP signs it. */
export interface AssertionTweaks {
  audience?: string;
  /** Shifts IssueInstant, NotBefore and NotOnOrAfter by this many seconds. */
  shiftSeconds?: number;
  assertionId?: string;
  inResponseTo?: string;
  /** Encrypt the (signed) assertion to the SP's certificate, as Shibboleth does by default. */
  encrypt?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function attributeStatement(user: SamlUser): string {
  const attrs = Object.entries(user).map(([k, v]) => {
    const values = (Array.isArray(v) ? v : [v]).map((x) => `<saml:AttributeValue xsi:type="xs:string">${esc(String(x))}</saml:AttributeValue>`).join('');
    return `<saml:Attribute Name="${OID[k as keyof typeof OID]}" FriendlyName="${k}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values}</saml:Attribute>`;
  });
  return `<saml:AttributeStatement>${attrs.join('')}</saml:AttributeStatement>`;
}

export interface SamlIdp {
  url: string;
  entityId: string;
  metadata: string;
  /** Reads the SP from its metadata (after the app is up). */
  trustSp(spMetadata: string): void;
  /** The id of the AuthnRequest in a redirect URL the SP produced. */
  requestId(loginRedirect: string): Promise<string>;
  /** A base64 SAMLResponse for `user`, assertion signed by the IdP. */
  response(user: SamlUser, tweaks: AssertionTweaks): Promise<string>;
  users: Map<string, SamlUser>;
  /** The last SAMLResponse the login page handed to a browser (XML). */
  lastPosted: string | null;
  close(): Promise<void>;
}

export async function startSamlIdp(users: Record<string, SamlUser>): Promise<SamlIdp> {
  const pems = await generate([{ name: 'commonName', value: 'idp.test.example.ac.uk' }], { keySize: 2048, algorithm: 'sha256' });
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = 'https://idp.test.example.ac.uk/idp/shibboleth';
  const settings = {
    entityID: entityId,
    signingCert: pems.cert,
    privateKey: pems.private,
    nameIDFormat: [TRANSIENT],
    singleSignOnService: [{ Binding: REDIRECT, Location: `${url}/sso` }],
    requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  };
  const idp = samlify.IdentityProvider(settings);
  // The same IdP (same entity, same key) when it encrypts assertions.
  const encryptingIdp = samlify.IdentityProvider({ ...settings, isAssertionEncrypted: true });
  let sp: ReturnType<typeof samlify.ServiceProvider> | null = null;
  const userMap = new Map(Object.entries(users));

  const api: SamlIdp = {
    url,
    entityId,
    users: userMap,
    lastPosted: null,
    metadata: idp.getMetadata(),
    trustSp(spMetadata) {
      sp = samlify.ServiceProvider({ metadata: spMetadata });
    },
    async requestId(loginRedirect) {
      const q = Object.fromEntries(new URL(loginRedirect).searchParams);
      const parsed = await idp.parseLoginRequest(sp!, 'redirect', { query: q, octetString: '' } as never);
      return (parsed.extract as { request: { id: string } }).request.id;
    },
    async response(user, tweaks) {
      const now = Date.now() + (tweaks.shiftSeconds ?? 0) * 1000;
      const iso = (ms: number) => new Date(ms).toISOString();
      const acs = sp!.entityMeta.getAssertionConsumerService(samlify.Constants.wording.binding.post) as string;
      const ctx = await (tweaks.encrypt ? encryptingIdp : idp).createLoginResponse(
        sp!,
        {} as never,
        'post',
        {},
        {
          customTagReplacement: (template: string) => {
            const id = `_${randomBytes(16).toString('hex')}`;
            const values: Record<string, string> = {
              ID: id,
              AssertionID: tweaks.assertionId ?? `_${randomBytes(16).toString('hex')}`,
              Destination: acs,
              Audience: tweaks.audience ?? sp!.entityMeta.getEntityID(),
              SubjectRecipient: acs,
              Issuer: entityId,
              IssueInstant: iso(now),
              StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
              ConditionsNotBefore: iso(now - 30_000),
              ConditionsNotOnOrAfter: iso(now + 300_000),
              SubjectConfirmationDataNotOnOrAfter: iso(now + 300_000),
              NameIDFormat: TRANSIENT,
              NameID: `_${randomBytes(8).toString('hex')}`,
              InResponseTo: tweaks.inResponseTo ?? '',
            };
            let xml = template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? esc(values[k]) : m));
            xml = xml
              .replace(
                '{AuthnStatement}',
                `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
              )
              .replace('{AttributeStatement}', attributeStatement(user));
            return { id, context: xml };
          },
        },
      );
      return (ctx as { context: string }).context;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };

  // The login page: pick a user, then the browser posts the signed response to the SP's ACS.
  server.on('request', (req, res) => {
    const u = new URL(req.url ?? '/', url);
    const html = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><title>Test IdP</title></head><body>${body}</body></html>`);
    };
    (async () => {
      if (req.method === 'GET' && u.pathname === '/sso') {
        const requestId = await api.requestId(u.href);
        return html(`<h1>Test University login</h1><form method="post" action="/sso/login">
          <input type="hidden" name="requestId" value="${esc(requestId)}">
          <label for="username">Username</label><input id="username" name="username">
          <button type="submit">Log in</button></form>`);
      }
      if (req.method === 'POST' && u.pathname === '/sso/login') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const form = new URLSearchParams(body);
        const user = userMap.get(form.get('username') ?? '');
        if (!user) return html('<h1>Unknown user</h1>');
        const samlResponse = await api.response(user, { inResponseTo: form.get('requestId') ?? '', encrypt: true });
        api.lastPosted = Buffer.from(samlResponse, 'base64').toString();
        const acs = sp!.entityMeta.getAssertionConsumerService(samlify.Constants.wording.binding.post) as string;
        return html(`<form method="post" action="${esc(acs)}"><input type="hidden" name="SAMLResponse" value="${esc(samlResponse)}">
          <noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script>`);
      }
      res.writeHead(404).end();
    })().catch((err) => {
      res.writeHead(500).end(String(err));
    });
  });
  return api;
}
