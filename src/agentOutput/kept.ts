// Lines kept (docs/metrics.md, Agent output): how many of an edit's added lines are still in its file, matched as a
// multiset on the line with trailing whitespace trimmed, so a line the agent added twice counts twice only if the
// file still has it twice, and moving a line within the file keeps it. Pure.
import { trimLine } from './lines';

/** `fileText` undefined: the file is gone, which keeps nothing. */
export function countKeptLines(addedLines: readonly string[], fileText: string | undefined): number {
  if (fileText === undefined || addedLines.length === 0) return 0;
  const wanted = new Map<string, number>();
  for (const line of addedLines) wanted.set(line, (wanted.get(line) ?? 0) + 1);
  let kept = 0;
  for (const raw of fileText.split('\n')) {
    const line = trimLine(raw);
    const left = wanted.get(line);
    if (left === undefined || left === 0) continue;
    wanted.set(line, left - 1);
    kept++;
    if (kept === addedLines.length) break;
  }
  return kept;
}
