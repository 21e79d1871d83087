// The import run's side of agent output (docs/metrics.md, Agent output; docs/ledger.md, Import state): edits the
// parsers report become `agentEdit` events and pending checkpoints; checkpoints that fall due are measured by
// finding the edit again in its log (never stored: src/agentOutput/types.ts says how) and counting its added lines
// still in the file; checkpoints past their window become unknown. Paths and lines live only in memory, for the
// length of a run.
import * as path from 'node:path';
import { checkpointState, nextDueAt, openCheckpoints } from '../agentOutput/checkpoints';
import { countKeptLines } from '../agentOutput/kept';
import {
  forgetOldestSeen,
  loadPendingEdits,
  MAX_PENDING_EDITS,
  savePendingEdits,
  wasWritten,
  type PendingEdit,
  type PendingEdits,
} from '../agentOutput/pendingEdits';
import { KEPT_LINES_CHECKPOINT, type ParsedEdit } from '../agentOutput/types';
import { LEDGER_SCHEMA_VERSION, type AgentEditEvent, type AgentRetentionEvent, type UsageSource } from '../ledger/events';
import { readRegularFile } from '../files/boundedRead';
import { OpaqueIds, type EmittedIndex } from './emittedIndex';
import { reparseForEdits } from './incremental';
import type { ChunkPool } from './lineReader';
import { parseContext } from './rawJson';
import type { UsageParser } from './types';
import { addRejection, isPlausibleLogTime, type RejectedLines } from './usageBounds';

/** A file larger than this is not read to count kept lines (its checkpoint is unknown): no source file is. */
const MAX_EDITED_FILE_BYTES = 32 * 1024 * 1024;

/** A log that can be parsed again, as this run discovered it. */
export interface EditLog {
  path: string;
  parser: UsageParser;
}

export interface AgentEditRunOptions {
  storageDir: string;
  secret: string;
  now: number;
  keptModelName: (rawModel: string) => string;
  session: (source: UsageSource, sessionKey: string) => string;
  index: (source: UsageSource) => Promise<EmittedIndex>;
  /** Where each source's rejected edits are counted. */
  rejected: (source: UsageSource) => RejectedLines;
  /** The run's chunk buffer, for reading logs again. */
  chunks: ChunkPool;
}

interface FoundEdit {
  source: UsageSource;
  id: string;
  /** The edit as parsed; its path and lines only while a checkpoint of it is still open (else no run reads them). */
  edit: ParsedEdit;
  added: number;
  /** Checkpoints (seconds) not past yet when the run read it. */
  left: number[];
  log: string;
  at: number;
}

type AgentEvent = AgentEditEvent | AgentRetentionEvent;

export class AgentEditRun {
  private readonly editIds = new Map<UsageSource, OpaqueIds>();
  /** Edits first met in this run, by id: their paths and lines, so a checkpoint due now needs no second read. */
  private readonly found = new Map<string, FoundEdit>();
  private changed = false;

  private constructor(
    private readonly options: AgentEditRunOptions,
    private readonly pending: PendingEdits,
  ) {}

  static async load(options: AgentEditRunOptions): Promise<AgentEditRun> {
    return new AgentEditRun(options, await loadPendingEdits(options.storageDir));
  }

  /** The ledger id of an edit: a keyed hash of its source and tool call key. */
  private editId(source: UsageSource, key: string): string {
    let ids = this.editIds.get(source);
    if (!ids) {
      ids = new OpaqueIds(this.options.secret, `${source}:edit:`);
      this.editIds.set(source, ids);
    }
    return ids.of(key);
  }

  /** An edit a parser reported while a log was read: kept if it is new and plausible. */
  add(source: UsageSource, edit: ParsedEdit, log: string, at: number): void {
    if (!isPlausibleLogTime(edit.t, this.options.now)) {
      addRejection(this.options.rejected(source), 'timestamp');
      return;
    }
    const id = this.editId(source, edit.key);
    if (this.found.has(id) || wasWritten(this.pending, id, Math.floor(edit.t))) return;
    const added = edit.addedLines.length;
    const left = added > 0 ? openCheckpoints(Math.floor(edit.t), this.options.now) : [];
    // A first import reads months of edits whose checkpoints are all past: their lines would be held for nothing.
    const kept = left.length > 0 ? edit : { ...edit, filePath: '', addedLines: [] };
    this.found.set(id, { source, id, edit: kept, added, left, log, at });
  }

  /**
   * The run's agent events: one `agentEdit` per new edit, then an `agentRetention` per checkpoint decided now.
   * Pending checkpoints of new edits are scheduled first, so an edit read late is measured in the same run.
   * Without `logs` (a run stopped part-way) no checkpoint is decided, since that may read logs again; the new edits are
   * still returned, because the lines they came from are marked as read and will not be read again.
   */
  async events(logs: ReadonlyMap<string, EditLog> | undefined): Promise<AgentEvent[]> {
    const events: AgentEvent[] = [];
    for (const found of this.found.values()) {
      events.push(await this.schedule(found));
    }
    if (logs) events.push(...(await this.decideCheckpoints(logs)));
    this.changed = events.length > 0;
    return events;
  }

  private async schedule({ source, id, edit, added, left, log, at }: FoundEdit): Promise<AgentEditEvent> {
    const t = Math.floor(edit.t);
    const model = this.options.keptModelName(edit.model);
    this.pending.seen[id] = t;
    if (left.length > 0) {
      const response = edit.responseKey === undefined ? undefined : await this.responseId(source, edit.responseKey, edit.legacyResponseKey);
      this.pending.edits.push({ id, source, model, t, log, at, added, ...(response ? { response } : {}), left });
      if (response && left.includes(KEPT_LINES_CHECKPOINT)) {
        const judgement = (this.pending.responses[response] ??= { open: 0, kept: false, unknown: false });
        judgement.open++;
      }
    }
    return {
      v: LEDGER_SCHEMA_VERSION,
      t,
      kind: 'agentEdit',
      id,
      source,
      model,
      session: this.options.session(source, edit.sessionKey),
      linesAdded: added,
      linesRemoved: edit.removedLines,
    };
  }

  /**
   * The ledger id of an edit's response: its key's, unless only its legacy key's record is in the index (an earlier
   * Assay wrote the response, and no run since read it again to find it under its key).
   */
  private async responseId(source: UsageSource, key: string, legacyKey: string | undefined): Promise<string> {
    const index = await this.options.index(source);
    const id = index.recordId(key);
    if (legacyKey === undefined || index.tokenTotal(id) !== undefined) return id;
    const legacyId = index.recordId(legacyKey);
    return index.tokenTotal(legacyId) === undefined ? id : legacyId;
  }

  private async decideCheckpoints(logs: ReadonlyMap<string, EditLog>): Promise<AgentRetentionEvent[]> {
    const { now } = this.options;
    const overflow = this.pending.edits.length - MAX_PENDING_EDITS;
    const dropped = overflow > 0 ? new Set(this.pending.edits.sort((a, b) => a.t - b.t).slice(0, overflow)) : new Set<PendingEdit>();
    const decided: { edit: PendingEdit; checkpoint: number; kept: number | undefined }[] = [];
    const due: { edit: PendingEdit; checkpoint: number }[] = [];
    for (const edit of this.pending.edits) {
      for (const checkpoint of edit.left) {
        const state = dropped.has(edit) ? 'missed' : checkpointState(edit.t, checkpoint, now);
        if (state === 'missed') decided.push({ edit, checkpoint, kept: undefined });
        else if (state === 'due') due.push({ edit, checkpoint });
      }
    }
    const kept = await this.measure(due.map(({ edit }) => edit), logs);
    // Never more than the edit added: a log read again by a newer parser can find more lines in it (a file a patch
    // names twice is one edit now) than were counted when the edit was written.
    for (const { edit, checkpoint } of due) {
      const lines = kept.get(edit.id);
      decided.push({ edit, checkpoint, kept: lines === undefined ? undefined : Math.min(lines, edit.added) });
    }

    const events: AgentRetentionEvent[] = [];
    for (const { edit, checkpoint, kept: linesKept } of decided) {
      edit.left = edit.left.filter((left) => left !== checkpoint);
      events.push({
        v: LEDGER_SCHEMA_VERSION,
        t: now,
        kind: 'agentRetention',
        editId: edit.id,
        editedAt: edit.t,
        source: edit.source,
        model: edit.model,
        checkpoint,
        known: linesKept !== undefined,
        linesAdded: edit.added,
        linesKept: linesKept ?? 0,
        ...(checkpoint === KEPT_LINES_CHECKPOINT ? await this.judgeResponse(edit, linesKept) : {}),
      });
    }
    this.pending.edits = this.pending.edits.filter((edit) => edit.left.length > 0);
    return events;
  }

  /** Waste tokens when this edit's 1-day outcome was the last one its response waited for and nothing was kept. */
  private async judgeResponse(edit: PendingEdit, kept: number | undefined): Promise<{ wasteTokens?: number }> {
    const judgement = edit.response === undefined ? undefined : this.pending.responses[edit.response];
    if (!judgement || edit.response === undefined) return {};
    judgement.open = Math.max(0, judgement.open - 1);
    if (kept === undefined) judgement.unknown = true;
    else if (kept > 0) judgement.kept = true;
    if (judgement.open > 0) return {};
    delete this.pending.responses[edit.response];
    if (judgement.kept || judgement.unknown) return {};
    const tokens = (await this.options.index(edit.source)).tokenTotal(edit.response);
    return tokens === undefined ? {} : { wasteTokens: tokens };
  }

  /** Lines kept per edit id; an edit whose log or line cannot be found again is absent (unknown). */
  private async measure(edits: readonly PendingEdit[], logs: ReadonlyMap<string, EditLog>): Promise<Map<string, number>> {
    const kept = new Map<string, number>();
    const wanted = new Map<string, PendingEdit[]>();
    for (const edit of edits) {
      const known = this.found.get(edit.id);
      if (known) {
        const count = this.countKept(known.edit);
        if (count !== undefined) kept.set(edit.id, count);
        continue;
      }
      const list = wanted.get(edit.log) ?? [];
      list.push(edit);
      wanted.set(edit.log, list);
    }
    for (const [identity, logEdits] of wanted) {
      const log = logs.get(identity);
      if (!log) continue;
      const ids = new Set(logEdits.map((edit) => edit.id));
      const again = new Map<string, ParsedEdit>();
      // Keyed as on the first read, so keys that hold a name digest (Codex) match.
      const context = parseContext(this.options.secret, {}, (edit) => {
        const id = this.editId(log.parser.source, edit.key);
        if (ids.has(id) && !again.has(id)) again.set(id, edit);
      });
      try {
        await reparseForEdits(log.path, log.parser, logEdits.map((edit) => edit.at), context, this.options.chunks);
      } catch {
        continue;
      }
      for (const [id, edit] of again) {
        const count = this.countKept(edit);
        if (count !== undefined) kept.set(id, count);
      }
    }
    return kept;
  }

  private readonly fileTexts = new Map<string, string | undefined | null>();

  private countKept(edit: ParsedEdit): number | undefined {
    const text = this.fileText(edit.filePath);
    return text === null ? undefined : countKeptLines(edit.addedLines, text);
  }

  /** The file's text; undefined when it is gone (nothing kept); null when it cannot be judged (unknown). */
  private fileText(filePath: string): string | undefined | null {
    if (this.fileTexts.has(filePath)) return this.fileTexts.get(filePath);
    let text: string | undefined | null = null;
    if (path.isAbsolute(filePath)) {
      // Bounded as it is read, not by its size: the path comes from a log, and a file the kernel makes up as it is read
      // (/proc/self/pagemap says 0 bytes and holds gigabytes) would take the process down with it.
      try {
        text = readRegularFile(filePath, MAX_EDITED_FILE_BYTES)?.toString('utf8') ?? null;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') text = undefined;
      }
    }
    this.fileTexts.set(filePath, text);
    return text;
  }

  /** Epoch ms when the next pending checkpoint falls due, or null. */
  nextCheckpointAt(): number | null {
    return nextDueAt(this.pending.edits, this.options.now);
  }

  /** Writes the pending edits when this run changed them. */
  async save(): Promise<void> {
    if (!this.changed) return;
    forgetOldestSeen(this.pending);
    await savePendingEdits(this.options.storageDir, this.pending);
  }
}
