// Keeps the number of segment files bounded (docs/ledger.md, Compaction). Every window writes a segment a day and
// imports add one a day, so a year of use would leave thousands of files for every read to open.
// Compaction merges the segments of each month whose days are all settled (no writer still appends
// to them: writers only ever write to the current UTC day's file) into one segment per month.
//
// It never loses or doubles an event, whenever it is stopped:
// - the merged file is written under a temporary name, synced, then renamed into place: before the
//   rename nothing has changed, after it the merged file and its sources hold the same events. A file
//   naming those sources (segments.ts mergedSourcesName) is in place first, and readers skip the
//   sources it names while the merged file exists: events with ids would count once anyway
//   (dedupe.ts), but activity lines older than activity ids, and lines kept as they are, would not;
// - the sources are then removed in ledger order, so what remains of them after a crash is always
//   their tail, and the latest copy of a usage event is either still there (and last) or only in
//   the merged file;
// - the merged file's name sorts before the month's other files and after any earlier merge of
//   the same month, so ledger order is kept.
// It runs under the import lock, so two compactions (or a compaction and an import's upserts) never
// interleave. The rollup cache sees the sources gone and rebuilds, which costs seconds on a year of
// heavy use, so compaction waits until enough settled segments have piled up (weeks of use) and
// then merges them all at once.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { acquireImportLock } from './importLock';
import { PRIVATE_FILE_MODE, syncDirectory } from '../privacy/privateFiles';
import { dedupeEvents } from './dedupe';
import type { LedgerEvent } from './events';
import { isMergedSegmentName, listSegments, mergedSegmentName, mergedSourcesName, mergesInProgress, parseLedgerLine, scanLines, segmentDay, segmentsDir } from './segments';
import { MS_PER_DAY } from '../calendar/dates';

/** Days before today (UTC) whose segments no writer appends to any more; one more than needed, for clock skew. */
const SETTLED_AFTER_DAYS = 2;
/** Settled segments, not counting earlier merges, that make a compaction worth a rollup rebuild. */
const DEFAULT_COMPACT_AFTER_SEGMENTS = 60;

export interface CompactionResult {
  /** `locked`: an import or another compaction holds the lock; nothing was done. */
  status: 'done' | 'locked';
  /** Source segments merged (and removed). */
  merged: number;
  /** Merged segments written. */
  written: number;
  /** Torn lines (crash artefacts, not events) left behind. */
  droppedTornLines: number;
}

export interface CompactionOptions {
  now?: () => number;
  /** Compact once more than this many settled segments (earlier merges aside) exist. */
  afterSegments?: number;
}


export async function compactLedger(storageDir: string, options: CompactionOptions = {}): Promise<CompactionResult> {
  const release = await acquireImportLock(storageDir, { waitMs: 0 });
  if (!release) return { status: 'locked', merged: 0, written: 0, droppedTornLines: 0 };
  try {
    return await compactUnderLock(storageDir, (options.now ?? Date.now)(), options.afterSegments ?? DEFAULT_COMPACT_AFTER_SEGMENTS);
  } finally {
    await release();
  }
}

/**
 * Finishes what a stopped compaction left: the segments a merged segment in place holds are removed, and a list whose
 * merged segment never appeared (stopped before its rename: its segments are intact) is dropped.
 */
async function finishStoppedMerges(directory: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch {
    return;
  }
  const present = new Set(names);
  for (const merge of await mergesInProgress(directory, names)) {
    const list = path.join(directory, merge.list);
    if (merge.mergedInPlace) await removeMerged(directory, merge.sources.filter((name) => present.has(name)), list);
    else await fs.rm(list, { force: true });
  }
}

async function compactUnderLock(storageDir: string, now: number, afterSegments: number): Promise<CompactionResult> {
  const result: CompactionResult = { status: 'done', merged: 0, written: 0, droppedTornLines: 0 };
  await finishStoppedMerges(segmentsDir(storageDir));
  const lastSettledDay = segmentDay(now - SETTLED_AFTER_DAYS * MS_PER_DAY);
  const byMonth = new Map<string, string[]>();
  let unmerged = 0;
  for (const { name } of (await listSegments(storageDir)).files) {
    const day = name.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day > lastSettledDay) continue;
    const month = day.slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), name]);
    if (!isMergedSegmentName(name)) unmerged += 1;
  }
  if (unmerged <= afterSegments) return result;
  for (const [month, names] of byMonth) {
    if (names.length < 2) continue;
    result.droppedTornLines += await mergeMonth(storageDir, month, names, now);
    result.merged += names.length;
    result.written += 1;
  }
  return result;
}

/** Merges `names` (in ledger order) into one segment and removes them; returns the torn lines dropped. */
async function mergeMonth(storageDir: string, month: string, names: string[], now: number): Promise<number> {
  const directory = segmentsDir(storageDir);
  const events: LedgerEvent[] = [];
  // Lines that are JSON but not events of this schema are kept as they are: they are counted and
  // reported by every reader, and a later version may read them.
  const invalidLines: string[] = [];
  let tornLines = 0;
  for (const name of names) {
    const { tail } = await scanLines(path.join(directory, name), 0, Number.MAX_SAFE_INTEGER, (line) => {
      const parsed = parseLedgerLine(line);
      if (parsed.kind === 'event') events.push(parsed.event);
      else if (parsed.kind === 'invalid') invalidLines.push(line);
      else if (parsed.kind === 'torn') tornLines += 1;
    });
    if (tail.trim() !== '') tornLines += 1;
  }
  const lines = dedupeEvents(events).map((event) => JSON.stringify(event));
  lines.push(...invalidLines);

  const targetName = mergedSegmentName(month, now);
  const target = path.join(directory, targetName);
  const sources = path.join(directory, mergedSourcesName(targetName));
  await writeSynced(sources, [JSON.stringify(names.filter((name) => name !== targetName))]);
  await syncDirectory(directory);
  await writeSynced(target, lines);
  await syncDirectory(directory);
  await removeMerged(directory, names.filter((name) => name !== targetName), sources);
  return tornLines;
}

/** Removes `merged` (in ledger order), then the file naming them. */
async function removeMerged(directory: string, merged: readonly string[], sources: string): Promise<void> {
  for (const name of merged) await fs.rm(path.join(directory, name), { force: true });
  await syncDirectory(directory);
  await fs.rm(sources, { force: true });
}

/** `lines` written under a temporary name, synced, then renamed to `target`. */
async function writeSynced(target: string, lines: readonly string[]): Promise<void> {
  const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await fs.open(temporary, 'wx', PRIVATE_FILE_MODE);
    try {
      for (let at = 0; at < lines.length; at += 10_000) {
        await file.write(`${lines.slice(at, at + 10_000).join('\n')}\n`);
      }
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
