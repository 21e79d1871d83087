// Which usage records each source has already written to the ledger, so a run writes only what is
// new or better. This is what makes cross-file deduplication work across runs: a Claude Code subagent
// file read today must not replace the parent's copy of a response written to the ledger last week,
// and a response whose streamed copies arrive in two runs must end as its largest copy.
// Persisted per source in `<storageDir>/importers/emitted-<source>.json` (opaque ids and numbers only),
// loaded only in runs that have new data for that source, so a run with nothing new never reads it.
import * as path from 'node:path';
import * as z from 'zod';
import type { UsageSource } from '../ledger/events';
import type { HmacSha256 } from '../privacy/hmacSha256';
import { hmacKey, opaqueId } from '../privacy/opaqueId';
import type { ParsedUsage } from './types';
import { importerDir } from '../ledger/storageLocation';
import { readFileIfExists, writeFileAtomic } from '../privacy/privateFiles';

/** [token total, 1 if a replay copy else 0, fingerprint of every stored field], as version 1 kept a record. */
const RecordEntryVersion1 = z.tuple([z.number(), z.number(), z.number()]);
/**
 * What the index keeps of a record: [token total, 1 if a replay copy else 0, fingerprint of every stored field, the
 * revision of the parser that wrote it (types.ts, ParserRevision; absent: 0)].
 */
type RecordEntry = [total: number, replay: number, fingerprint: number, revision?: number];

/**
 * The index file. Every run with anything new for a source loads its whole index, which holds every record ever
 * written, so its format is made to be read fast: each map is an array of entries. Version 1 kept each map as an object
 * with one member per record, which made JSON.parse turn every id into a property name: with 37,600 records (500 MB of
 * Claude Code logs), reading it through its schema took about 200 ms of a fresh process and writing it about 60 ms, so
 * `assay report daily` with a few new responses took 0.4 s where one with nothing new took 0.1 s. Version 2 takes
 * about 60 ms to read (JSON.parse, then readIndexFile) and 35 to write, and that report 0.3 s.
 */
export const IndexFile = z.object({
  v: z.literal(2),
  /** [record id, token total, 1 if a replay copy else 0, fingerprint] */
  records: z.array(z.tuple([z.string(), z.number(), z.number(), z.number()])),
  /**
   * The revision of the parser that wrote each record (types.ts, ParserRevision): `revision` for every record that
   * `revisions` ([record id, revision]) does not list, absent: 0. Most records of a source share one, so it is written
   * once. Members of their own: an Assay before them reads the file as it did (its schema leaves them out), and one that
   * saves the file leaves them out, which says 0 of every record, as it was before.
   */
  revision: z.number().optional(),
  revisions: z.array(z.tuple([z.string(), z.number()])).optional(),
  /** [hashed response id, then the ids of the records that hold a copy of it] */
  responses: z.array(z.tuple([z.string()], z.string())),
  /** [record id of a copy that replaced another copy's record, the id it was written under] */
  aliases: z.array(z.tuple([z.string(), z.string()])),
  /**
   * Epoch ms of the first run whose parsers gave keys as they do now: a record dated before it may be in `records`
   * under its legacy key (ParsedUsage.legacyKey).
   */
  legacyKeysBefore: z.number(),
});
type IndexFile = z.infer<typeof IndexFile>;

/** Version 1, as Assay wrote it before version 2: read once, then written as version 2. */
const IndexFileVersion1 = z.object({
  v: z.literal(1),
  records: z.record(z.string(), RecordEntryVersion1),
  responses: z.record(z.string(), z.array(z.string())),
  aliases: z.record(z.string(), z.string()),
  /** Absent in an index an Assay before legacy keys wrote. */
  legacyKeysBefore: z.number().optional(),
});

/** Line sources keep the best copy of a response; whole-file sources keep the latest parse (records are rewritten). */
export type CopyPolicy = 'bestCopy' | 'latest';

function tokenTotal(p: ParsedUsage): number {
  return p.inputTokens + p.outputTokens + p.cacheReadTokens + p.cacheWrite5mTokens + p.cacheWrite1hTokens;
}

/**
 * 32-bit FNV-1a: detects a changed record; a collision only skips rewriting an identical-looking record.
 * The logged model and the session and project keys enter only as `names`, a keyed digest of them: the
 * ledger holds every other field, so over the logged text the stored value would let anyone check a
 * guessed private name (a fine-tune id the ledger keeps as `other`) against it. An index written before
 * holds other values, so a whole-file source writes each record once more (same id: readers keep one).
 * The text hashed is `${t}|${names}|${inputTokens}|…|${reportedCostUSD ?? ''}`, hashed field by field: joined first, it
 * was a tree of pieces that every record flattened before hashing it, twice the time (a micro-benchmark of 15,000 records).
 */
function fingerprint(p: ParsedUsage, names: string): number {
  let hash = 0x811c9dc5;
  hash = fieldHash(hash, String(p.t));
  hash = fieldHash(hash, names);
  hash = fieldHash(hash, String(p.inputTokens));
  hash = fieldHash(hash, String(p.outputTokens));
  hash = fieldHash(hash, String(p.reasoningTokens));
  hash = fieldHash(hash, String(p.cacheReadTokens));
  hash = fieldHash(hash, String(p.cacheWrite5mTokens));
  hash = fieldHash(hash, String(p.cacheWrite1hTokens));
  hash = fieldHash(hash, String(p.tokensKnown));
  return fnv1a(hash, String(p.reportedCostUSD ?? '')) >>> 0;
}

const FNV_PRIME = 0x01000193;
const FIELD_SEPARATOR = 0x7c; // '|'

function fnv1a(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash;
}

/** The hash after `text` and the separator that follows it. */
function fieldHash(hash: number, text: string): number {
  return Math.imul(fnv1a(hash, text) ^ FIELD_SEPARATOR, FNV_PRIME);
}

/**
 * Opaque ids of `prefix + value`, remembered for one run: an HMAC costs microseconds and the same values
 * come back often (a session has hundreds of responses, a streamed response several copies). Keyed by
 * the value alone, so a hit costs no string concatenation.
 */
export class OpaqueIds {
  private readonly cache = new Map<string, string>();
  private readonly key: HmacSha256;
  constructor(
    secret: string,
    private readonly prefix = '',
  ) {
    this.key = hmacKey(secret);
  }
  of(value: string): string {
    let id = this.cache.get(value);
    if (id === undefined) {
      id = opaqueId(this.key, this.prefix + value);
      this.cache.set(value, id);
    }
    return id;
  }
}

/**
 * A record's ids in the emitted index and the ledger (keyed digests of its parser key and response id), and its
 * index entry.
 */
export interface RecordIds {
  id: string;
  responseId?: string;
  /** The id of the record's legacy key, where it has one. */
  legacyId?: string;
  entry: RecordEntry;
}

/** The revision most records were written at. */
function commonestRevision(records: ReadonlyMap<string, RecordEntry>): number {
  const counts = new Map<number, number>();
  for (const entry of records.values()) counts.set(entry[3] ?? 0, (counts.get(entry[3] ?? 0) ?? 0) + 1);
  let commonest = 0;
  for (const [revision, count] of counts) if (count > (counts.get(commonest) ?? 0)) commonest = revision;
  return commonest;
}

/** `entry` as written by a parser at `revision` (itself when it already is: no copy for each record admitted). */
function stamped(entry: RecordEntry, revision: number): RecordEntry {
  return (entry[3] ?? 0) === revision ? entry : entryAt(entry[0], entry[1], entry[2], revision);
}

/** Whether a copy with `entry` replaces the copy with `existing` (the same response). */
export function isBetterCopy(existing: RecordEntry, entry: RecordEntry, policy: CopyPolicy): boolean {
  if (existing[2] === entry[2]) return false;
  return policy === 'latest' || (existing[1] !== entry[1] ? existing[1] === 1 : entry[0] > existing[0]);
}

/**
 * The ids and entries of one source's records, remembered for one run. Computed where records are read (a read
 * thread, readWorkers.ts), so the thread that admits them does no HMAC and no hashing.
 */
export class RecordIdMaker {
  private readonly ids: OpaqueIds;
  private readonly responseIds: OpaqueIds;
  private readonly names: OpaqueIds;
  private lastNames: { model: string; sessionKey: string; projectKey: string; names: string } | undefined;
  constructor(secret: string, source: UsageSource) {
    this.ids = new OpaqueIds(secret, `${source}:`);
    this.responseIds = new OpaqueIds(secret, `${source}:response:`);
    this.names = new OpaqueIds(secret, `${source}:names:`);
  }
  of(parsed: ParsedUsage): RecordIds {
    const id = this.ids.of(parsed.key);
    const names = this.namesOf(parsed);
    const entry: RecordEntry = [tokenTotal(parsed), parsed.copyOf?.replay ? 1 : 0, fingerprint(parsed, names)];
    const ids: RecordIds = parsed.copyOf ? { id, responseId: this.responseIds.of(parsed.copyOf.responseId), entry } : { id, entry };
    if (parsed.legacyKey !== undefined) ids.legacyId = this.ids.of(parsed.legacyKey);
    return ids;
  }
  /** The ledger id of a record with this parser key. */
  recordId(key: string): string {
    return this.ids.of(key);
  }

  /**
   * The digest of a record's model, session and project. A file's records mostly share them with the record before,
   * which is checked first: the joined text is a tree of five pieces that each lookup by it would flatten again.
   */
  private namesOf({ model, sessionKey, projectKey }: ParsedUsage): string {
    const last = this.lastNames;
    if (last !== undefined && last.model === model && last.sessionKey === sessionKey && last.projectKey === projectKey) return last.names;
    const names = this.names.of(`${model}\u0000${sessionKey}\u0000${projectKey}`);
    this.lastNames = { model, sessionKey, projectKey, names };
    return names;
  }
}

export interface Admission {
  /** Ledger id to write the record under (an earlier copy's id when it replaces that copy). */
  id: string;
  /** False when it replaces a record already written: the response is not new. */
  isNew: boolean;
}

/**
 * The index in memory. Maps rather than plain objects: no key is ever looked up on a prototype (`toString` is not
 * a record), and admitting 37,000 records took 20 ms instead of 40 to 70 (a micro-benchmark; an import of 500 MB of
 * Claude Code logs is as fast either way, within its run-to-run spread).
 */
export interface IndexMaps {
  records: Map<string, RecordEntry>;
  responses: Map<string, string[]>;
  aliases: Map<string, string>;
  legacyKeysBefore: number;
}

/** The maps of an index file, and whether the file must be written again even when the run admits nothing. */
export interface ReadIndex {
  data: IndexMaps;
  rewrite: boolean;
}

/**
 * The maps of an index file's JSON, or undefined when it is no index. A version 2 file goes through a quick reading
 * that makes the maps as it checks them: about 35 ms for 37,600 records, where the schema and then the maps took 100 to
 * 120. Anything the quick reading does not take goes to the schema, which decides. It may only ever take what
 * the schema takes, with the same maps: emittedIndex.test.ts checks that on generated files.
 */
export function readIndexFile(value: unknown, now: number): ReadIndex | undefined {
  if (isObject(value) && value.v === 1) return readVersion1(value, now);
  const plain = plainIndexMaps(value);
  if (plain) return { data: plain, rewrite: false };
  const parsed = IndexFile.safeParse(value);
  if (!parsed.success) return undefined;
  return {
    data: {
      records: withRevisions(
        new Map(parsed.data.records.map(([id, total, replay, fingerprint]) => [id, entryAt(total, replay, fingerprint, parsed.data.revision ?? 0)])),
        parsed.data.revisions ?? [],
      ),
      responses: new Map(parsed.data.responses.map(([responseId, ...ids]) => [responseId, ids])),
      aliases: new Map(parsed.data.aliases),
      legacyKeysBefore: parsed.data.legacyKeysBefore,
    },
    rewrite: false,
  };
}

function readVersion1(value: unknown, now: number): ReadIndex | undefined {
  const parsed = IndexFileVersion1.safeParse(value);
  if (!parsed.success) return undefined;
  return {
    data: {
      records: new Map(Object.entries(parsed.data.records)),
      responses: new Map(Object.entries(parsed.data.responses)),
      aliases: new Map(Object.entries(parsed.data.aliases)),
      legacyKeysBefore: parsed.data.legacyKeysBefore ?? now,
    },
    rewrite: true,
  };
}

function plainIndexMaps(value: unknown): IndexMaps | undefined {
  if (!isObject(value) || value.v !== 2) return undefined;
  const { records: recordList, responses: responseList, aliases: aliasList, revision = 0, revisions: revisionList = [], legacyKeysBefore } = value;
  if (!Array.isArray(recordList) || !Array.isArray(responseList) || !Array.isArray(aliasList) || !Array.isArray(revisionList)) return undefined;
  if (!isNumber(legacyKeysBefore) || !isNumber(revision)) return undefined;
  const records = new Map<string, RecordEntry>();
  for (const entry of recordList) {
    if (!Array.isArray(entry) || entry.length !== 4 || !isText(entry[0]) || !isNumber(entry[1]) || !isNumber(entry[2]) || !isNumber(entry[3])) return undefined;
    records.set(entry[0], entryAt(entry[1], entry[2], entry[3], revision));
  }
  const responses = new Map<string, string[]>();
  for (const entry of responseList) {
    if (!Array.isArray(entry) || entry.length === 0 || !entry.every(isText)) return undefined;
    responses.set(entry[0], entry.slice(1));
  }
  const aliases = new Map<string, string>();
  for (const entry of aliasList) {
    if (!Array.isArray(entry) || entry.length !== 2 || !isText(entry[0]) || !isText(entry[1])) return undefined;
    aliases.set(entry[0], entry[1]);
  }
  for (const entry of revisionList) {
    if (!Array.isArray(entry) || entry.length !== 2 || !isText(entry[0]) || !isNumber(entry[1])) return undefined;
  }
  return { records: withRevisions(records, revisionList as [string, number][]), responses, aliases, legacyKeysBefore };
}

/** A record's entry as a parser at `revision` wrote it. */
function entryAt(total: number, replay: number, fingerprint: number, revision: number): RecordEntry {
  return revision ? [total, replay, fingerprint, revision] : [total, replay, fingerprint];
}

/** `records` with each listed record stamped with its revision (a revision of a record not in `records` says nothing). */
function withRevisions(records: Map<string, RecordEntry>, revisions: readonly (readonly [string, number])[]): Map<string, RecordEntry> {
  for (const [id, revision] of revisions) {
    const entry = records.get(id);
    if (entry) records.set(id, entryAt(entry[0], entry[1], entry[2], revision));
  }
  return records;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** As z.number(): finite. */
function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

export class EmittedIndex {
  private dirty = false;
  /**
   * Responses none of whose records was a replay when a parent copy last looked: the next parent copy of one is new
   * without looking through its records again (a log holding one response under thousands of request ids made each
   * look longer than the one before). A record only turns into a replay where a replay copy is written, and that
   * forgets its response here.
   */
  private readonly withoutReplay = new Set<string>();
  private readonly ids: RecordIdMaker;

  private constructor(
    private readonly source: UsageSource,
    secret: string,
    private readonly data: IndexMaps,
  ) {
    this.ids = new RecordIdMaker(secret, source);
  }

  static filePath(storageDir: string, source: UsageSource): string {
    return path.join(importerDir(storageDir), `emitted-${source}.json`);
  }

  /** @param now the run's time: an index an earlier Assay wrote holds legacy keys up to it. */
  static async load(storageDir: string, source: UsageSource, secret: string, now: number): Promise<EmittedIndex> {
    // Missing or invalid: everything read is new. Ids are stable, so rewriting a record is harmless, except one an
    // earlier Assay wrote under its legacy key: with no index to find it under, it is written again under its new id.
    // A file that exists but cannot be read now fails the run (readFileIfExists): this run's save would replace it.
    const text = await readFileIfExists(EmittedIndex.filePath(storageDir, source));
    let read: ReadIndex | undefined;
    try {
      read = readIndexFile(JSON.parse(text ?? 'null'), now);
    } catch {
      // Not JSON: as missing (above).
    }
    const data = read?.data ?? { records: new Map(), responses: new Map(), aliases: new Map(), legacyKeysBefore: 0 };
    const index = new EmittedIndex(source, secret, data);
    index.dirty = read?.rewrite ?? false;
    return index;
  }

  /** The ledger id of a record with this parser key. */
  recordId(key: string): string {
    return this.ids.recordId(key);
  }

  /**
   * Token total of the record written under this ledger id, or of the copy it was folded into: what an agent
   * edit's response cost, for waste (docs/metrics.md, Agent output).
   */
  tokenTotal(recordId: string): number | undefined {
    const { records, aliases } = this.data;
    return (records.get(recordId) ?? records.get(aliases.get(recordId) ?? ''))?.[0];
  }

  /**
   * Decides whether `parsed` must be written, and under which id: undefined when the ledger already
   * holds this record or a better copy of the same response.
   * @param read the revision of the parser that read the record (types.ts, ParserRevision), which every record it
   * writes is stamped with, and whether its log was read again for that revision: then the first copy of a record whose
   * stamp is older replaces it under its own id (or its alias) whenever a field differs, better or not, since an
   * earlier revision wrote it, and stamps it; later copies compete as usual, in that run or a later one (a log read
   * again in a run that was cancelled or could not read another). A replay copy never takes a parent copy's place so:
   * the parent's own copy is read again too.
   */
  admit(parsed: ParsedUsage, policy: CopyPolicy, ids: RecordIds = this.ids.of(parsed), read: { revision: number; revised: boolean } = { revision: 0, revised: false }): Admission | undefined {
    const { records, responses, aliases, legacyKeysBefore } = this.data;
    const { id: ownId, responseId, legacyId, entry } = ids;
    const replay = entry[1];
    let slot: string | undefined = records.has(ownId) ? ownId : aliases.get(ownId);
    if (slot === undefined && legacyId !== undefined && parsed.t < legacyKeysBefore && records.has(legacyId)) {
      // Written by an earlier Assay under its legacy key: the same record, found under its new id from now on.
      slot = legacyId;
      aliases.set(ownId, slot);
      this.dirty = true;
    }
    if (slot === undefined && responseId !== undefined) {
      // A replay matches any copy of its response; a parent copy matches only a replay's record.
      if (replay === 1) {
        slot = responses.get(responseId)?.[0];
      } else if (!this.withoutReplay.has(responseId)) {
        slot = responses.get(responseId)?.find((id) => records.get(id)?.[1] === 1);
        if (slot === undefined) this.withoutReplay.add(responseId);
      }
    }
    if (slot === undefined) {
      records.set(ownId, stamped(entry, read.revision));
      if (responseId !== undefined) {
        const copies = responses.get(responseId);
        if (copies) copies.push(ownId);
        else responses.set(responseId, [ownId]);
        if (replay === 1) this.withoutReplay.delete(responseId);
      }
      this.dirty = true;
      return { id: ownId, isNew: true };
    }
    const existing = records.get(slot);
    const revisesOwnSlot = read.revised && (slot === ownId || aliases.get(ownId) === slot) && (existing?.[3] ?? 0) < read.revision;
    if (revisesOwnSlot && !(existing?.[1] === 0 && replay === 1)) {
      if (existing && existing[2] === entry[2]) {
        records.set(slot, stamped(existing, read.revision));
        this.dirty = true;
        return undefined;
      }
    } else if (existing && !isBetterCopy(existing, entry, policy)) {
      return undefined;
    }
    records.set(slot, stamped(entry, read.revision));
    if (replay === 1 && responseId !== undefined) this.withoutReplay.delete(responseId);
    if (slot !== ownId) aliases.set(ownId, slot);
    this.dirty = true;
    return { id: slot, isNew: false };
  }

  async save(storageDir: string): Promise<void> {
    if (!this.dirty) return;
    const { records, responses, aliases, legacyKeysBefore } = this.data;
    const revision = commonestRevision(records);
    const file: IndexFile = { v: 2, records: [], responses: [], aliases: [...aliases], revision, revisions: [], legacyKeysBefore };
    for (const [id, [total, replay, fingerprint, recordRevision = 0]] of records) {
      file.records.push([id, total, replay, fingerprint]);
      if (recordRevision !== revision) file.revisions?.push([id, recordRevision]);
    }
    for (const [responseId, ids] of responses) file.responses.push([responseId, ...ids]);
    const json = JSON.stringify(file);
    await writeFileAtomic(EmittedIndex.filePath(storageDir, this.source), json);
    this.dirty = false;
  }
}
