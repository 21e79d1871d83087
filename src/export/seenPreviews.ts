// Remembered previews, apart from the editor glue so what they store is unit-tested.
import { opaqueId } from '../privacy/opaqueId';

/** The part of VS Code's Memento this needs. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Targets remembered per kind of export: a handful of folders or endpoints, never a growing list. */
const MAX_REMEMBERED = 20;

/**
 * Which targets (a folder and key, an endpoint and team) the user has seen the preview for. Kept
 * in the global state as keyed digests: that state must not hold a path or an endpoint.
 */
export class SeenPreviews {
  constructor(
    private readonly state: StateStore,
    private readonly secret: string,
    private readonly stateKey: string,
  ) {}

  has(target: readonly string[]): boolean {
    return this.ids().includes(this.idOf(target));
  }

  async add(target: readonly string[]): Promise<void> {
    const id = this.idOf(target);
    const ids = [...this.ids().filter((known) => known !== id), id].slice(-MAX_REMEMBERED);
    await this.state.update(this.stateKey, ids);
  }

  private ids(): string[] {
    const stored = this.state.get<unknown>(this.stateKey);
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }

  /** The digest a target is remembered by: the only form of it that may be stored. */
  idOf(target: readonly string[]): string {
    return opaqueId(this.secret, `${this.stateKey}\u0000${target.join('\u0000')}`);
  }
}
