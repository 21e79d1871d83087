// Defensive readers for another tool's JSON. Log lines are hostile input: any field may be missing,
// null, of the wrong type, negative or absurd, and none of that may throw or reach the ledger.
import * as z from 'zod';
import { parseLoggedDateTime } from '../calendar/dates';
import { hmacKey } from '../privacy/opaqueId';
import type { ParsedEdit } from '../agentOutput/types';
import type { ParsedLimit } from './limitImport';
import type { ParseContext } from './types';
import { addRejection, type RejectedLines } from './usageBounds';

export type JsonRecord = Record<string, unknown>;

/** The model of a response whose log names none; normalization makes it `other`. */
export const UNKNOWN_MODEL = 'unknown';

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** What a parser's state remembers under a logged id: an id such as `toString` names no member every object inherits. */
export function remembered<T>(memory: Record<string, T> | undefined, id: string): T | undefined {
  return memory !== undefined && Object.hasOwn(memory, id) ? memory[id] : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A token count: a finite non-negative number, else 0 (missing, null, strings and negatives count nothing). */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Epoch ms from a date-time string a tool writes (parseLoggedDateTime) or a number of seconds/milliseconds, or undefined when it is not a date. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'string') return parseLoggedDateTime(value);
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Seconds before year 2286 are below 1e10; anything larger is already milliseconds.
    return Math.floor(value < 1e10 ? value * 1000 : value);
  }
  return undefined;
}

/** A `nameDigest` as a parser's stored state keeps it, or '' for a name its log did not give. */
export const storedDigest = z.string().regex(/^(?:[0-9a-f]{32})?$/);

/**
 * JSON.parse that returns undefined for malformed or truncated text instead of throwing, and counts
 * it as a rejected line unless `counted` is false (a torn last line a tool is still writing).
 */
export function parseJsonLine(line: string, context: ParseContext, counted = true): unknown {
  try {
    return JSON.parse(line);
  } catch {
    if (counted) context.reject('json');
    return undefined;
  }
}

/**
 * The context of one import run, handed to every parser call: parsers stay plain functions of their
 * input, and no key or tally outlives the run or leaks into another one in the same process.
 * `nameDigest` is keyed with the import's secret, so that a digest kept in the import state cannot be
 * checked against a guessed path by someone holding only that file; the machinery still hashes ids
 * with the install secret before anything reaches the ledger.
 */
export function parseContext(
  digestKey: string,
  rejected: RejectedLines,
  onEdit: (edit: ParsedEdit) => void = ignore,
  onLimit: (limit: ParsedLimit) => void = ignore,
): ParseContext {
  const key = hmacKey(digestKey);
  return {
    nameDigest: (name) => key.hex(name, 32),
    reject: (reason) => addRejection(rejected, reason),
    edit: onEdit,
    limit: onLimit,
  };
}

function ignore(): void {}
