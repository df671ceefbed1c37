import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on (issue 20).
 * - user_identity: which identity provider subject (OIDC `sub`, SAML eduPersonUniqueId /
 *   eduPersonPrincipalName / NameID) is which account; an account links once per issuer.
 * - saml_request: AuthnRequest ids awaiting their response (InResponseTo), shared by
 *   every API process since the IdP may post the response to any of them.
 * - saml_seen_assertion: assertion ids already used, kept until they would have expired
 *   anyway, so a captured assertion cannot be replayed.
 */
export class Sso1765000000004 implements MigrationInterface {
  name = 'Sso1765000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_identity (
        issuer text NOT NULL,
        subject text NOT NULL,
        user_id uuid NOT NULL REFERENCES app_user(id),
        protocol text NOT NULL CHECK (protocol IN ('oidc', 'saml')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, subject)
      )`);
    await q.query(`CREATE UNIQUE INDEX user_identity_user_issuer ON user_identity (user_id, issuer)`);
    await q.query(`CREATE TABLE saml_request (id text PRIMARY KEY, expires_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX saml_request_expires_at ON saml_request (expires_at)`);
    await q.query(`CREATE TABLE saml_seen_assertion (id text PRIMARY KEY, expires_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX saml_seen_assertion_expires_at ON saml_seen_assertion (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE saml_seen_assertion`);
    await q.query(`DROP TABLE saml_request`);
    await q.query(`DROP TABLE user_identity`);
  }
}
