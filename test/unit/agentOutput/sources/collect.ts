// A parse context that keeps what a parser reports through `context.edit`, for calling parsers directly.
import type { ParsedEdit } from '../../../../src/agentOutput/types';
import { parseContext } from '../../../../src/importers/rawJson';
import type { ParseContext } from '../../../../src/importers/types';

export interface CollectingContext {
  context: ParseContext;
  edits: ParsedEdit[];
}

export function collectingContext(): CollectingContext {
  const edits: ParsedEdit[] = [];
  return { context: parseContext('test-digest-key', {}, (edit) => edits.push(edit)), edits };
}

/** One edit per key, checking that every copy of a key reported the same edit. */
export function byKey(edits: readonly ParsedEdit[]): Map<string, ParsedEdit> {
  const keyed = new Map<string, ParsedEdit>();
  for (const edit of edits) {
    const earlier = keyed.get(edit.key);
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(edit)) throw new Error(`two different edits share the key ${edit.key}`);
    keyed.set(edit.key, edit);
  }
  return keyed;
}

export const PATH_SECRET = 'SECRET-PLANTED-9c41';
export const LINE_SECRET = 'LINE-SECRET-5d2e';
