// Opaque ids (docs/privacy.md): workspace, project and session identifiers are keyed hashes with a
// per-install random secret, so the ledger can group by them without ever holding a name or path.
import { createHmac, randomBytes } from 'node:crypto';

export const OPAQUE_ID_LENGTH = 16;

export function newInstallSecret(): string {
  return randomBytes(32).toString('hex');
}

export function opaqueId(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex').slice(0, OPAQUE_ID_LENGTH);
}

/** Random id with no link to anything (acceptance ids). */
export function randomId(): string {
  return randomBytes(OPAQUE_ID_LENGTH / 2).toString('hex');
}
