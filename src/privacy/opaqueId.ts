// Opaque ids (docs/privacy.md): workspace, project and session identifiers are keyed hashes with a
// per-install random secret, so the ledger can group by them without ever holding a name or path.
import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmacSha256';

export const OPAQUE_ID_LENGTH = 16;

export function newInstallSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * `secret` made ready for many HMACs (an import computes tens of thousands): its padded key blocks are hashed once,
 * not for every id. The same digests as with the string.
 */
export function hmacKey(secret: string): HmacSha256 {
  return new HmacSha256(Buffer.from(secret, 'utf8'));
}

/**
 * A key given as a string is used once, by node:crypto: preparing it for many ids would cost more than it saves, and the
 * extension host, which makes only a few ids, then carries no hand-written HMAC.
 */
export function opaqueId(secret: string | HmacSha256, value: string): string {
  if (typeof secret === 'string') return createHmac('sha256', secret).update(value, 'utf8').digest('hex').slice(0, OPAQUE_ID_LENGTH);
  return secret.hex(value, OPAQUE_ID_LENGTH);
}

/** Random id with no link to anything (acceptance ids). */
export function randomId(): string {
  return randomBytes(OPAQUE_ID_LENGTH / 2).toString('hex');
}
