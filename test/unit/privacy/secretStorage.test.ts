import * as assert from 'node:assert/strict';
import { loadInstallSecret, type InstallSecretStores } from '../../../src/privacy/secretStorage';

/** One SecretStorage and global state shared by windows, as the editor keeps them per user; each call takes a few ms. */
function sharedStores(): { window: () => InstallSecretStores; stored: Map<string, string> } {
  const stored = new Map<string, string>();
  const state = new Map<string, unknown>();
  const later = <T>(value: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(value()), 5));
  return {
    stored,
    window: () => ({
      secrets: {
        get: (key: string) => later(() => stored.get(key)),
        store: (key: string, value: string) => later(() => void stored.set(key, value)),
      },
      globalState: {
        get: <T>(key: string) => state.get(key) as T | undefined,
        update: async (key: string, value: unknown) => void state.set(key, value),
      },
    }),
  };
}

describe('install secret', () => {
  it('is one secret for windows that start together and each find none', async () => {
    const stores = sharedStores();
    const secrets = await Promise.all([loadInstallSecret(stores.window(), 50), loadInstallSecret(stores.window(), 50), loadInstallSecret(stores.window(), 50)]);
    assert.equal(new Set(secrets).size, 1, 'windows keyed their ids with different secrets');
    assert.equal(secrets[0], stores.stored.get('assay.installSecret'));
  });

  it('is the stored one for a window that starts later', async () => {
    const stores = sharedStores();
    const first = await loadInstallSecret(stores.window(), 0);
    assert.equal(await loadInstallSecret(stores.window(), 0), first);
  });

  it('falls back to the global state where there is no keychain, the same in every window', async () => {
    const stores = sharedStores();
    const noKeychain = (): InstallSecretStores => ({
      ...stores.window(),
      secrets: { get: () => Promise.reject(new Error('no keychain')), store: () => Promise.reject(new Error('no keychain')) },
    });
    const first = await loadInstallSecret(noKeychain(), 0);
    assert.equal(await loadInstallSecret(noKeychain(), 0), first);
  });
});
