import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface IdentityLink {
  userId: string;
  issuer: string;
  subject: string;
}

/** Identity-provider links and SAML request/replay bookkeeping (migration 1765000000004). */
/** How an identity was linked (user_identity.protocol; the CHECK constraint lists the same). */
export const SSO_PROTOCOLS = ['oidc', 'saml'] as const;
export type SsoProtocol = (typeof SSO_PROTOCOLS)[number];

@Injectable()
export class SsoRepository {
  /** Serialises first sign-ins of one (issuer, subject) for the rest of the transaction. */
  async lockIdentity(em: EntityManager, issuer: string, subject: string): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [JSON.stringify(['sso', issuer, subject])]);
  }

  async findIdentity(em: EntityManager, issuer: string, subject: string): Promise<IdentityLink | null> {
    const [row] = await em.query<(IdentityLink | undefined)[]>(
      'SELECT user_id AS "userId", issuer, subject FROM user_identity WHERE issuer = $1 AND subject = $2',
      [issuer, subject],
    );
    return row ?? null;
  }

  async hasIdentityAt(em: EntityManager, userId: string, issuer: string): Promise<boolean> {
    const rows = await em.query<unknown[]>('SELECT 1 FROM user_identity WHERE user_id = $1 AND issuer = $2', [userId, issuer]);
    return rows.length > 0;
  }

  async link(em: EntityManager, l: IdentityLink & { protocol: SsoProtocol }): Promise<void> {
    await em.query('INSERT INTO user_identity (issuer, subject, user_id, protocol) VALUES ($1, $2, $3, $4)', [l.issuer, l.subject, l.userId, l.protocol]);
  }

  async touch(em: EntityManager, issuer: string, subject: string): Promise<void> {
    await em.query('UPDATE user_identity SET last_sign_in_at = now() WHERE issuer = $1 AND subject = $2', [issuer, subject]);
  }

  async saveSamlRequest(em: EntityManager, id: string, expiresAt: Date): Promise<void> {
    await em.query('DELETE FROM saml_request WHERE expires_at < now()');
    await em.query('INSERT INTO saml_request (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET expires_at = $2', [id, expiresAt]);
  }

  /** True once for a pending, unexpired request id; the row is gone afterwards. */
  async takeSamlRequest(em: EntityManager, id: string): Promise<boolean> {
    const rows = await em.query<unknown[]>('DELETE FROM saml_request WHERE id = $1 AND expires_at >= now() RETURNING id', [id]);
    return (Array.isArray(rows[0]) ? rows[0] : rows).length > 0;
  }

  /** When a pending, unexpired request expires; null when there is none. */
  async samlRequestExpiry(em: EntityManager, id: string): Promise<Date | null> {
    const [row] = await em.query<({ expires_at: Date | string } | undefined)[]>('SELECT expires_at FROM saml_request WHERE id = $1 AND expires_at >= now()', [
      id,
    ]);
    return row ? new Date(row.expires_at) : null;
  }

  /** Records an assertion id; false when it was seen before (a replay). */
  async markAssertionSeen(em: EntityManager, id: string, expiresAt: Date): Promise<boolean> {
    await em.query('DELETE FROM saml_seen_assertion WHERE expires_at < now()');
    const rows = await em.query<unknown[]>('INSERT INTO saml_seen_assertion (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id', [
      id,
      expiresAt,
    ]);
    return (Array.isArray(rows[0]) ? rows[0] : rows).length > 0;
  }
}
