// The extension's parts, owned in one place and disposed in the reverse of their making: with the window, or at once
// when activation fails part-way, so that a failed start leaves no timer, watcher or listener of the parts it did make.
// No `vscode` import: the order and the failure path are unit-tested (test/unit/lifetimes.test.ts).

export interface Disposable {
  /** May return a promise (the ledger writes what it holds); it is awaited, never left floating. */
  dispose(): unknown;
}

export class Lifetimes implements Disposable {
  private readonly parts: Disposable[] = [];
  /** Set by the first dispose: activation may still be making parts when the window closes (it awaits the secret). */
  private disposed = false;

  /** @param onDisposeError told of each part whose disposal threw or rejected; the others are disposed all the same */
  constructor(private readonly onDisposeError: (error: unknown) => void) {}

  /** Owns `part` from now on, and returns it; once the parts are disposed, a part owned later is disposed at once. */
  own<T extends Disposable>(part: T): T {
    this.parts.push(part);
    if (this.disposed) void this.dispose();
    return part;
  }

  /**
   * Disposes every part, the last made first, and settles when every disposal has. Each disposal starts once those of
   * the parts made after it have started (or, when synchronous, ended): a part's own end may still use a part made
   * before it, not one made after it (the status bar asks the dashboard for its warning, and ends after it).
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    const endings: unknown[] = [];
    for (const part of this.parts.splice(0).reverse()) {
      try {
        endings.push(part.dispose());
      } catch (error) {
        this.onDisposeError(error);
      }
    }
    for (const result of await Promise.allSettled(endings)) {
      if (result.status === 'rejected') this.onDisposeError(result.reason);
    }
  }
}
