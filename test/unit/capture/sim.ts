// Test support: a document model that applies VS Code-shaped change events to real text, and an
// engine wired to a sink that validates every event against the ledger schema.
import assert from 'node:assert/strict';
import { LedgerEvent } from '../../../src/ledger/events';
import { CaptureEngine, type DocumentInfo, type TextChange } from '../../../src/capture/engine';

export const CHECKPOINTS = [30, 120, 300, 600, 900] as const;
export const WORKSPACE = '0123456789abcdef';

export function docInfo(overrides: Partial<DocumentInfo> = {}): DocumentInfo {
  return {
    key: 'file:///work/project/src/app.js',
    languageId: 'javascript',
    workspace: WORKSPACE,
    provider: 'copilot',
    isNotebookCell: false,
    ...overrides,
  };
}

/** Text of a document, changed the way VS Code reports it: every offset relative to the pre-event text. */
export class SimDoc {
  constructor(public text: string) {}

  apply(changes: readonly TextChange[]): void {
    const ordered = [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset);
    for (const c of ordered) {
      this.text = this.text.slice(0, c.rangeOffset) + c.text + this.text.slice(c.rangeOffset + c.rangeLength);
    }
  }
}

export function insert(offset: number, text: string): TextChange {
  return { rangeOffset: offset, rangeLength: 0, text };
}

export function replace(offset: number, length: number, text: string): TextChange {
  return { rangeOffset: offset, rangeLength: length, text };
}

export interface Recorder {
  engine: CaptureEngine;
  events: LedgerEvent[];
  of<K extends LedgerEvent['kind']>(kind: K): Array<Extract<LedgerEvent, { kind: K }>>;
}

/**
 * An engine whose sink checks every event against the ledger schema: it must parse, and parsing
 * must not strip anything (no field outside the schema).
 */
export function recorder(options: { activityFlushMs?: number; checkpoints?: readonly number[] } = {}): Recorder {
  const events: LedgerEvent[] = [];
  const engine = new CaptureEngine({
    checkpointsSeconds: options.checkpoints ?? CHECKPOINTS,
    activityFlushMs: options.activityFlushMs,
    sink: (event) => {
      assert.deepEqual(LedgerEvent.parse(event), event);
      events.push(event);
    },
  });
  return {
    engine,
    events,
    of: <K extends LedgerEvent['kind']>(kind: K) =>
      events.filter((e): e is Extract<LedgerEvent, { kind: K }> => e.kind === kind),
  };
}
