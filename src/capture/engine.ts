// The capture engine (docs/metrics.md, docs/architecture.md): the editor glue turns VS Code events into plain data and
// calls this; it classifies edits, counts activity, emits acceptances and tracks retention. It
// holds no document text beyond the current partial-accept chain's own inserted text (below), and
// nothing from a document ever reaches an event.
//
// Edge cases decided here (each is tested in test/unit/capture/engine.test.ts):
// - Net inserted text of an accept strips the common prefix/suffix with the replaced text. The
//   replaced text comes from `TextChange.replacedText` when the glue supplies it; otherwise, when
//   the replaced range lies inside the current chain's own accepted text (VS Code 1.100.3's second
//   acceptNextLine replaces the line it inserted with the whole suggestion), from that text, kept
//   in memory only until the chain ends; otherwise nothing is stripped.
// - Chains: a `word` or `line` accept starts a chain, or continues it when its net text starts
//   exactly at the chain's end and no other edit of that document came between. A `full` accept
//   continuing a chain counts its lines with the chain, then ends it (it commits the rest of the
//   suggestion); a `full` accept elsewhere counts its own lines and starts no chain.
// - An accept event with several changes (multi-cursor accept) is one acceptance: chars and
//   lines are summed over the changes' net texts, every inserted range is tracked; it starts no
//   chain and ends any.
// - An accept with 0 net characters is still an acceptance (AcceptEvent, chars 0) but has no
//   retention checkpoints: retention of nothing is undefined.
// - Events with no content changes (VS Code sends them when only the dirty state changes) are
//   not edits: ignored, they do not end a chain.
// - Checkpoints that fell due before an edit are emitted before the edit is applied, so ARC(t) is
//   exact however late `tick` runs; a known checkpoint's `t` is its due time. Unknown checkpoints
//   are emitted when the cause is learned, with `t` = that moment.
// - Activity counters: one bucket per allowlisted (languageId, provider, workspace); an event's
//   `t` is the bucket's first activity, and activity on a later local day flushes the bucket
//   first, so each event covers one day.
// - `workspace` must be an opaque id (16 hex); anything else is recorded as `other`.
// - A reload from disk is only recognisable after the fact (the glue waits for the dirty flag):
//   `documentReloaded` follows the `documentChanged` of that change and moves its count to `reload`.
// - Agent edits in the editor (docs/metrics.md): while the glue watches a chat session log
//   (`setAgentEditMatching`), a `paste`, `largeEdit` or `multiCursor` change is held, uncounted, for
//   AGENT_EDIT_WINDOW_MS instead of being counted at once. When the log names it (`agentEditsLogged`, matched
//   by ./agentEditMatch.ts) it is counted once as the agent's (`agentEdits`, `agentChars`); when the window ends,
//   on `flushActivity` and on `shutdown` it is counted in its own class, exactly as it would have been without
//   matching. Holding instead of counting and correcting keeps every count exact: a bucket already written is
//   never corrected (the ledger is append-only and a count cannot go below 0), and nothing is counted twice. A
//   held change is counted in the bucket open when it is decided (a change held across midnight lands on the
//   next day). Retention tracking and chains see the change at once, as before.
import {
  LEDGER_SCHEMA_VERSION,
  type AcceptEvent,
  type AcceptMode,
  type ActivityEvent,
  type LedgerEvent,
  type OtherEditClass,
  type RetentionEvent,
  type UnknownReason,
} from '../ledger/events';
import { allowLanguageId, allowProvider, OTHER } from '../privacy/allowlists';
import { OPAQUE_ID_LENGTH, randomId } from '../privacy/opaqueId';
import { AgentEditMatcher } from './agentEditMatch';
import { classifyEdit, insertedChars } from './classifier';
import { localDayBounds } from '../calendar/dates';
import { RangeTracker, type RangeOwner } from './retention';
import type { DocumentInfo, EditReason, TextChange } from './types';

export type { DocumentInfo, EditReason, TextChange } from './types';

const OPPORTUNITY_DEBOUNCE_MS = 250;
const DEFAULT_ACTIVITY_FLUSH_MS = 60_000;
/**
 * How long an unexplained change waits for an agent's log to name it. VS Code writes chat sessions when its
 * storage flushes: every 60 s once the window is idle, and on shutdown (microsoft/vscode
 * src/vs/platform/storage/common/storage.ts at 88419f9ee8257d499665c09d2926b0e48ff1f0f3, DEFAULT_FLUSH_INTERVAL;
 * chatServiceImpl.ts saveState on onWillSaveState; chatSessionStore.ts appends to the log). Twice that leaves
 * room for the idle wait and for the glue's look at the log.
 */
const AGENT_EDIT_WINDOW_MS = 120_000;

const OPAQUE_WORKSPACE_ID = new RegExp(`^[0-9a-f]{${OPAQUE_ID_LENGTH}}$`);

export interface CaptureEngineOptions {
  checkpointsSeconds: readonly number[];
  sink: (event: LedgerEvent) => void;
  activityFlushMs?: number;
}

interface Category {
  languageId: string;
  provider: string;
  workspace: string;
}

class ActivityBucket {
  /** First activity since the last flush, or -1 when empty. */
  since = -1;
  /** End of the local day `since` falls on. */
  dayEnd = 0;
  opportunities = 0;
  typedChars = 0;
  otherChars = 0;
  otherEdits: Record<OtherEditClass, number> = ActivityBucket.zeroEdits();
  agentEdits = 0;
  agentChars = 0;

  constructor(readonly category: Category) {}

  static zeroEdits(): Record<OtherEditClass, number> {
    return { paste: 0, undo: 0, redo: 0, multiCursor: 0, largeEdit: 0, deletion: 0, reload: 0, notebook: 0 };
  }
}

interface Acceptance extends RangeOwner {
  id: string;
  acceptedAt: number;
  chars: number;
  /** Index into the checkpoint list of the next checkpoint to emit. */
  nextCheckpoint: number;
  doc: DocState;
  category: Category;
}

/** Consecutive partial accepts of one suggestion (docs/metrics.md, Inline suggestions). */
interface Chain {
  start: number;
  end: number;
  /** The chain's inserted text, which the document holds at [start, end) while the chain lasts. */
  text: string;
  /** The line the chain ends on already has a counted non-blank character. */
  lastLineCounted: boolean;
}

class DocState {
  readonly tracker = new RangeTracker<Acceptance>();
  chain: Chain | undefined;
  /** Offset -> time of the last counted opportunity there. */
  readonly recentOpportunities = new Map<number, number>();
  /**
   * How the latest non-accept edit was counted, so that a later verdict that it was a reload
   * from disk (the glue can only tell once the dirty flag settles) moves it rather than adds one.
   * Plain fields, not an object: this is written on every keystroke.
   */
  lastEditClass: 'typed' | OtherEditClass | undefined;
  lastEditChars = 0;
  lastEditBucketSince = -1;
  /** The latest non-accept edit, when it is held for agent edit matching (not counted yet). */
  lastEditHeld: HeldChange | undefined;
  /**
   * Changes the glue has still to judge as a reload from disk or not. Meanwhile the document's due checkpoints wait:
   * measured on a reloaded text, they would be known where they are unknown.
   */
  reloadVerdictsDue = 0;

  constructor(
    public languageId: string,
    public provider: string,
    public workspace: string,
    public bucket: ActivityBucket,
  ) {}
}

/** A change held until an agent's log names it or its window ends, counted then and only then. */
interface HeldChange {
  bucket: ActivityBucket;
  editClass: OtherEditClass;
  chars: number;
}

/** Classes a change an agent applied in the editor takes (several edits at once, or one multi-character one). */
const AGENT_EDIT_CLASSES: ReadonlySet<OtherEditClass> = new Set(['paste', 'largeEdit', 'multiCursor']);

interface NetEdit {
  offset: number;
  deleted: number;
  text: string;
}

export class CaptureEngine {
  private readonly checkpoints: readonly number[];
  private readonly sink: (event: LedgerEvent) => void;
  private readonly activityFlushMs: number;
  private readonly docs = new Map<string, DocState>();
  private readonly buckets = new Map<string, ActivityBucket>();
  private readonly pending = new Set<Acceptance>();
  private nextCheckpointAt = Infinity;
  private readonly agentEdits: AgentEditMatcher<HeldChange>;
  private matchedAgentEditCount = 0;
  private matchingAgentEdits = false;

  constructor(options: CaptureEngineOptions) {
    this.checkpoints = [...new Set(options.checkpointsSeconds)].filter((s) => s > 0).sort((a, b) => a - b);
    this.sink = options.sink;
    this.activityFlushMs = options.activityFlushMs ?? DEFAULT_ACTIVITY_FLUSH_MS;
    this.agentEdits = new AgentEditMatcher(AGENT_EDIT_WINDOW_MS);
  }

  /** One onDidChangeTextDocument. `acceptMode` is set when this change is the one an accept command caused. */
  documentChanged(
    doc: DocumentInfo,
    changes: readonly TextChange[],
    reason: EditReason,
    now: number,
    acceptMode?: AcceptMode,
  ): void {
    if (changes.length === 0) return;
    if (now >= this.nextCheckpointAt) this.emitDueCheckpoints(now);
    const state = this.stateFor(doc);
    const editClass = classifyEdit(changes, reason, acceptMode !== undefined, doc.isNotebookCell);
    if (editClass === 'accept') {
      this.accept(state, changes, acceptMode ?? 'full', now);
      return;
    }
    state.chain = undefined;
    state.lastEditHeld = undefined;
    if (editClass === 'typed') {
      const bucket = this.activeBucket(state.bucket, now);
      state.lastEditChars = insertedChars(changes);
      bucket.typedChars += state.lastEditChars;
      state.lastEditBucketSince = bucket.since;
    } else {
      state.lastEditChars = insertedChars(changes);
      const held: HeldChange = { bucket: state.bucket, editClass, chars: state.lastEditChars };
      if (this.matchingAgentEdits && AGENT_EDIT_CLASSES.has(editClass) && this.agentEdits.hold(doc.key, changes.map((c) => c.text), now, held)) {
        state.lastEditHeld = held;
      } else {
        this.countOther(held, now);
      }
      state.lastEditBucketSince = state.bucket.since;
    }
    state.lastEditClass = editClass;
    if (state.tracker.rangeCount > 0) applyChanges(state.tracker, changes);
  }

  /**
   * Whether unexplained changes are held for an agent's log (the glue turns this on while it watches one). Off
   * again, every held change is counted as it would have been.
   */
  setAgentEditMatching(on: boolean, now: number): void {
    this.matchingAgentEdits = on;
    if (!on) for (const held of this.agentEdits.drain()) this.countOther(held, now);
  }

  /** An agent's log names edits it applied to the document `docKey` (the new text of each): its held changes they cover become the agent's. */
  agentEditsLogged(docKey: string, texts: readonly string[], now: number): void {
    for (const held of this.agentEdits.expire(now)) this.countOther(held, now);
    for (const held of this.agentEdits.matchLogged(docKey, texts, now)) {
      const bucket = this.activeBucket(held.bucket, now);
      bucket.agentEdits++;
      bucket.agentChars += held.chars;
      this.matchedAgentEditCount++;
    }
  }

  /** Changes waiting for an agent's log: the glue looks at the log only while there are some. */
  get heldAgentEditCandidates(): number {
    return this.agentEdits.size;
  }

  /** Changes a log has named since the engine started: what a test or a diagnostic can wait on, whatever else is held. */
  get matchedAgentEdits(): number {
    return this.matchedAgentEditCount;
  }

  /** The passive inline-completion provider was asked at `offset`. */
  opportunity(doc: DocumentInfo, offset: number, now: number): void {
    const state = this.stateFor(doc);
    const recent = state.recentOpportunities;
    const last = recent.get(offset);
    if (last !== undefined && now - last < OPPORTUNITY_DEBOUNCE_MS) return;
    for (const [at, time] of recent) {
      if (now - time >= OPPORTUNITY_DEBOUNCE_MS) recent.delete(at);
    }
    recent.set(offset, now);
    this.activeBucket(state.bucket, now).opportunities++;
  }

  /** Pending checkpoints of the document become unknown (`closed`). */
  documentClosed(docKey: string, now: number): void {
    if (now >= this.nextCheckpointAt) this.emitDueCheckpoints(now);
    const state = this.docs.get(docKey);
    if (!state) return;
    this.abandon(now, 'closed', state);
    this.docs.delete(docKey);
  }

  /**
   * The document's latest change was the editor reloading it from disk: pending checkpoints become
   * unknown (`reload`), and that change, already counted as typing or another edit, is counted as
   * a reload instead (unless its counters were flushed meanwhile).
   */
  documentReloaded(docKey: string, now: number): void {
    if (now >= this.nextCheckpointAt) this.emitDueCheckpoints(now);
    const state = this.docs.get(docKey);
    if (!state) return;
    state.reloadVerdictsDue = Math.max(0, state.reloadVerdictsDue - 1);
    this.abandon(now, 'reload', state);
    state.chain = undefined;
    const bucket = this.activeBucket(state.bucket, now);
    const held = state.lastEditHeld;
    if (held !== undefined && this.agentEdits.release(held)) {
      // Not counted yet: it is counted here, as a reload, and only here.
      bucket.otherChars += held.chars;
    } else if (state.lastEditClass !== undefined && held === undefined && state.lastEditBucketSince === bucket.since) {
      if (state.lastEditClass === 'typed') bucket.typedChars -= state.lastEditChars;
      else {
        bucket.otherEdits[state.lastEditClass]--;
        bucket.otherChars -= state.lastEditChars;
      }
      bucket.otherChars += state.lastEditChars;
    }
    state.lastEditClass = undefined;
    state.lastEditHeld = undefined;
    bucket.otherEdits.reload++;
  }

  /**
   * The document's latest change may be a reload from disk (it left the document clean); the glue says which with
   * `documentReloaded` or `notReloaded`. Its checkpoints that fall due meanwhile wait for the verdict.
   */
  reloadSuspected(docKey: string): void {
    const state = this.docs.get(docKey);
    if (state) state.reloadVerdictsDue++;
  }

  /** The change `reloadSuspected` was about was an edit: the document's due checkpoints are measured now. */
  notReloaded(docKey: string, now: number): void {
    const state = this.docs.get(docKey);
    if (state) state.reloadVerdictsDue = Math.max(0, state.reloadVerdictsDue - 1);
    if (now >= this.nextCheckpointAt) this.emitDueCheckpoints(now);
  }

  /** Every pending checkpoint becomes unknown (`branchSwitch`). */
  branchSwitched(now: number): void {
    if (now >= this.nextCheckpointAt) this.emitDueCheckpoints(now);
    this.abandon(now, 'branchSwitch');
    for (const state of this.docs.values()) state.chain = undefined;
  }

  /** Emits due retention checkpoints and flushes activity counters older than the flush interval. */
  tick(now: number): void {
    if (now >= this.nextCheckpointAt) this.emitDueCheckpoints(now);
    for (const held of this.agentEdits.expire(now)) this.countOther(held, now);
    for (const bucket of this.buckets.values()) {
      if (bucket.since >= 0 && now - bucket.since >= this.activityFlushMs) this.flush(bucket);
    }
  }

  /** Earliest time `tick` has work, or undefined when there is none. */
  nextDueAt(): number | undefined {
    let next = Math.min(this.nextCheckpointAt, this.agentEdits.nextExpiry() ?? Infinity);
    for (const bucket of this.buckets.values()) {
      if (bucket.since >= 0) next = Math.min(next, bucket.since + this.activityFlushMs);
    }
    return next === Infinity ? undefined : next;
  }

  /**
   * Writes every activity counter now, e.g. before a test or a report reads the ledger; changes still waiting for
   * an agent's log are decided first: counted as they would have been.
   */
  flushActivity(now: number): void {
    for (const held of this.agentEdits.drain()) this.countOther(held, now);
    for (const bucket of this.buckets.values()) this.flush(bucket);
  }

  /** The window ends: every pending checkpoint becomes unknown (`windowEnded`); all counters flush. */
  shutdown(now: number): void {
    if (now >= this.nextCheckpointAt) this.emitDueCheckpoints(now);
    this.abandon(now, 'windowEnded');
    for (const held of this.agentEdits.drain()) this.countOther(held, now);
    for (const bucket of this.buckets.values()) this.flush(bucket);
  }

  private accept(state: DocState, changes: readonly TextChange[], mode: AcceptMode, now: number): void {
    const tracker = state.tracker;
    if (changes.length > 1) {
      state.chain = undefined;
      const ordered = descending(changes);
      const nets = ordered.map((change) => netEdit(change, undefined));
      let chars = 0;
      let lines = 0;
      for (const net of nets) {
        chars += net.text.length;
        lines += countLines(net.text, false).lines;
      }
      const acceptance = this.recordAcceptance(state, mode, chars, lines, now);
      // Descending order: adding each range right after its edit lets the lower edits still to
      // come shift it into post-event coordinates.
      for (const net of nets) {
        tracker.applyEdit(net.offset, net.deleted, net.text.length);
        if (acceptance) tracker.add(acceptance, net.offset, net.offset + net.text.length);
      }
      return;
    }

    const chain = state.chain;
    const net = netEdit(changes[0], chain);
    const continues = chain !== undefined && net.offset === chain.end;
    const counted = countLines(net.text, continues && chain.lastLineCounted);
    const acceptance = this.recordAcceptance(state, mode, net.text.length, counted.lines, now);
    tracker.applyEdit(net.offset, net.deleted, net.text.length);
    if (acceptance) tracker.add(acceptance, net.offset, net.offset + net.text.length);
    if (mode === 'full') {
      state.chain = undefined;
    } else if (continues) {
      chain.end += net.text.length;
      chain.text += net.text;
      chain.lastLineCounted = counted.lastLineCounted;
    } else {
      state.chain = {
        start: net.offset,
        end: net.offset + net.text.length,
        text: net.text,
        lastLineCounted: counted.lastLineCounted,
      };
    }
  }

  /** Emits the AcceptEvent; returns the acceptance to track, or undefined when it inserted nothing. */
  private recordAcceptance(
    state: DocState,
    mode: AcceptMode,
    chars: number,
    lines: number,
    now: number,
  ): Acceptance | undefined {
    const category = state.bucket.category;
    const event: AcceptEvent = {
      v: LEDGER_SCHEMA_VERSION,
      t: now,
      kind: 'accept',
      id: randomId(),
      mode,
      chars,
      lines,
      ...category,
    };
    this.emit(event);
    if (chars === 0 || this.checkpoints.length === 0) return undefined;
    const acceptance: Acceptance = {
      id: event.id,
      acceptedAt: now,
      chars,
      present: chars,
      touched: false,
      nextCheckpoint: 0,
      doc: state,
      category,
    };
    this.pending.add(acceptance);
    this.nextCheckpointAt = Math.min(this.nextCheckpointAt, this.dueAt(acceptance));
    return acceptance;
  }

  private dueAt(acceptance: Acceptance): number {
    return acceptance.acceptedAt + this.checkpoints[acceptance.nextCheckpoint] * 1000;
  }

  private emitDueCheckpoints(now: number): void {
    let next = Infinity;
    for (const acceptance of this.pending) {
      let due = this.dueAt(acceptance);
      if (acceptance.doc.reloadVerdictsDue > 0) {
        next = Math.min(next, due);
        continue;
      }
      while (due <= now) {
        this.emitRetention(acceptance, due, {
          outcome: 'known',
          arc: acceptance.present,
          unchanged: !acceptance.touched,
        });
        acceptance.nextCheckpoint++;
        if (acceptance.nextCheckpoint === this.checkpoints.length) break;
        due = this.dueAt(acceptance);
      }
      if (acceptance.nextCheckpoint === this.checkpoints.length) {
        this.pending.delete(acceptance);
        acceptance.doc.tracker.remove(acceptance);
      } else {
        next = Math.min(next, due);
      }
    }
    this.nextCheckpointAt = next;
  }

  /** Every remaining checkpoint of the pending acceptances (of one document, or all) becomes unknown. */
  private abandon(now: number, reason: UnknownReason, only?: DocState): void {
    for (const acceptance of this.pending) {
      if (only !== undefined && acceptance.doc !== only) continue;
      for (; acceptance.nextCheckpoint < this.checkpoints.length; acceptance.nextCheckpoint++) {
        this.emitRetention(acceptance, now, { outcome: 'unknown', reason, arc: 0, unchanged: false });
      }
      this.pending.delete(acceptance);
    }
    if (only) {
      only.tracker.clear();
    } else {
      for (const state of this.docs.values()) state.tracker.clear();
    }
    let next = Infinity;
    for (const acceptance of this.pending) next = Math.min(next, this.dueAt(acceptance));
    this.nextCheckpointAt = next;
  }

  private emitRetention(
    acceptance: Acceptance,
    t: number,
    outcome: Pick<RetentionEvent, 'outcome' | 'reason' | 'arc' | 'unchanged'>,
  ): void {
    this.emit({
      v: LEDGER_SCHEMA_VERSION,
      t,
      kind: 'retention',
      acceptId: acceptance.id,
      acceptedAt: acceptance.acceptedAt,
      checkpoint: this.checkpoints[acceptance.nextCheckpoint],
      ...outcome,
      chars: acceptance.chars,
      ...acceptance.category,
    });
  }

  private stateFor(doc: DocumentInfo): DocState {
    let state = this.docs.get(doc.key);
    if (state === undefined) {
      state = new DocState(doc.languageId, doc.provider, doc.workspace, this.bucketFor(doc));
      this.docs.set(doc.key, state);
    } else if (
      state.languageId !== doc.languageId ||
      state.provider !== doc.provider ||
      state.workspace !== doc.workspace
    ) {
      state.languageId = doc.languageId;
      state.provider = doc.provider;
      state.workspace = doc.workspace;
      state.bucket = this.bucketFor(doc);
    }
    return state;
  }

  private bucketFor(doc: DocumentInfo): ActivityBucket {
    const category: Category = {
      languageId: allowLanguageId(doc.languageId),
      provider: allowProvider(doc.provider),
      workspace: OPAQUE_WORKSPACE_ID.test(doc.workspace) ? doc.workspace : OTHER,
    };
    const key = `${category.languageId}\u0000${category.provider}\u0000${category.workspace}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new ActivityBucket(category);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Counts a change that is neither typed nor the agent's in its class. */
  private countOther(held: HeldChange, now: number): void {
    const bucket = this.activeBucket(held.bucket, now);
    bucket.otherEdits[held.editClass]++;
    bucket.otherChars += held.chars;
  }

  /** The bucket, started (or, on a new local day, flushed and restarted) at `now`. */
  private activeBucket(bucket: ActivityBucket, now: number): ActivityBucket {
    if (bucket.since >= 0 && now < bucket.dayEnd) return bucket;
    if (bucket.since >= 0) this.flush(bucket);
    bucket.since = now;
    bucket.dayEnd = localDayBounds(now).end;
    return bucket;
  }

  private flush(bucket: ActivityBucket): void {
    if (bucket.since < 0) return;
    const otherEdits: ActivityEvent['otherEdits'] = {};
    let any = bucket.opportunities > 0 || bucket.typedChars > 0 || bucket.otherChars > 0 || bucket.agentEdits > 0;
    for (const [editClass, count] of Object.entries(bucket.otherEdits) as Array<[OtherEditClass, number]>) {
      if (count > 0) {
        otherEdits[editClass] = count;
        any = true;
      }
    }
    if (any) {
      this.emit({
        v: LEDGER_SCHEMA_VERSION,
        t: bucket.since,
        kind: 'activity',
        id: randomId(),
        ...bucket.category,
        opportunities: bucket.opportunities,
        typedChars: bucket.typedChars,
        otherEdits,
        otherChars: bucket.otherChars,
        ...(bucket.agentEdits > 0 ? { agentEdits: bucket.agentEdits, agentChars: bucket.agentChars } : {}),
      });
    }
    bucket.since = -1;
    bucket.opportunities = 0;
    bucket.typedChars = 0;
    bucket.otherChars = 0;
    bucket.otherEdits = ActivityBucket.zeroEdits();
    bucket.agentEdits = 0;
    bucket.agentChars = 0;
  }

  private emit(event: LedgerEvent): void {
    this.sink(event);
  }
}

/** Changes in descending offset order (VS Code gives them relative to the pre-event document). */
function descending(changes: readonly TextChange[]): readonly TextChange[] {
  for (let i = 1; i < changes.length; i++) {
    if (changes[i].rangeOffset > changes[i - 1].rangeOffset) {
      return [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset);
    }
  }
  return changes;
}

function applyChanges(tracker: RangeTracker<Acceptance>, changes: readonly TextChange[]): void {
  if (changes.length === 1) {
    const change = changes[0];
    tracker.applyEdit(change.rangeOffset, change.rangeLength, change.text.length);
    return;
  }
  for (const change of descending(changes)) {
    tracker.applyEdit(change.rangeOffset, change.rangeLength, change.text.length);
  }
}

/** The change minus the common prefix and suffix it shares with the text it replaced. */
function netEdit(change: TextChange, chain: Chain | undefined): NetEdit {
  const whole = { offset: change.rangeOffset, deleted: change.rangeLength, text: change.text };
  if (change.rangeLength === 0) return whole;
  let replaced = change.replacedText;
  if (replaced === undefined && chain !== undefined) {
    const from = change.rangeOffset - chain.start;
    if (from >= 0 && change.rangeOffset + change.rangeLength <= chain.end) {
      replaced = chain.text.slice(from, from + change.rangeLength);
    }
  }
  if (replaced === undefined || replaced.length !== change.rangeLength) return whole;
  const text = change.text;
  const limit = Math.min(replaced.length, text.length);
  let prefix = 0;
  while (prefix < limit && replaced.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    replaced.charCodeAt(replaced.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
  ) {
    suffix++;
  }
  return {
    offset: change.rangeOffset + prefix,
    deleted: change.rangeLength - prefix - suffix,
    text: text.slice(prefix, text.length - suffix),
  };
}

/**
 * Non-blank lines of `text` (split on `\n`). A line counts when its first non-blank character
 * appears, unless it is the line a chain already counted (`lineAlreadyCounted`, for the first one).
 */
function countLines(text: string, lineAlreadyCounted: boolean): { lines: number; lastLineCounted: boolean } {
  let lines = 0;
  let counted = lineAlreadyCounted;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      counted = false;
    } else if (!counted && c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) {
      lines++;
      counted = true;
    }
  }
  return { lines, lastLineCounted: counted };
}
