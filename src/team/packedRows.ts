// A summary file's validated rows, packed for the merge: its distinct strings (dates, categories,
// checkpoint keys) once, and every row's figures as numbers in one Float64Array. The merge reads
// files in worker threads (./summaryReaders.ts); a packed file crosses to the merging thread as one
// transferred buffer, where row objects would cost a structured clone slower than the JSON.parse
// they came from, and it is added into the groups with no object per row. The merge adds rows in
// the same order whether they were read in a worker or not, so the sums (costs are not integers)
// do not depend on how many threads read the files.
import { AGENT_CHECKPOINT_KEYS } from './summarySchema';
import type { InlineLine, UsageLine } from './summarySchema';

/**
 * Row layouts in `values` (string fields are indices into `strings`):
 *   inline: INLINE_ROW, date, languageId, provider, acceptances full, word, line, acceptedChars,
 *           acceptedLines, opportunities, typedChars, aiChars, the number of retention cells,
 *           agentEditsInEditor, agentCharsInEditor (0 when the line has none), then per cell: checkpoint,
 *           known, chars, arc, unchanged, mostlyRetained.
 *   usage:  USAGE_ROW, date, source, model, inputTokens, outputTokens, reasoningTokens,
 *           cacheReadTokens, cacheWriteTokens, costUSD (NaN when unpriced), requests,
 *           requestsWithoutTokens, then the standard and the long-context tier: inputTokens,
 *           outputTokens, reasoningTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens,
 *           then agent output: 1 when the line reports it (schema ≥ 3) else 0, agentEdits,
 *           linesAdded, linesRemoved, wasteTokens, and per AGENT_CHECKPOINT_KEYS checkpoint in order:
 *           known, linesAdded, linesKept (all 0 for a checkpoint the line has no cell for). The
 *           checkpoints are few and fixed, so each has its place and no key is packed.
 */
export const INLINE_ROW = 0;
const USAGE_ROW = 1;
/** Numbers before an inline row's retention cells. */
export const INLINE_FIXED = 15;
export const RETENTION_CELL_SIZE = 6;
/** Where a usage row's agent output starts: the flag that says whether the line reports it. */
export const USAGE_AGENT = 24;
/** Where the first agent checkpoint's cell starts, and the numbers of one cell. */
export const USAGE_AGENT_CELLS = USAGE_AGENT + 5;
export const AGENT_CELL_SIZE = 3;
export const USAGE_SIZE = USAGE_AGENT_CELLS + AGENT_CHECKPOINT_KEYS.length * AGENT_CELL_SIZE;

export interface PackedRows {
  strings: string[];
  values: Float64Array<ArrayBuffer>;
  /** Rows packed. */
  rows: number;
}

/** Packs validated rows in file order. */
export class RowPacker {
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  private values = new Float64Array(4096);
  private length = 0;
  private rows = 0;

  add(line: InlineLine | UsageLine): void {
    if (line.kind === 'inline') this.addInline(line);
    else this.addUsage(line);
    this.rows++;
  }

  /** The packed rows; the buffer holds exactly the rows, so it can be transferred as it is. */
  finish(): PackedRows {
    return { strings: this.strings, values: this.values.slice(0, this.length), rows: this.rows };
  }

  private addInline(line: InlineLine): void {
    const checkpoints = Object.keys(line.retention);
    const at = this.reserve(INLINE_FIXED + checkpoints.length * RETENTION_CELL_SIZE);
    const v = this.values;
    v[at] = INLINE_ROW;
    v[at + 1] = this.stringIndex(line.date);
    v[at + 2] = this.stringIndex(line.languageId);
    v[at + 3] = this.stringIndex(line.provider);
    v[at + 4] = line.acceptances.full;
    v[at + 5] = line.acceptances.word;
    v[at + 6] = line.acceptances.line;
    v[at + 7] = line.acceptedChars;
    v[at + 8] = line.acceptedLines;
    v[at + 9] = line.opportunities;
    v[at + 10] = line.typedChars;
    v[at + 11] = line.aiChars;
    v[at + 12] = checkpoints.length;
    v[at + 13] = line.agentEditsInEditor ?? 0;
    v[at + 14] = line.agentCharsInEditor ?? 0;
    let cell = at + INLINE_FIXED;
    for (const checkpoint of checkpoints) {
      const figures = line.retention[checkpoint];
      v[cell] = this.stringIndex(checkpoint);
      v[cell + 1] = figures.known;
      v[cell + 2] = figures.chars;
      v[cell + 3] = figures.arc;
      v[cell + 4] = figures.unchanged;
      v[cell + 5] = figures.mostlyRetained;
      cell += RETENTION_CELL_SIZE;
    }
  }

  private addUsage(line: UsageLine): void {
    const at = this.reserve(USAGE_SIZE);
    const v = this.values;
    v[at] = USAGE_ROW;
    v[at + 1] = this.stringIndex(line.date);
    v[at + 2] = this.stringIndex(line.source);
    v[at + 3] = this.stringIndex(line.model);
    v[at + 4] = line.inputTokens;
    v[at + 5] = line.outputTokens;
    v[at + 6] = line.reasoningTokens;
    v[at + 7] = line.cacheReadTokens;
    v[at + 8] = line.cacheWriteTokens;
    v[at + 9] = line.costUSD ?? Number.NaN;
    v[at + 10] = line.requests;
    v[at + 11] = line.requestsWithoutTokens;
    const tiers = line.tokens;
    if (tiers) {
      packTier(v, at + 12, tiers.standard);
      packTier(v, at + 18, tiers.longContext);
    } else {
      // Schema 1 lines have no tiers: their tokens are taken as standard-tier, cache writes as 5-minute writes.
      packTier(v, at + 12, {
        inputTokens: line.inputTokens,
        outputTokens: line.outputTokens,
        reasoningTokens: line.reasoningTokens,
        cacheReadTokens: line.cacheReadTokens,
        cacheWrite5mTokens: line.cacheWriteTokens,
        cacheWrite1hTokens: 0,
      });
      // The long-context tier stays zero: reserve() hands out zeroed space.
    }
    // Lines before schema 3 leave the agent output zeroed, its flag 0: unknown, not none.
    if (line.agentRetention === undefined) return;
    v[at + USAGE_AGENT] = 1;
    v[at + USAGE_AGENT + 1] = line.agentEdits ?? 0;
    v[at + USAGE_AGENT + 2] = line.linesAdded ?? 0;
    v[at + USAGE_AGENT + 3] = line.linesRemoved ?? 0;
    v[at + USAGE_AGENT + 4] = line.wasteTokens ?? 0;
    AGENT_CHECKPOINT_KEYS.forEach((checkpoint, i) => {
      const cell = line.agentRetention?.[checkpoint];
      if (!cell) return;
      const to = at + USAGE_AGENT_CELLS + i * AGENT_CELL_SIZE;
      v[to] = cell.known;
      v[to + 1] = cell.linesAdded;
      v[to + 2] = cell.linesKept;
    });
  }

  private stringIndex(text: string): number {
    let index = this.index.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.index.set(text, index);
    }
    return index;
  }

  /** Zeroed space for `size` numbers; returns where it starts. */
  private reserve(size: number): number {
    const at = this.length;
    if (at + size > this.values.length) {
      const grown = new Float64Array(Math.max(this.values.length * 2, at + size));
      grown.set(this.values.subarray(0, at));
      this.values = grown;
    }
    this.length = at + size;
    return at;
  }
}

type Tier = NonNullable<UsageLine['tokens']>['standard'];

function packTier(values: Float64Array, at: number, tier: Tier): void {
  values[at] = tier.inputTokens;
  values[at + 1] = tier.outputTokens;
  values[at + 2] = tier.reasoningTokens;
  values[at + 3] = tier.cacheReadTokens;
  values[at + 4] = tier.cacheWrite5mTokens;
  values[at + 5] = tier.cacheWrite1hTokens;
}
