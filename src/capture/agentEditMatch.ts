// Decides which unexplained document changes an agent made, from the edits its chat session log names
// (docs/metrics.md, Typed and AI characters). Pure: the editor glue reads the log, the engine holds changes.
//
// Why a change matches by substring and not by equal text. Copilot Chat logs each edit as the tool gave it
// (`{text, range}`), but the editor applies it in one of two ways (microsoft/vscode
// src/vs/workbench/contrib/chat/browser/chatEditing/chatEditingTextModelChangeService.ts at
// 00e17c7f7f53adb3ac5c5d2399b92e2cd5f766fd, acceptAgentEdits): streamed batches as logged (their ranges rebased,
// their text unchanged), and a file's last batch through computeMoreMinimalEdits, which replaces each logged edit
// by the character diff between the text it replaces and its new text
// (src/vs/editor/common/services/editorSimpleWorker.ts: each minimal edit's text is `text.substr(...)` of the
// logged text, line breaks turned into the document's). So every text one change event inserts is a
// substring of some text of the file's logged edit group; that is the rule, with `\r\n` and `\r` read as `\n`.
//
// What is kept. Per held change only its document key, when it expires, and for each inserted text its length
// and two 32-bit polynomial hashes: of its first ANCHOR_CHARS characters, and of all of it (under two bases). No
// text. A logged group is scanned with one rolling hash per anchor length the held changes need (at most
// ANCHOR_CHARS - MIN_EVIDENCE_CHARS + 1 passes), each anchor hit is checked against the whole piece's hashes, and
// the group is then dropped. Hashes, not text, so a wrong match is possible in principle (two 32-bit hashes of
// the same length and place agreeing by chance); it costs one change counted as the agent's.
//
// Limits, decided here: a change whose texts are all shorter than MIN_EVIDENCE_CHARS or only whitespace is not
// held (a short piece is found in almost any logged text, so it is no evidence); every inserted text of a
// change must be found in one group (of one file) for the change to match; a change is matched once, by the
// first group that covers it. A person pasting, within the window, text that the agent's edit of the same
// file also holds is taken for the agent.

/** The longest inserted text of a change must be at least this long, with a non-blank character, to be held. */
export const MIN_EVIDENCE_CHARS = 3;
/** Pieces are found by their first this many characters, then checked whole. */
const ANCHOR_CHARS = 16;
/**
 * Characters one scan may check behind anchor hits: a degenerate text (one character repeated) makes every
 * position a hit; past this, the rest of the group is not searched and its changes stay as they are.
 */
const MAX_CHECKED_CHARS = 32 * 1024 * 1024;

const B1 = 0x01000193;
const B2 = 0x5bd1e995;

interface Piece {
  length: number;
  anchor: number;
  h1: number;
  h2: number;
}

interface Held<T> {
  docKey: string;
  expiresAt: number;
  pieces: Piece[];
  payload: T;
}

/** The text with `\r\n` and lone `\r` read as `\n`, as both sides of a match are compared. */
function normalized(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n');
}

/** Polynomial hash (mod 2^32) of text[start, end). */
function hash(text: string, start: number, end: number, base: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, base) + text.charCodeAt(i)) | 0;
  return h;
}

function pieceOf(text: string): Piece {
  return {
    length: text.length,
    anchor: hash(text, 0, Math.min(text.length, ANCHOR_CHARS), B1),
    h1: hash(text, 0, text.length, B1),
    h2: hash(text, 0, text.length, B2),
  };
}

function isEvidence(text: string): boolean {
  return text.length >= MIN_EVIDENCE_CHARS && /\S/.test(text);
}

/**
 * Adds to `found` every piece of `anchored` (all with anchors of `anchorLength` characters, keyed by anchor) that
 * occurs in `text`; returns the characters checked behind hits, to be kept under MAX_CHECKED_CHARS.
 */
function findPieces(text: string, anchorLength: number, anchored: Map<number, Piece[]>, found: Set<Piece>, budget: number): number {
  if (text.length < anchorLength) return 0;
  let drop = 1;
  for (let i = 1; i < anchorLength; i++) drop = Math.imul(drop, B1);
  let checked = 0;
  let h = 0;
  for (let i = 0; i < text.length; i++) {
    if (i >= anchorLength) h = (h - Math.imul(text.charCodeAt(i - anchorLength), drop)) | 0;
    h = (Math.imul(h, B1) + text.charCodeAt(i)) | 0;
    if (i < anchorLength - 1) continue;
    const candidates = anchored.get(h);
    if (candidates === undefined) continue;
    const start = i - anchorLength + 1;
    for (const piece of candidates) {
      const end = start + piece.length;
      if (found.has(piece) || end > text.length) continue;
      checked += piece.length;
      if (checked > budget) return checked;
      if (hash(text, start, end, B1) === piece.h1 && hash(text, start, end, B2) === piece.h2) found.add(piece);
    }
  }
  return checked;
}

/**
 * Unexplained changes held for `windowMs`, each with a payload the caller counts once: as the agent's when a
 * logged edit group covers it (`matchLogged`), else as before when it expires (`expire`) or is let go.
 */
export class AgentEditMatcher<T> {
  /** Oldest first: every change is held for the same window, so expiry only ever looks at the front. */
  private held: Held<T>[] = [];

  constructor(private readonly windowMs: number) {}

  get size(): number {
    return this.held.length;
  }

  /** Holds a change that inserted `texts` into the document; false (not held) when they are no evidence. */
  hold(docKey: string, texts: readonly string[], now: number, payload: T): boolean {
    let evidence = false;
    const pieces: Piece[] = [];
    for (const raw of texts) {
      if (raw.length === 0) continue;
      const text = normalized(raw);
      if (isEvidence(text)) evidence = true;
      pieces.push(pieceOf(text));
    }
    if (!evidence) return false;
    this.held.push({ docKey, expiresAt: now + this.windowMs, pieces, payload });
    return true;
  }

  /**
   * The held changes of `docKey` that one logged edit group (the new texts of every edit the log names for that
   * file) covers: each is removed and returned, oldest first.
   */
  matchLogged(docKey: string, loggedTexts: readonly string[], now: number): T[] {
    const candidates = this.held.filter((held) => held.docKey === docKey && held.expiresAt > now);
    if (candidates.length === 0) return [];
    const byAnchorLength = new Map<number, Map<number, Piece[]>>();
    for (const held of candidates) {
      for (const piece of held.pieces) {
        const anchorLength = Math.min(piece.length, ANCHOR_CHARS);
        let anchored = byAnchorLength.get(anchorLength);
        if (anchored === undefined) byAnchorLength.set(anchorLength, (anchored = new Map()));
        const same = anchored.get(piece.anchor);
        if (same === undefined) anchored.set(piece.anchor, [piece]);
        else same.push(piece);
      }
    }
    const found = new Set<Piece>();
    let budget = MAX_CHECKED_CHARS;
    for (const raw of loggedTexts) {
      const text = normalized(raw);
      for (const [anchorLength, anchored] of byAnchorLength) {
        budget -= findPieces(text, anchorLength, anchored, found, budget);
        if (budget < 0) break;
      }
      if (budget < 0) break;
    }
    const matched = candidates.filter((held) => held.pieces.every((piece) => found.has(piece)));
    if (matched.length === 0) return [];
    const gone = new Set(matched);
    this.held = this.held.filter((held) => !gone.has(held));
    return matched.map((held) => held.payload);
  }

  /** Lets one held change go (the caller counts it some other way); false when it is no longer held. */
  release(payload: T): boolean {
    const index = this.held.findIndex((held) => held.payload === payload);
    if (index < 0) return false;
    this.held.splice(index, 1);
    return true;
  }

  /** The held changes whose window ended at or before `now`, removed, oldest first. */
  expire(now: number): T[] {
    let count = 0;
    while (count < this.held.length && this.held[count].expiresAt <= now) count++;
    if (count === 0) return [];
    return this.held.splice(0, count).map((held) => held.payload);
  }

  /** Every held change, removed, oldest first. */
  drain(): T[] {
    return this.held.splice(0).map((held) => held.payload);
  }

  /** When the oldest held change expires, or undefined when none is held. */
  nextExpiry(): number | undefined {
    return this.held.length > 0 ? this.held[0].expiresAt : undefined;
  }
}
