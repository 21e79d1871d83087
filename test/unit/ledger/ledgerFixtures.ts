// Event builders and temporary storage folders for the ledger, report and CLI tests.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AcceptEvent, ActivityEvent, LedgerEvent, RetentionEvent, UsageEvent } from '../../../src/ledger/events';
import { segmentsDir } from '../../../src/ledger/segments';

let counter = 0;
function nextId(): string {
  counter += 1;
  return counter.toString(16).padStart(16, '0');
}

export function accept(overrides: Partial<AcceptEvent> = {}): AcceptEvent {
  return {
    v: 1,
    t: Date.UTC(2024, 4, 1, 12),
    kind: 'accept',
    id: nextId(),
    mode: 'full',
    chars: 40,
    lines: 2,
    languageId: 'typescript',
    provider: 'copilot',
    workspace: 'ws01',
    ...overrides,
  };
}

export function activity(overrides: Partial<ActivityEvent> = {}): ActivityEvent {
  return {
    v: 1,
    t: Date.UTC(2024, 4, 1, 12),
    kind: 'activity',
    id: nextId(),
    languageId: 'typescript',
    provider: 'copilot',
    workspace: 'ws01',
    opportunities: 10,
    typedChars: 200,
    otherEdits: {},
    otherChars: 0,
    ...overrides,
  };
}

export function retention(overrides: Partial<RetentionEvent> = {}): RetentionEvent {
  return {
    v: 1,
    t: Date.UTC(2024, 4, 1, 12, 10),
    kind: 'retention',
    acceptId: nextId(),
    acceptedAt: Date.UTC(2024, 4, 1, 12),
    checkpoint: 600,
    outcome: 'known',
    chars: 100,
    arc: 100,
    unchanged: true,
    languageId: 'typescript',
    provider: 'copilot',
    workspace: 'ws01',
    ...overrides,
  };
}

export function usage(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    v: 1,
    t: Date.UTC(2024, 4, 1, 12),
    kind: 'usage',
    id: `usage-${nextId()}`,
    source: 'claude-code',
    model: 'claude-sonnet-4-5',
    inputTokens: 1_000,
    outputTokens: 500,
    reasoningTokens: 0,
    cacheReadTokens: 10_000,
    cacheWrite5mTokens: 2_000,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    session: 'session01',
    project: 'project01',
    ...overrides,
  };
}

export async function tempStorage(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'assay-ledger-test-'));
}

export function eventLines(events: readonly LedgerEvent[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}

/** Writes a segment file directly (as a writer in another process would have). */
export async function writeSegment(storageDir: string, name: string, content: string): Promise<string> {
  await fs.mkdir(segmentsDir(storageDir), { recursive: true });
  const filePath = path.join(segmentsDir(storageDir), name);
  await fs.writeFile(filePath, content);
  return filePath;
}

export async function appendSegment(storageDir: string, name: string, content: string): Promise<void> {
  await fs.appendFile(path.join(segmentsDir(storageDir), name), content);
}

export async function segmentFiles(storageDir: string): Promise<string[]> {
  try {
    return (await fs.readdir(segmentsDir(storageDir))).sort();
  } catch {
    return [];
  }
}
