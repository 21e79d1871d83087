// The k rule (docs/privacy.md): no figure describes fewer than k distinct developers. Within one
// breakdown, groups under k fold into `other`; `other` must itself reach k or be empty, else the
// next-smallest shown group folds into it too (complementary suppression), so subtracting the
// shown groups from the shown total never isolates a small group.
import { OTHER } from '../privacy/allowlists';
import { compareText } from '../report/rollup';
import type { Group } from './merge';

export const DEFAULT_MIN_GROUP = 5;
export const LOWEST_MIN_GROUP = 3;

export interface Folded<Figures> {
  /** Groups of at least k developers, in the input's order. */
  shown: Array<Group<Figures>>;
  /** Everything else, of at least k developers; null when nothing was folded. */
  other: Group<Figures> | null;
  /** Groups folded into `other` (a group already named `other` not counted). */
  folded: number;
  /** True when even all groups together have fewer than k developers: nothing of this breakdown may be shown. */
  hidden: boolean;
}

/**
 * Folds `groups` (disjoint parts of one whole) for `k`. A group keyed `other` (an allowlist's
 * catch-all) always goes into the fold. `add(target, figures)` adds figures into a target made by `empty()`.
 */
export function foldSmallGroups<Figures>(
  groups: ReadonlyArray<Group<Figures>>,
  k: number,
  empty: () => Figures,
  add: (target: Figures, figures: Figures) => void,
): Folded<Figures> {
  const bySize = [...groups].sort((a, b) => a.developers.size - b.developers.size || compareText(a.key, b.key));
  const foldedKeys = new Set<string>();
  const otherDevelopers = new Set<number>();
  const fold = (group: Group<Figures>) => {
    foldedKeys.add(group.key);
    for (const developer of group.developers) otherDevelopers.add(developer);
  };
  for (const group of bySize) if (group.key === OTHER || group.developers.size < k) fold(group);
  for (const group of bySize) {
    if (otherDevelopers.size === 0 || otherDevelopers.size >= k) break;
    if (!foldedKeys.has(group.key)) fold(group);
  }
  return foldedResult(groups, foldedKeys, otherDevelopers, k, empty, add);
}

function foldedResult<Figures>(
  groups: ReadonlyArray<Group<Figures>>,
  foldedKeys: ReadonlySet<string>,
  otherDevelopers: Set<number>,
  k: number,
  empty: () => Figures,
  add: (target: Figures, figures: Figures) => void,
): Folded<Figures> {
  if (otherDevelopers.size > 0 && otherDevelopers.size < k) return { shown: [], other: null, folded: groups.length, hidden: true };
  const shown = groups.filter((group) => !foldedKeys.has(group.key));
  if (foldedKeys.size === 0) return { shown, other: null, folded: 0, hidden: false };
  const figures = empty();
  for (const group of groups) if (foldedKeys.has(group.key)) add(figures, group.figures);
  const folded = groups.filter((group) => foldedKeys.has(group.key) && group.key !== OTHER).length;
  return { shown, other: { key: OTHER, developers: otherDevelopers, figures }, folded, hidden: false };
}

/** Adds groups that share a key (e.g. days into weeks): figures summed, developer sets united. */
export function regroup<Figures>(
  groups: Iterable<Group<Figures>>,
  keyOf: (group: Group<Figures>) => string,
  empty: () => Figures,
  add: (target: Figures, figures: Figures) => void,
): Array<Group<Figures>> {
  const merged = new Map<string, Group<Figures>>();
  for (const group of groups) {
    const key = keyOf(group);
    let target = merged.get(key);
    if (!target) merged.set(key, (target = { key, developers: new Set(), figures: empty() }));
    for (const developer of group.developers) target.developers.add(developer);
    add(target.figures, group.figures);
  }
  return [...merged.values()].sort((a, b) => compareText(a.key, b.key));
}
