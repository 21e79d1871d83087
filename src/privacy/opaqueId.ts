// Opaque ids (docs/privacy.md): workspace, project and session identifiers are keyed hashes with a
// per-install random secret, so the ledger can group by them without ever holding a name or path.
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

export const OPAQUE_ID_LENGTH = 16;

export function newInstallSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * `secret` made ready for many HMACs: given as a string, every HMAC converts and imports it again, a sixth of its cost
 * (an import computes tens of thousands). The same digests as with the string.
 */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

export function opaqueId(secret: string | KeyObject, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex').slice(0, OPAQUE_ID_LENGTH);
}

/** Random id with no link to anything (acceptance ids). */
export function randomId(): string {
  return randomBytes(OPAQUE_ID_LENGTH / 2).toString('hex');
}
