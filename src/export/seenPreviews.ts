// Remembered previews, apart from the editor glue so what they store is unit-tested.
import * as z from 'zod';
import { opaqueId } from '../privacy/opaqueId';

/** The part of VS Code's Memento this needs. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Targets remembered per kind of export: a handful of folders or endpoints, never a growing list. */
const MAX_REMEMBERED = 20;

/** `shownAt` of a preview the user asked for, or let start at once: nothing to wait for. */
export const ASKED = 0;

/**
 * How early a check may come and still count as the one after the preview: the check that showed the preview and the
 * next one are timers that fire a little late or early (a busy extension host, a sleeping laptop's clock), and a check
 * that missed its wait by a second would put the first export off by a whole interval.
 */
const WAIT_SLACK_MS = 60_000;

/** One remembered target as the global state holds it (read back as found: another build may have written it). */
const Remembered = z.object({
  id: z.string(),
  /** When a preview the user did not ask for was shown (epoch ms), or ASKED. */
  shownAt: z.number().finite(),
});
type Remembered = z.infer<typeof Remembered>;

/**
 * Which targets (a folder and key, an endpoint and team, each with the format's version) the user has seen the
 * preview for, and when. Kept in the global state, which every window shares, as keyed digests: that state must not
 * hold a path or an endpoint. An export that showed its preview on its own promises to start only from its next
 * run, so the time it was shown is kept too: another window, or this one after a reload, waits as long.
 */
export class SeenPreviews {
  constructor(
    private readonly state: StateStore,
    private readonly secret: string,
    private readonly stateKey: string,
  ) {}

  /**
   * Whether an export may write or send to `target` at `now`: `unseen` (show the preview first), `waiting` (shown
   * unasked less than `waitMs` ago, give or take WAIT_SLACK_MS) or `ready`.
   */
  readiness(target: readonly string[], now: number, waitMs: number): 'unseen' | 'waiting' | 'ready' {
    const id = this.idOf(target);
    const shownAt = this.remembered().find((entry) => entry.id === id)?.shownAt;
    if (shownAt === undefined) return 'unseen';
    return shownAt === ASKED || now - shownAt >= waitMs - WAIT_SLACK_MS ? 'ready' : 'waiting';
  }

  async add(target: readonly string[], shownAt: number): Promise<void> {
    const id = this.idOf(target);
    const entries = [...this.remembered().filter((known) => known.id !== id), { id, shownAt }].slice(-MAX_REMEMBERED);
    await this.state.update(this.stateKey, entries);
  }

  private remembered(): Remembered[] {
    const stored = this.state.get<unknown>(this.stateKey);
    if (!Array.isArray(stored)) return [];
    // Entries of an older form (bare ids) name targets without the format's version, which no target matches now.
    return stored.flatMap((entry): Remembered[] => {
      const parsed = Remembered.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** The digest a target is remembered by: the only form of it that may be stored. */
  idOf(target: readonly string[]): string {
    return opaqueId(this.secret, `${this.stateKey}\u0000${target.join('\u0000')}`);
  }
}
