// The extension's parts, owned in one place and disposed in the reverse of their making: with the window, or at once
// when activation fails part-way, so that a failed start leaves no timer, watcher or listener of the parts it did make.
// No `vscode` import: the order and the failure path are unit-tested (test/unit/lifetimes.test.ts).

export interface Disposable {
  /** May return a promise (the ledger writes what it holds); it is awaited, never left floating. */
  dispose(): unknown;
}

export class Lifetimes implements Disposable {
  private readonly parts: Disposable[] = [];

  /** @param onDisposeError told of each part whose disposal threw or rejected; the others are disposed all the same */
  constructor(private readonly onDisposeError: (error: unknown) => void) {}

  /** Owns `part` from now on, and returns it. */
  own<T extends Disposable>(part: T): T {
    this.parts.push(part);
    return part;
  }

  /**
   * Disposes every part, the last made first (a part may use those made before it until it is gone), and settles when
   * every disposal has. Parts owned afterwards wait for the next call.
   */
  async dispose(): Promise<void> {
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
