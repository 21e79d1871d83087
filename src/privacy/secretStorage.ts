// Editor glue: the per-install secret behind every opaque id lives in VS Code's SecretStorage
// (the OS keychain where there is one), never in the ledger folder next to the ids it keys.
import * as vscode from 'vscode';
import { newInstallSecret } from './opaqueId';

const SECRET_KEY = 'assay.installSecret';

export async function loadInstallSecret(context: vscode.ExtensionContext): Promise<string> {
  try {
    const existing = await context.secrets.get(SECRET_KEY);
    if (existing) return existing;
    const created = newInstallSecret();
    await context.secrets.store(SECRET_KEY, created);
    return created;
  } catch {
    // Some remote and web hosts have no keychain; the global state is still private to this
    // extension and never exported.
    const fallback = context.globalState.get<string>(SECRET_KEY) ?? newInstallSecret();
    await context.globalState.update(SECRET_KEY, fallback);
    return fallback;
  }
}
