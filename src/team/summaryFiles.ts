// The file side of team summaries, shared by `assay team export` and the editor's export commands:
// the install id from the ledger's key, the summary of a ledger, and the write into a shared folder.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { loadImportSecret } from '../importers/importSecret';
import { loadDailyRollup } from '../report/rollupCache';
import { SafeMessageError } from '../privacy/errors';
import { SHARED_FILE_MODE, writeFileAtomic } from '../privacy/privateFiles';
import type { Pricer } from '../pricing/types';
import { localDate } from '../calendar/dates';
import { filterRollup, priceUsageRows } from '../report/rollup';
import { buildTeamSummary, encodeTeamSummary, installIdFromImportSecret, summaryFileName, summaryFilePrefix, teamDeveloperId } from './summary';
import type { SummarySeat } from './summary';
import { claimRange, compareRecency, coversRange, TeamMerge } from './merge';
import type { MergeFilter, ParsedSummaryFile } from './merge';
import { readSummaryHeader, SummaryReaders } from './summaryReaders';
import { EARLIEST_SUMMARY_DAY } from './summarySchema';
import type { ExportLine, TeamSummaryLine } from './summarySchema';

/**
 * This install's id for team summaries. Derived from the ledger's import id key rather than kept
 * in a file of its own, so the `assay` CLI on this ledger and the editor give the same developer id.
 */
export async function installIdFor(storageDir: string): Promise<string> {
  return installIdFromImportSecret(await loadImportSecret(storageDir));
}

/** A team key file holds one line; anything longer than this is not a key. */
const MAX_TEAM_KEY_BYTES = 4096;

/** The team key from a file (trimmed); throws a message without the key or the file's content. */
export async function readTeamKeyFile(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_TEAM_KEY_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_TEAM_KEY_BYTES) throw new SafeMessageError(`the team key file is longer than ${MAX_TEAM_KEY_BYTES} bytes`);
    const key = buffer.subarray(0, bytesRead).toString('utf8').trim();
    if (key.length === 0) throw new SafeMessageError('the team key file is empty');
    return key;
  } finally {
    await handle.close();
  }
}

/**
 * Keys the developer id when no team key is given: the same install then has the same id in every
 * folder it exports to, which is what merging one's own machines needs and what a team must not use.
 */
const PERSONAL_KEY = 'assay personal summaries';

/** Said whenever a summary is written under the personal key; `keySetting` names where a team key is given. */
export function personalKeyNote(keySetting: string): string {
  return (
    `No team key is set (${keySetting}): your id in this summary is the one this install has in every folder it ` +
    'exports to without a key, which is right for merging your own machines. For a team, use the key file the team ' +
    'shares, so that your id is one only this team sees.'
  );
}

/** This install's developer id under `teamKey` (null: the personal key, see PERSONAL_KEY). */
export async function developerIdFor(storageDir: string, teamKey: string | null): Promise<string> {
  return teamDeveloperId(teamKey ?? PERSONAL_KEY, await installIdFor(storageDir));
}

/**
 * The seats of the newest summary `developerId` wrote into `folder` (named as summaryFileName names it, with a valid
 * export line of theirs), or undefined when there is none. `assay team export` has no settings to read: without
 * --seats it lists the plans the developer's last export listed, since its days replace that export's, seats included.
 */
export async function seatsOfLastExport(folder: string, developerId: string): Promise<SummarySeat[] | undefined> {
  const prefix = summaryFilePrefix(developerId);
  const names = (await fs.readdir(folder)).filter((name) => name.startsWith(prefix) && name.endsWith(SUMMARY_FILE_EXTENSION));
  const exports: Array<{ name: string; header: ExportLine }> = [];
  for (const name of names) {
    const found = readSummaryHeader(path.join(folder, name));
    if (found.kind === 'header' && found.header.developer === developerId) exports.push({ name, header: found.header });
  }
  return exports.sort(compareRecency)[0]?.header.seats;
}

export interface PrepareTeamSummaryOptions {
  storageDir: string;
  /** Null: the personal key (see PERSONAL_KEY). */
  teamKey: string | null;
  pricer: Pricer;
  seats: readonly SummarySeat[];
  timeZone: string;
  /** Default: the ledger's first day. */
  since?: string;
  /** Default: today in `timeZone`. */
  until?: string;
  now?: Date;
}

export interface PreparedTeamSummary {
  developerId: string;
  since: string;
  until: string;
  fileName: string;
  lines: TeamSummaryLine[];
  /** Exactly what `writeTeamSummaryFile` writes: show these bytes as the preview. */
  bytes: string;
  /** Ledger lines skipped as invalid or torn (reported to the user, never fatal). */
  skippedLedgerLines: number;
}

/** The summary of one ledger, as `assay report daily` computes its rows. */
export async function prepareTeamSummary(options: PrepareTeamSummaryOptions): Promise<PreparedTeamSummary> {
  const now = options.now ?? new Date();
  const loaded = await loadDailyRollup(options.storageDir, { timeZone: options.timeZone });
  // A file speaks for days up to the one it is made on and none before 2000: the merge refuses a file claiming others.
  const today = localDate(now.getTime(), options.timeZone);
  const until = options.until !== undefined && options.until < today ? options.until : today;
  const firstDay = [loaded.inline[0]?.date, loaded.usage[0]?.date].filter((date): date is string => date !== undefined).sort()[0];
  const wanted = options.since ?? (firstDay !== undefined && firstDay < until ? firstDay : until);
  const since = wanted < EARLIEST_SUMMARY_DAY ? EARLIEST_SUMMARY_DAY : wanted;
  if (since > until) throw new SafeMessageError(`no day of the range is from ${EARLIEST_SUMMARY_DAY} to today: nothing to export`);
  const days = filterRollup(loaded, { since, until });
  const developerId = await developerIdFor(options.storageDir, options.teamKey);
  const lines = buildTeamSummary({
    inline: days.inline,
    usage: priceUsageRows(days.usage, options.pricer),
    seats: options.seats,
    developerId,
    since,
    until,
    exportedAt: now,
  });
  return {
    developerId,
    since,
    until,
    fileName: summaryFileName(developerId, since, until),
    lines,
    bytes: encodeTeamSummary(lines),
    skippedLedgerLines: loaded.invalidLines + loaded.tornLines,
  };
}

/**
 * Writes one summary into a shared folder (a network share, a synced drive, a git checkout): to a
 * temporary name in that folder, then renamed over `fileName`, so a reader or a sync client never
 * sees half a file and no other file of the folder is touched. Returns the file's path.
 */
export async function writeTeamSummaryFile(outDir: string, fileName: string, bytes: string): Promise<string> {
  if (path.basename(fileName) !== fileName || !fileName.endsWith('.ndjson')) throw new SafeMessageError('not a summary file name');
  const target = path.join(outDir, fileName);
  // Readable by teammates who can read the folder: the file exists to be shared, and holds only
  // what its preview showed.
  await writeFileAtomic(target, bytes, SHARED_FILE_MODE);
  return target;
}

/** Summary files are the folder's `*.ndjson` files; anything else there (temporary files of a write in progress, notes, a .git folder) is not looked at. */
const SUMMARY_FILE_EXTENSION = '.ndjson';

/** Files read ahead of the merge, so the reader threads never wait for it. */
const READ_AHEAD_FILES = 8;

/**
 * Merges every summary file of `folder` (not its subfolders). Each file's first line is read to
 * order the files newest first; then files are read whole, validated and added in that order, a
 * few ahead in reader threads (./summaryReaders.ts), so memory holds a few files and the merged
 * groups, never the folder.
 */
export async function mergeSummaryFolder(folder: string, filter: MergeFilter = {}, threads?: number): Promise<TeamMerge> {
  const merge = new TeamMerge(filter);
  const names = (await fs.readdir(folder)).filter((name) => name.endsWith(SUMMARY_FILE_EXTENSION)).sort();
  const readers = new SummaryReaders(threads);
  try {
    const ordered: Array<{ name: string; header: ExportLine }> = [];
    const headers = await readers.headers(names.map((name) => path.join(folder, name)));
    headers.forEach((found, i) => {
      if (found.kind === 'header') ordered.push({ name: names[i], header: found.header });
      else if (found.kind === 'skipped') merge.skip(names[i], found.reason);
    });
    ordered.sort(compareRecency);
    // Files that newer files would supersede if those all turn out valid are not read ahead; one
    // is read when it is reached and a bad newer file left some of its days to it.
    const readAhead = readAheadOrder(ordered);
    const reads = new Map<number, Promise<ParsedSummaryFile>>();
    let next = 0;
    for (let index = 0; index < ordered.length; index++) {
      for (; next < readAhead.length && reads.size < READ_AHEAD_FILES; next++) {
        const read = readers.file(path.join(folder, ordered[readAhead[next]].name));
        // Awaited when its turn comes; a read no longer needed must not fail unobserved.
        read.catch(() => undefined);
        reads.set(readAhead[next], read);
      }
      const { name, header } = ordered[index];
      const read = reads.get(index);
      reads.delete(index);
      if (merge.isSuperseded(header)) continue;
      merge.addFile(name, await (read ?? readers.file(path.join(folder, name), true)));
    }
  } finally {
    await readers.close();
  }
  return merge;
}

/** Indices of `ordered` (newest first) whose days the files before them do not all cover. */
function readAheadOrder(ordered: ReadonlyArray<{ header: ExportLine }>): number[] {
  const claimed = new Map<string, Set<number>>();
  const needed: number[] = [];
  ordered.forEach(({ header }, index) => {
    let days = claimed.get(header.developer);
    if (!days) claimed.set(header.developer, (days = new Set()));
    if (coversRange(days, header)) return;
    claimRange(days, header);
    needed.push(index);
  });
  return needed;
}
