// One import run: discover log files, read what is new in each, write UsageEvents to the ledger,
// then remember how far each file was read. Order matters for crash safety: ledger events are
// flushed first, then the emitted indexes, then the agent edits, then the state file. A crash before the
// state is written makes the next run read the same lines again, which yields the same ids and values, so the
// ledger (latest event per id wins) never counts a response twice. A large file is read and admitted in parts, whose
// events may be flushed before the rest is read: its state is saved only with the others, after the last flush.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { LEDGER_SCHEMA_VERSION, type AgentEditEvent, type AgentRetentionEvent, type LimitEvent, type LimitReachedEvent, type UsageEvent, type UsageSource } from '../ledger/events';
import { LedgerWriter, type WrittenBatch } from '../ledger/writer';
import type { ModelPricer } from '../pricing/pricer';
import { discoverFiles, type CustomStoragePaths, type DiscoveredFile, type SourceDefinition } from './discovery';
import { SOURCE_DEFINITIONS } from './sourceDefinitions';
import { AgentEditRun, type EditLog } from './agentEditImport';
import { LimitRun } from './limitImport';
import { EmittedIndex, OpaqueIds } from './emittedIndex';
import { loadImportState, saveImportState, type CoveredTimes, type FileState } from './importState';
import { admitReading, fileIdentity, hasChanged, readByEarlierRevision, readFile, type FileReadInput } from './incremental';
import { ChunkPool } from './lineReader';
import type { ParsedEdit } from '../agentOutput/types';
import type { ParsedLimit } from './limitImport';
import { ReadSchedule, ReadWorkers, type Readings } from './readWorkers';
import { acquireImportLock, DEFAULT_STALE_LOCK_MS } from '../ledger/importLock';
import { SafeMessageError } from '../privacy/errors';
import type { ParsedUsage } from './types';
import { addRejection, UsageBounds, type RejectedLines } from './usageBounds';

/** Where events go: the ledger writer, or a collector in tests and the cross-check. */
export interface UsageEventSink {
  append(event: UsageEvent): void;
  /** Agent output events (src/agentOutput/); a sink without it (other than a LedgerWriter) turns agent output off for the run. */
  appendAgentOutput?(event: AgentEditEvent | AgentRetentionEvent): void;
  /** Plan limits the logs show (src/money/limits.ts); a sink without it (other than a LedgerWriter) does not get them. */
  appendLimit?(event: LimitEvent | LimitReachedEvent): void;
  flush(): Promise<void>;
  /** Events a flush could not write (the ledger's writer keeps them buffered). */
  readonly unwrittenCount?: number;
}

export interface ImportProgress {
  filesDone: number;
  filesTotal: number;
  bytesRead: number;
}

export interface RunImportOptions {
  storageDir: string;
  /** Per-install secret for opaque ids (docs/privacy.md). */
  secret: string;
  /** Only `keptModelName` is used: the name each event keeps for its model. */
  pricer: Pick<ModelPricer, 'keptModelName'>;
  /** Explicit folders per source (settings, CLI); they replace that source's default folders. */
  roots?: Partial<Record<UsageSource, string[]>>;
  /** False: read only the explicit `roots`, look nowhere else. Default true. */
  discover?: boolean;
  /** Entries searched per root folder at most (default MAX_WALK_ENTRIES, discovery.ts). */
  maxWalkEntries?: number;
  env?: Record<string, string | undefined>;
  /** Roo Code's and Kilo Code's `customStoragePath` settings, read by the editor glue. */
  customStoragePaths?: CustomStoragePaths;
  homeDir?: string;
  platform?: NodeJS.Platform;
  /** Source table; defaults to every known source. */
  sources?: SourceDefinition[];
  /** Defaults to a LedgerWriter on `storageDir`, disposed at the end of the run. */
  sink?: UsageEventSink;
  /** Told of each batch that LedgerWriter wrote (its `onWritten`); unused with another `sink`. */
  onLedgerWrite?: (batch: WrittenBatch) => void;
  /** How long to wait for an import running elsewhere (default 0: skip this run). */
  lockWaitMs?: number;
  /** Called once when an import running elsewhere holds the lock and this run waits for it. */
  onLockWait?: () => void;
  staleLockMs?: number;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /**
   * Read threads (readWorkers.ts) besides the run's own: how many (default: one per core but one, at most 4), from how many new
   * bytes a run starts them (default READ_THREADS_MIN_BYTES), and their script (default beside this module).
   */
  readThreads?: { count?: number; fromBytes?: number; script?: string };
  now?: () => number;
}

interface SourceSummary {
  source: UsageSource;
  /** A folder of this source exists (the tool is or was installed). */
  found: boolean;
  files: number;
  newEvents: number;
  /** Files that vanished or could not be read during this run; they are tried again next time. */
  unreadableFiles: number;
  /** Log lines (or records) skipped as invalid in this run, by reason (usageBounds.ts); never fatal. */
  rejectedLines: RejectedLines;
  /** Root folders too large to search whole (discovery.ts, MAX_WALK_ENTRIES): only their first entries were searched. */
  foldersCutShort: number;
  /** Epoch ms of the last run (this one or earlier) that read new data from this source. */
  lastReadAt: number | null;
}

export interface ImportSummary {
  /** `locked`: another import was running, nothing was done. `aborted`: stopped by the signal; what was read is kept. */
  status: 'done' | 'locked' | 'aborted';
  sources: SourceSummary[];
  /** Responses written for the first time. */
  events: number;
  /**
   * Responses written before whose record this run wrote again, with other figures: a better copy, or a later parser
   * revision's reading (types.ts, ParserRevision). What the editor shows changed though nothing is new.
   */
  updatedEvents: number;
  bytesRead: number;
  durationMs: number;
  /** Files whose new lines a read thread read (the others were read in the run's own thread). */
  filesReadByThreads: number;
  /** Epoch ms when the next agent edit checkpoint falls due (an import then measures it), or null. */
  nextCheckpointAt: number | null;
}

/** Files not seen for this long are forgotten by the state file. */
const FORGET_AFTER_MS = 60 * 24 * 60 * 60 * 1000;
/** A run with nothing new still refreshes `seenAt` this often, and otherwise writes nothing. */
const SEEN_REFRESH_MS = 24 * 60 * 60 * 1000;
/**
 * Admitted events are written in batches of this many (and at the end). Small enough that little writing is left for
 * the end of a run, when no read thread is busy beside it (500 MB figures in readWorkers.ts, READ_AHEAD_FILES); large
 * enough that a copy of a response met in a later file of the run usually replaces the buffered one instead of adding a
 * ledger line.
 */
const FLUSH_EVERY_EVENTS = 4_000;
/**
 * Files are read synchronously (lineReader.ts), so the run lets the event loop turn this often, between files and
 * between a large file's parts, to see an abort message from the thread that started it.
 */
const YIELD_EVERY_MS = 50;

/**
 * Below this many new bytes a run reads in its own thread: starting a read thread (loading its bundle, warming a fresh
 * V8 heap) and copying readings back costs about what it saves. Measured on two cores with `assay report daily` over
 * Claude Code corpora (test/bench/importClaude.ts), since read threads take their files themselves (readWorkers.ts):
 * 100 MB, 0.56 to 0.61 s with or without a read thread (with one, each thread's share costs nearly what the whole did
 * in one: each thread's V8 compiles the read path for itself, and two busy threads leave no core idle for it,
 * test/bench/readThreads.ts); 500 MB, about 2.0 s in one thread and 1.3 to 1.45 s with a read thread.
 */
const READ_THREADS_MIN_BYTES = 128 * 1024 * 1024;

interface WorkItem {
  file: DiscoveredFile;
  stat: fs.Stats;
  identity: string;
}

/** About how many bytes reading a changed file takes: a growing log's beyond its last offset, else (or for a later parser revision) all of it. */
function newBytes(item: WorkItem, previous: FileState | undefined): number {
  const { parser } = item.file;
  const readOnFromOffset = parser.kind === 'lines' && previous && previous.offset <= item.stat.size && !readByEarlierRevision(parser, previous);
  return readOnFromOffset ? item.stat.size - previous.offset : item.stat.size;
}

function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Session and project ids; sessions are per source, as two tools may reuse a session name. */
class EventIds {
  private readonly sessions = new Map<UsageSource, OpaqueIds>();
  private readonly projects: OpaqueIds;
  constructor(private readonly secret: string) {
    this.projects = new OpaqueIds(secret, 'project:');
  }
  session(source: UsageSource, sessionKey: string): string {
    let ids = this.sessions.get(source);
    if (!ids) {
      ids = new OpaqueIds(this.secret, `${source}:session:`);
      this.sessions.set(source, ids);
    }
    return ids.of(sessionKey);
  }
  project(projectKey: string): string {
    return this.projects.of(projectKey);
  }
}

function toUsageEvent(parsed: ParsedUsage, id: string, source: UsageSource, options: RunImportOptions, ids: EventIds): UsageEvent {
  return {
    v: LEDGER_SCHEMA_VERSION,
    t: Math.max(0, Math.floor(parsed.t)),
    kind: 'usage',
    id,
    source,
    model: options.pricer.keptModelName(parsed.model),
    inputTokens: parsed.inputTokens,
    outputTokens: parsed.outputTokens,
    reasoningTokens: parsed.reasoningTokens,
    cacheReadTokens: parsed.cacheReadTokens,
    cacheWrite5mTokens: parsed.cacheWrite5mTokens,
    cacheWrite1hTokens: parsed.cacheWrite1hTokens,
    tokensKnown: parsed.tokensKnown,
    reportedCostUSD: parsed.reportedCostUSD,
    session: ids.session(source, parsed.sessionKey),
    project: ids.project(parsed.projectKey),
  };
}

function stateChanged(before: Record<string, FileState>, after: Record<string, FileState>, runAt: number): boolean {
  const identities = Object.keys(after);
  if (identities.length !== Object.keys(before).length) return true;
  return identities.some((identity) => {
    const old = before[identity];
    const next = after[identity];
    return (
      old === undefined ||
      old.size !== next.size ||
      old.offset !== next.offset ||
      old.mtimeMs !== next.mtimeMs ||
      old.contentHash !== next.contentHash ||
      old.revision !== next.revision ||
      (next.seenAt === runAt && runAt - old.seenAt > SEEN_REFRESH_MS)
    );
  });
}

/**
 * The time another file's records were counted in earlier runs (ImportState `covered`), widened by the lead: what a file
 * whose records that file stands in for skips even when the other file is rotated, gone or turned off.
 */
function skipWithin(file: DiscoveredFile, covered: Record<string, CoveredTimes> | undefined): Pick<FileReadInput, 'skipWithin'> {
  const times = file.coveredBy ? covered?.[file.coveredBy.parserName] : undefined;
  return times && file.coveredBy ? { skipWithin: { from: times.first - file.coveredBy.leadMs, to: times.last } } : {};
}

/** Widens the times a covering file's records covered by the records just read from it; true when they changed. */
function extendCovered(state: { covered?: Record<string, CoveredTimes> }, name: string, records: readonly ParsedUsage[]): boolean {
  if (records.length === 0) return false;
  const before = state.covered?.[name];
  let first = before?.first ?? Infinity;
  let last = before?.last ?? -Infinity;
  for (const record of records) {
    first = Math.min(first, record.t);
    last = Math.max(last, record.t);
  }
  if (before && before.first === first && before.last === last) return false;
  state.covered = { ...state.covered, [name]: { first, last } };
  return true;
}

function statFile(filePath: string): fs.Stats | undefined {
  try {
    const stat = fs.statSync(filePath);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}

function writerSink(writer: LedgerWriter): UsageEventSink {
  return {
    append: (event) => writer.append(event),
    appendAgentOutput: (event) => writer.append(event),
    appendLimit: (event) => writer.append(event),
    flush: () => writer.flush(),
    get unwrittenCount() {
      return writer.unwrittenCount;
    },
  };
}

export async function runImport(options: RunImportOptions): Promise<ImportSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const definitions = options.sources ?? SOURCE_DEFINITIONS;
  const release = await acquireImportLock(options.storageDir, {
    waitMs: options.lockWaitMs ?? 0,
    staleMs: options.staleLockMs ?? DEFAULT_STALE_LOCK_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
  });
  // Cancelled while it waited, it is still a run another import kept from starting: 'aborted' would tell of sources read.
  if (!release) {
    return { status: 'locked', sources: [], events: 0, updatedEvents: 0, bytesRead: 0, durationMs: now() - started, filesReadByThreads: 0, nextCheckpointAt: null };
  }
  const ownSink = options.sink
    ? undefined
    : new LedgerWriter({ storageDir: options.storageDir, role: 'import', ...(options.onLedgerWrite ? { onWritten: options.onLedgerWrite } : {}) });
  const sink: UsageEventSink = options.sink ?? writerSink(ownSink as LedgerWriter);
  try {
    const state = await loadImportState(options.storageDir);
    const discovery = discoverFiles({
      definitions,
      context: {
        env: options.env ?? process.env,
        homeDir: options.homeDir ?? os.homedir(),
        platform: options.platform ?? process.platform,
        customStoragePaths: options.customStoragePaths,
      },
      roots: options.roots,
      discover: options.discover ?? true,
      ...(options.maxWalkEntries !== undefined ? { maxWalkEntries: options.maxWalkEntries } : {}),
    });
    const indexes = new Map<UsageSource, Promise<EmittedIndex>>();
    const indexFor = (source: UsageSource) => {
      let index = indexes.get(source);
      if (!index) {
        index = EmittedIndex.load(options.storageDir, source, options.secret, runAt);
        indexes.set(source, index);
      }
      return index;
    };
    const perSource = new Map<
      UsageSource,
      { files: number; newEvents: number; bytesRead: number; unreadableFiles: number; rejectedLines: RejectedLines }
    >();
    for (const definition of definitions) {
      perSource.set(definition.source, { files: 0, newEvents: 0, bytesRead: 0, unreadableFiles: 0, rejectedLines: {} });
    }
    const rejectedOf = (source: UsageSource) => (perSource.get(source) as { rejectedLines: RejectedLines }).rejectedLines;

    // One path per file: the same file reached through two roots (a symlinked config dir) is read once.
    const seen = new Set<string>();
    const work: WorkItem[] = [];
    for (const file of discovery.files) {
      const stat = statFile(file.path);
      if (!stat) continue;
      const identity = fileIdentity(file.path, stat, options.secret);
      if (seen.has(identity)) continue;
      seen.add(identity);
      work.push({ file, stat, identity });
      (perSource.get(file.source) as { files: number }).files++;
    }

    const runAt = now();
    let events = 0;
    /** Ids of records this run writes for the first time, and of records written before that it writes again (ImportSummary.updatedEvents). */
    const added = new Set<string>();
    const updated = new Set<string>();
    let bytesRead = 0;
    let aborted = false;
    const ids = new EventIds(options.secret);
    const bounds = new UsageBounds(runAt);
    // Events are built when written: most streamed copies are replaced by a later copy before that.
    const buffered = new Map<string, { parsed: ParsedUsage; source: UsageSource }>();
    const appendBuffered = () => {
      for (const [id, { parsed, source }] of buffered) {
        try {
          sink.append(toUsageEvent(parsed, id, source, options, ids));
        } catch {
          // The ledger's own schema refused an event the bounds let through: that record is skipped
          // and counted, as a bad line is; the rest of the run is still written and marked as read.
          addRejection(rejectedOf(source), 'fields');
        }
      }
      buffered.clear();
    };
    const writeBuffered = async () => {
      appendBuffered();
      await sink.flush();
      // Marking lines as read while their events are only in memory would lose them for good
      // when this process ends: stop before the index and state are saved, and read them again next run.
      if ((sink.unwrittenCount ?? 0) > 0) {
        throw new SafeMessageError('the ledger folder could not be written; nothing was marked as read');
      }
    };
    const shouldStop = () => options.signal?.aborted === true;
    const chunks = new ChunkPool();
    // A ledger writer takes every kind of event; another sink takes agent output only if it says so.
    const appendAgentOutput = sink.appendAgentOutput?.bind(sink) ?? (sink instanceof LedgerWriter ? (event: AgentEditEvent | AgentRetentionEvent) => sink.append(event) : undefined);
    const agentEdits = !appendAgentOutput ? undefined : await AgentEditRun.load({
      storageDir: options.storageDir,
      secret: options.secret,
      now: runAt,
      keptModelName: (rawModel) => options.pricer.keptModelName(rawModel),
      session: (source, sessionKey) => ids.session(source, sessionKey),
      index: indexFor,
      rejected: rejectedOf,
      chunks,
    });
    const appendLimit = sink.appendLimit?.bind(sink) ?? (sink instanceof LedgerWriter ? (event: LimitEvent | LimitReachedEvent) => sink.append(event) : undefined);
    const limits = appendLimit ? new LimitRun({ secret: options.secret, now: runAt, rejected: rejectedOf }) : undefined;
    const nextFiles: Record<string, FileState> = {};
    for (const [identity, fileState] of Object.entries(state.files)) {
      if (runAt - fileState.seenAt < FORGET_AFTER_MS) nextFiles[identity] = fileState;
    }

    const previousOf = ({ file, identity }: WorkItem) => (state.files[identity]?.source === file.source ? state.files[identity] : undefined);
    const changed = work.map((item) => hasChanged(item.file.path, item.file.parser, item.stat, previousOf(item)));
    // As saved by earlier runs: a file read in this run widens what its records covered from the next run on.
    const coveredBefore = state.covered;
    let coveredChanged = false;
    const readInput = (item: WorkItem): FileReadInput => ({
      source: item.file.source,
      path: item.file.path,
      stat: { size: item.stat.size, mtimeMs: item.stat.mtimeMs },
      parser: item.file.parser,
      previous: previousOf(item),
      shouldStop,
      now: runAt,
      bounds,
      secret: options.secret,
      ...(item.file.skipFrom !== undefined ? { skipFrom: item.file.skipFrom } : {}),
      ...skipWithin(item.file, coveredBefore),
      chunks,
    });
    const threads = options.readThreads ?? {};
    const bytesToRead = work.reduce((bytes, item, i) => (changed[i] ? bytes + newBytes(item, previousOf(item)) : bytes), 0);
    const readers = bytesToRead >= (threads.fromBytes ?? READ_THREADS_MIN_BYTES) ? ReadWorkers.start(threads.count, threads.script) : undefined;
    // What a read thread may read: changed files of parsers it knows (by their place in SOURCE_DEFINITIONS).
    const requests = !readers
      ? []
      : work.map((item, i) => {
          if (!changed[i]) return null;
          const { parser, shouldStop: _inThread, bounds: _sameBounds, chunks: _ownPool, ...input } = readInput(item);
          const definition = SOURCE_DEFINITIONS.findIndex((known) => known.parser === parser);
          return definition >= 0 ? { ...input, definition, bytes: newBytes(item, input.previous) } : null;
        });
    const schedule = new ReadSchedule(requests, readers, async function* (i): Readings {
      try {
        yield* readFile(readInput(work[i]));
      } catch {
        yield undefined;
      }
    });

    let lastYieldAt = performance.now();
    const letEventLoopTurn = async () => {
      if (performance.now() - lastYieldAt < YIELD_EVERY_MS) return;
      await turnEventLoop();
      lastYieldAt = performance.now();
    };
    try {
      for (let i = 0; i < work.length; i++) {
        await letEventLoopTurn();
        if (shouldStop()) {
          aborted = true;
          break;
        }
        const { file, identity } = work[i];
        if (!changed[i]) {
          // Not read: its state stays what the run that read it saved, seen again by this run. Most files of a run
          // are unchanged (825 of 825 in the 500 MB bench corpus on a repeat), so they skip the readings machinery.
          nextFiles[identity] = { ...(previousOf(work[i]) as FileState), seenAt: runAt };
          options.onProgress?.({ filesDone: i + 1, filesTotal: work.length, bytesRead });
          continue;
        }
        const counts = perSource.get(file.source) as {
          newEvents: number;
          bytesRead: number;
          unreadableFiles: number;
          rejectedLines: RejectedLines;
        };
        let unreadable = false;
        for await (const read of schedule.readings(i)) {
          if (!read) {
            // The tool archived or deleted the file while it was read, or it is not readable by this user: one such
            // file must not stop the others. Its previous state, if any, is kept, or that of the parts admitted.
            unreadable = true;
            break;
          }
          const result = await admitReading(read, file.parser, {
            index: () => indexFor(file.source),
            emit: (parsed, admission) => {
              // A better copy of a response met in this run replaces the buffered event, not the ledger line.
              buffered.set(admission.id, { parsed, source: file.source });
              if (admission.isNew) added.add(admission.id);
              else if (!added.has(admission.id)) updated.add(admission.id);
            },
            rejected: counts.rejectedLines,
            keptModelName: (rawModel) => options.pricer.keptModelName(rawModel),
            ...(agentEdits ? { onEdit: (edit: ParsedEdit, at: number) => agentEdits.add(file.source, edit, identity, at) } : {}),
            ...(limits ? { onLimit: (limit: ParsedLimit) => limits.add(limit) } : {}),
          });
          nextFiles[identity] = result.state;
          // Its records are admitted (in the ledger once this run's events are flushed, before the state is saved).
          if (file.covering !== undefined && extendCovered(state, file.covering, read.records)) coveredChanged = true;
          counts.newEvents += result.newEvents;
          counts.bytesRead += read.bytesRead;
          events += result.newEvents;
          bytesRead += read.bytesRead;
          if (buffered.size >= FLUSH_EVERY_EVENTS) {
            // Written while the run reads on; the last flush (writeBuffered) waits for every write and checks them.
            appendBuffered();
            sink.flush().catch(() => undefined);
          }
          if (read.more) {
            // An abort seen here stops the rest of a large file at its next chunk, in whichever thread reads it.
            await letEventLoopTurn();
            if (shouldStop()) readers?.stop();
          }
        }
        if (unreadable) {
          counts.unreadableFiles++;
          continue;
        }
        options.onProgress?.({ filesDone: i + 1, filesTotal: work.length, bytesRead });
      }
      // The last file may have been stopped part-way.
      if (shouldStop()) aborted = true;
    } finally {
      readers?.stop();
      await readers?.close();
    }

    if (agentEdits && appendAgentOutput) {
      const logs = aborted ? undefined : new Map<string, EditLog>(work.map(({ file, identity }) => [identity, { path: file.path, parser: file.parser }]));
      for (const event of await agentEdits.events(logs)) {
        try {
          appendAgentOutput(event);
        } catch {
          addRejection(rejectedOf(event.source), 'fields');
        }
      }
    }
    if (limits && appendLimit) {
      for (const event of limits.events()) {
        try {
          appendLimit(event);
        } catch {
          addRejection(rejectedOf(event.source), 'fields');
        }
      }
    }
    await writeBuffered();
    for (const index of indexes.values()) await (await index).save(options.storageDir);
    // Before the state: once the state marks an edit's line as read, the edit is never met again, so a crash in
    // between would lose its checkpoints. Saved first, a crash only makes the next run meet the edits again, and
    // their ids are then in the saved list of edits already written.
    await agentEdits?.save();
    for (const [source, counts] of perSource) {
      if (counts.newEvents > 0) state.sources[source] = { lastReadAt: runAt };
    }
    if (stateChanged(state.files, nextFiles, runAt) || coveredChanged) {
      state.files = nextFiles;
      await saveImportState(options.storageDir, state);
    }

    const sources: SourceSummary[] = [...perSource].map(([source, counts]) => ({
      source,
      found: discovery.foundSources.has(source),
      files: counts.files,
      newEvents: counts.newEvents,
      unreadableFiles: counts.unreadableFiles,
      rejectedLines: counts.rejectedLines,
      foldersCutShort: discovery.foldersCutShort[source] ?? 0,
      lastReadAt: state.sources[source]?.lastReadAt ?? null,
    }));
    return {
      status: aborted ? 'aborted' : 'done',
      sources,
      events,
      updatedEvents: updated.size,
      bytesRead,
      durationMs: now() - started,
      filesReadByThreads: schedule.readByThreads,
      nextCheckpointAt: agentEdits?.nextCheckpointAt() ?? null,
    };
  } finally {
    if (ownSink) await ownSink.dispose();
    await release();
  }
}
