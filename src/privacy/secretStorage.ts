// Editor glue: the per-install secret behind every opaque id lives in VS Code's SecretStorage
// (the OS keychain where there is one), never in the ledger folder next to the ids it keys.
// Only types come from `vscode`, so the way windows agree on one secret is unit-tested.
import type * as vscode from 'vscode';
import { newInstallSecret } from './opaqueId';

const SECRET_KEY = 'assay.installSecret';

/**
 * How long a window that stored a new secret waits before reading back the one kept. Windows that start together may
 * each find none and each store their own; the store that lands last is kept, so each reads it back once the other's
 * has had time to land, and all use one secret (one OpenTelemetry instance, one id per workspace).
 */
const SETTLE_MS = 500;

export interface InstallSecretStores {
  secrets: Pick<vscode.SecretStorage, 'get' | 'store'>;
  globalState: Pick<vscode.Memento, 'get' | 'update'>;
}

export async function loadInstallSecret(context: InstallSecretStores, settleMs = SETTLE_MS): Promise<string> {
  try {
    const existing = await context.secrets.get(SECRET_KEY);
    if (existing) return existing;
    await context.secrets.store(SECRET_KEY, newInstallSecret());
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const kept = await context.secrets.get(SECRET_KEY);
    if (!kept) throw new Error('the secret stored was not kept');
    return kept;
  } catch {
    // Some remote and web hosts have no keychain; the global state is still private to this
    // extension and never exported.
    const fallback = context.globalState.get<string>(SECRET_KEY) ?? newInstallSecret();
    await context.globalState.update(SECRET_KEY, fallback);
    return fallback;
  }
}
