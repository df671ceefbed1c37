import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type { CacheProvider, Profile, SAML } from '@node-saml/node-saml';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, SamlConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { SsoRepository } from '@app/persistence';
import { IdpMetadata, loadIdpMetadata } from './saml-metadata';
import { SsoIdentity } from './provisioning.service';

/** How long an AuthnRequest may wait for its response. */
const REQUEST_TTL_MS = 10 * 60_000;
/** IdP metadata is read again after this long (key rollovers). */
const METADATA_TTL_MS = 60 * 60_000;
/** Kept for replay protection when an assertion carries no NotOnOrAfter. */
const DEFAULT_ASSERTION_LIFETIME_MS = 60 * 60_000;

/** Friendly names of the eduPerson / inetOrgPerson attributes and the OIDs IdPs send them as. */
export const SAML_ATTRIBUTE_OIDS: ReadonlyMap<string, string> = new Map([
  ['eduPersonUniqueId', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.13'],
  ['eduPersonPrincipalName', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6'],
  ['eduPersonEntitlement', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.7'],
  ['eduPersonAffiliation', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1'],
  ['eduPersonScopedAffiliation', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9'],
  ['isMemberOf', 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1'],
  ['mail', 'urn:oid:0.9.2342.19200300.100.1.3'],
  ['displayName', 'urn:oid:2.16.840.1.113730.3.1.241'],
  ['givenName', 'urn:oid:2.5.4.42'],
  ['sn', 'urn:oid:2.5.4.4'],
  ['cn', 'urn:oid:2.5.4.3'],
  ['ou', 'urn:oid:2.5.4.11'],
]);

const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';

/**
 * SAML 2.0 service provider (@node-saml/node-saml): signed assertions required, audience
 * and time conditions with a configured clock skew, InResponseTo tied to requests this
 * service made, and each assertion id accepted once (saml_seen_assertion).
 */
@Injectable()
export class SamlService {
  private idp: { at: number; metadata: Promise<IdpMetadata> } | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly sso: SsoRepository,
  ) {}

  get settings(): SamlConfig {
    const s = this.config.sso.saml;
    if (!s) throw new DomainError(ErrorCode.NOT_FOUND, 'SAML sign-in is not configured (SAML_IDP_METADATA is not set).');
    return s;
  }

  get acsUrl(): string {
    return `${this.config.publicUrl}/api/auth/saml/acs`;
  }

  private metadata(): Promise<IdpMetadata> {
    if (!this.idp || Date.now() - this.idp.at > METADATA_TTL_MS) {
      const metadata = loadIdpMetadata(this.settings.idpMetadata);
      this.idp = { at: Date.now(), metadata };
      metadata.catch(() => (this.idp = null));
    }
    return this.idp.metadata.catch((err) => {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `The identity provider's metadata could not be read: ${err instanceof Error ? err.message : err}`);
    });
  }

  /** Pending request ids live in PostgreSQL: the IdP may post the response to any API process. */
  private cache(): CacheProvider {
    const { ds, sso } = this;
    return {
      async saveAsync(key: string, value: string) {
        await sso.saveSamlRequest(ds.manager, key, new Date(Date.now() + REQUEST_TTL_MS));
        return { value, createdAt: Date.now() };
      },
      // node-saml wants the request's creation time back (it checks the age itself).
      async getAsync(key: string) {
        const expires = await sso.samlRequestExpiry(ds.manager, key);
        return expires ? new Date(expires.getTime() - REQUEST_TTL_MS).toISOString() : null;
      },
      async removeAsync(key: string | null) {
        if (!key) return null;
        return (await sso.takeSamlRequest(ds.manager, key)) ? key : null;
      },
    };
  }

  private spKeys: { key: string; cert: string } | null | undefined;

  /** The SP's own key pair (SAML_SP_PRIVATE_KEY / SAML_SP_CERTIFICATE), read once. */
  private keys(): { key: string; cert: string } | null {
    if (this.spKeys === undefined) {
      const s = this.settings;
      this.spKeys =
        s.spPrivateKeyFile && s.spCertificateFile ? { key: readFileSync(s.spPrivateKeyFile, 'utf8'), cert: readFileSync(s.spCertificateFile, 'utf8') } : null;
    }
    return this.spKeys;
  }

  private saml(idp: IdpMetadata | null): SAML {
    const s = this.settings;
    const keys = this.keys();
    // Loaded on first use, not at boot: node-saml and its XML libraries are ~15 MB of RSS
    // that an API without SAML sign-in never needs (issue 17, RSS).
    const { SAML, ValidateInResponseTo } = require('@node-saml/node-saml') as typeof import('@node-saml/node-saml');
    return new SAML({
      // Encrypted assertions are decrypted with this key; they must still be signed inside.
      decryptionPvk: keys?.key,
      callbackUrl: this.acsUrl,
      issuer: s.spEntityId,
      audience: s.spEntityId,
      entryPoint: idp?.ssoUrl,
      idpIssuer: idp?.entityId,
      // Metadata generation needs no IdP; validation always has one.
      idpCert: idp?.signingCerts ?? ['unused'],
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: this.config.sso.clockSkewSeconds * 1000,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: REQUEST_TTL_MS,
      cacheProvider: this.cache(),
      identifierFormat: null,
      disableRequestedAuthnContext: true,
      signatureAlgorithm: 'sha256',
    });
  }

  serviceProviderMetadata(): string {
    return this.saml(null).generateServiceProviderMetadata(this.keys()?.cert ?? null, null);
  }

  async loginUrl(): Promise<string> {
    return this.saml(await this.metadata()).getAuthorizeUrlAsync('', undefined, {});
  }

  /** Validates a posted SAMLResponse and returns who it names; refusals say why. */
  async acs(body: Record<string, unknown>): Promise<SsoIdentity> {
    const samlResponse = body?.SAMLResponse;
    if (typeof samlResponse !== 'string' || !samlResponse) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'SAMLResponse: the identity provider posted no SAML response.');
    }
    const idp = await this.metadata();
    const { profile, loggedOut } = await this.saml(idp).validatePostResponseAsync({ SAMLResponse: samlResponse });
    if (!profile || loggedOut) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The SAML response carried no sign-in.');
    await this.acceptOnce(profile);
    return this.identity(profile, idp);
  }

  private async acceptOnce(profile: Profile): Promise<void> {
    const assertion = (profile.getAssertion?.() as { Assertion?: { $?: { ID?: string }; Conditions?: { $?: { NotOnOrAfter?: string } }[] } } | undefined)
      ?.Assertion;
    const id = assertion?.$?.ID;
    if (!id) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The SAML assertion has no ID, so a replay could not be told apart.');
    const notOnOrAfter = Date.parse(assertion?.Conditions?.[0]?.$?.NotOnOrAfter ?? '');
    const keepUntil = new Date(
      (Number.isFinite(notOnOrAfter) ? notOnOrAfter : Date.now() + DEFAULT_ASSERTION_LIFETIME_MS) + this.config.sso.clockSkewSeconds * 1000,
    );
    if (!(await this.sso.markAssertionSeen(this.ds.manager, JSON.stringify([profile.issuer, id]), keepUntil))) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This SAML assertion was already used (a replay); sign in again.');
    }
  }

  identity(profile: Profile, idp: IdpMetadata): SsoIdentity {
    const s = this.settings;
    const attrs = (profile.attributes ?? {}) as Record<string, unknown>;
    const values = (name: string): string[] => {
      const v = attrs[name] ?? attrs[SAML_ATTRIBUTE_OIDS.get(name) ?? ''];
      return (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
    };
    const first = (name: string) => values(name)[0] ?? null;
    const subject = first('eduPersonUniqueId') ?? first('eduPersonPrincipalName') ?? (profile.nameIDFormat === PERSISTENT ? profile.nameID : null);
    if (!subject) {
      throw new DomainError(
        ErrorCode.UNAUTHENTICATED,
        'The identity provider released no stable identifier (eduPersonUniqueId, eduPersonPrincipalName or a persistent NameID); ask IT to release one to this service.',
      );
    }
    const name = first('displayName') ?? ([first('givenName'), first('sn')].filter(Boolean).join(' ') || first('cn'));
    return {
      protocol: 'saml',
      issuer: profile.issuer || idp.entityId,
      subject,
      email: first('mail'),
      // The institution's IdP is the authority for its own staff's mail addresses.
      emailVerified: true,
      name,
      groups: values(s.roleAttribute),
      departmentCode: s.departmentAttribute ? first(s.departmentAttribute) : null,
    };
  }
}
