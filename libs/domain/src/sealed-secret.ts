import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A secret that must travel through the database without being readable there, such as
 * the invitation link on its way from the API through the outbox and the delivery row
 * to the email (docs/security.md "Invitation tokens"). AES-256-GCM under a key derived
 * (HKDF-SHA-256, per purpose) from AUDIT_KEY, which API and worker hold and the database
 * does not. The database keeps only the token's SHA-256 to look it up on acceptance.
 */
export interface Sealed {
  sealed: string;
}

function keyFor(rootKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(rootKey, 'utf8'), Buffer.alloc(0), `tr-sealed:${purpose}`, 32));
}

export function sealSecret(plaintext: string, rootKey: string, purpose: string): Sealed {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyFor(rootKey, purpose), iv);
  c.setAAD(Buffer.from(purpose, 'utf8'));
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return { sealed: ['v1', purpose, iv.toString('base64url'), body.toString('base64url'), c.getAuthTag().toString('base64url')].join('.') };
}

export function isSealed(v: unknown): v is Sealed {
  return typeof v === 'object' && v !== null && typeof (v as Sealed).sealed === 'string' && (v as Sealed).sealed.startsWith('v1.');
}

/** The plaintext; throws when the value was not sealed under this key (altered, or another key). */
export function openSecret(v: Sealed, rootKey: string): string {
  const [version, purpose, iv, body, tag] = v.sealed.split('.');
  if (version !== 'v1' || !purpose || !iv || body === undefined || !tag) throw new Error('not a sealed value');
  const d = createDecipheriv('aes-256-gcm', keyFor(rootKey, purpose), Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(purpose, 'utf8'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}
