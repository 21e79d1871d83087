// Polling for what the extension does on its own time (ledger flushes, imports, reload verdicts), instead of sleeping.

/** The first value `probe` gives that is not undefined; throws after `timeoutMs`, with `state()` in the message. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, state?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${state ? ` (${state()})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
