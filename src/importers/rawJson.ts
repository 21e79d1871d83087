// Defensive readers for another tool's JSON. Log lines are hostile input: any field may be missing,
// null, of the wrong type, negative or absurd, and none of that may throw or reach the ledger.
import { createHmac } from 'node:crypto';
import { addRejection, RejectReason, type RejectedLines } from './usageBounds';

export type JsonRecord = Record<string, unknown>;

/** The model of a response whose log names none; normalization makes it `other`. */
export const UNKNOWN_MODEL = 'unknown';

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A token count: a finite non-negative number, else 0 (missing, null, strings and negatives count nothing). */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Epoch ms from an ISO string or a number of seconds/milliseconds, or undefined when it is not a date. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Seconds before year 2286 are below 1e10; anything larger is already milliseconds.
    return Math.floor(value < 1e10 ? value * 1000 : value);
  }
  return undefined;
}

/**
 * Lines parsers rejected since the machinery last took them. A module tally rather than a return
 * value, for the reason `nameDigest` is a module setting: parsers are plain functions of a line.
 */
const parserRejections: RejectedLines = {};

/** Counts a line a parser recognised as a usage record but could not use (e.g. no readable time). */
export function rejectLine(reason: RejectReason): void {
  addRejection(parserRejections, reason);
}

/** Adds the parsers' rejections counted since the last call to `into`, and starts a new tally. */
export function takeParserRejections(into: RejectedLines): void {
  for (const reason of RejectReason.options) {
    addRejection(into, reason, parserRejections[reason] ?? 0);
    delete parserRejections[reason];
  }
}

/**
 * JSON.parse that returns undefined for malformed or truncated text instead of throwing, and counts
 * it as a rejected line unless `counted` is false (a torn last line a tool is still writing).
 */
export function parseJsonLine(line: string, counted = true): unknown {
  try {
    return JSON.parse(line);
  } catch {
    if (counted) rejectLine('json');
    return undefined;
  }
}

let nameDigestKey = '';

/**
 * Sets the key of `nameDigest` for this process: the import's secret, so that a digest in the
 * import state cannot be checked against a guessed path by someone holding only that file.
 */
export function useNameDigestKey(key: string): void {
  nameDigestKey = key;
}

/**
 * Keyed digest for path-derived names (project folders, file names, working directories) that
 * parser state must remember between runs: state files never hold a raw name, and the machinery
 * still hashes the digest with the install secret before anything reaches the ledger. A module
 * setting rather than a parameter, because parsers are plain functions of a line and their state.
 */
export function nameDigest(name: string): string {
  return createHmac('sha256', nameDigestKey).update(name).digest('hex').slice(0, 32);
}
