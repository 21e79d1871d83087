// Crash (issue #7): a writer killed with SIGKILL at 200 random moments, spread over appends, rollup
// cache saves, compactions and import runs. After each kill:
// nothing the writer acknowledged is lost, nothing counts twice, and the next start recovers on
// its own (a read and a rollup load succeed and equal a rollup from scratch).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_STALE_LOCK_MS, lockPath } from '../../src/ledger/importLock';
import { runImport } from '../../src/importers/runImport';
import type { LedgerEvent } from '../../src/ledger/events';
import { readLedger } from '../../src/ledger/reader';
import { forgetRollupStates, loadDailyRollup } from '../../src/report/rollupCache';
import { rollupDaily } from '../../src/report/rollup';
import {
  appendClaudeLines,
  Child,
  claudeImportOptions,
  claudeMessages,
  duplicatedKeys,
  eventKey,
  laneEvent,
  ledgerKeyCounts,
  linesOf,
  rowsOf,
  stopChildren,
  tempDir,
  TIME_ZONE,
  type ClaudeMessage,
} from './faultKit';

const KILLS = 200;
/** Events of one writer run are numbered from run × this, so runs never reuse an event. */
const RUN_STRIDE = 1_000_000;
/** A fresh storage folder every this many kills keeps each check's ledger small. */
const KILLS_PER_FOLDER = 20;
const MESSAGES_PER_IMPORT_KILL = 100;
/** How long a victim may take to reach the step it is to be killed in. */
const MARKER_WAIT_MS = 10_000;

type Phase = 'append' | 'rollup' | 'compaction' | 'import';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
}

/** How long the child stays in each step after printing `marker`: until its next line. */
function stepTimes(child: Child, marker: string): number[] {
  const times: number[] = [];
  child.lines.forEach((line, i) => {
    if (line === marker && i + 1 < child.lines.length) times.push(child.lineTimes[i + 1] - child.lineTimes[i]);
  });
  return times;
}

/** Adapts the kill delay to how long each step takes on this machine, now. */
class StepClock {
  private readonly times = new Map<string, number[]>();
  record(child: Child, marker: string): void {
    this.times.set(marker, [...(this.times.get(marker) ?? []), ...stepTimes(child, marker)].slice(-200));
  }
  /** A little longer than the step usually takes, so a delay drawn below it mostly lands inside the step. */
  spanMs(marker: string, fallbackMs: number): number {
    const times = this.times.get(marker) ?? [];
    return times.length === 0 ? fallbackMs : Math.min(3_000, Math.max(1, 1.5 * median(times)));
  }
}

/**
 * Kills `child` with SIGKILL a random delay in [0, spanMs) after one of its first `occurrences` `marker`
 * lines (which it prints as it enters that step), and returns the last step it entered.
 */
async function killInStep(child: Child, marker: string, spanMs: number, occurrences = 3): Promise<string> {
  const occurrence = 1 + Math.floor(Math.random() * occurrences);
  let seen = 0;
  // A step the child never reaches (nothing to merge yet) must not stall the suite: kill it anyway.
  const reached = await Promise.race([child.waitFor((line) => line === marker && ++seen === occurrence).then(() => true), sleep(MARKER_WAIT_MS).then(() => false)]);
  if (reached) await sleep(Math.random() * spanMs);
  child.process.kill('SIGKILL');
  const { signal } = await child.exited;
  assert.equal(signal, 'SIGKILL', `the child ended before it was killed: ${child.errorOutput.slice(-2000)}`);
  return child.lines.filter((line) => line.startsWith('phase ')).at(-1) ?? 'start-up';
}

/** The next start: a rollup load from the state the killed process left equals a rollup of what a read returns. */
async function assertRecovers(storageDir: string, events: LedgerEvent[]): Promise<void> {
  forgetRollupStates();
  const loaded = await loadDailyRollup(storageDir, { timeZone: TIME_ZONE });
  assert.deepEqual(rowsOf(loaded), rowsOf(rollupDaily(events, { timeZone: TIME_ZONE })));
  await loaded.stats.cacheSaved;
}

/** Starts each crash victim one kill ahead, so it loads while the previous victim's ledger is checked. */
class Victims {
  private pending: { kill: number; child: Child } | undefined;
  constructor(private readonly argsFor: (kill: number) => object) {}
  prepare(kill: number): void {
    this.pending = { kill, child: new Child(this.argsFor(kill)) };
  }
  start(kill: number): Child {
    const child = this.pending?.kill === kill ? this.pending.child : new Child(this.argsFor(kill));
    this.pending = undefined;
    child.process.send('go');
    return child;
  }
}

/** One storage folder per KILLS_PER_FOLDER kills, made when first asked for. */
function foldersOf(prefix: string): (kill: number) => string {
  const folders: string[] = [];
  return (kill) => (folders[Math.floor(kill / KILLS_PER_FOLDER)] ??= tempDir(prefix));
}

function plan(): Phase[] {
  const phases: Phase[] = ['append', 'rollup', 'compaction', 'import'];
  return Array.from({ length: KILLS }, (_, kill) => phases[kill % phases.length]);
}

describe('fault: kill -9 at random moments', () => {
  afterEach(stopChildren);
  const atKill = new Map<string, number>();
  let compactions = 0;
  after(() => {
    console.log(`      killed while: ${[...atKill].map(([phase, count]) => `${phase} ${count}`).join(', ')}; ${compactions} compactions finished between kills`);
  });
  const kills = plan();

  for (const phase of ['append', 'rollup', 'compaction'] as const) {
    const count = kills.filter((kill) => kill === phase).length;
    if (count === 0) continue;
    it(`loses no acknowledged event and counts none twice when a writer dies during ${phase} (${count} kills)`, async () => {
      let acknowledged: { lane: number; from: number; to: number }[] = [];
      const clock = new StepClock();
      const folderOf = foldersOf(`fault-crash-${phase}`);
      const laneOf = (kill: number) => 1 + (kill % 200);
      const victims = new Victims((kill) => ({ mode: 'crash-writer', storageDir: folderOf(kill), lane: laneOf(kill), from: kill * RUN_STRIDE, phase }));
      for (let kill = 0; kill < count; kill++) {
        const storageDir = folderOf(kill);
        if (kill % KILLS_PER_FOLDER === 0) acknowledged = [];
        const lane = laneOf(kill);
        const from = kill * RUN_STRIDE;
        const child = victims.start(kill);
        // Every fourth kill of a rollup or compaction run lands in its appends instead.
        // Half the compaction kills land after the merged file is renamed in, before its sources are gone.
        // (A folder's first victim has nothing to merge.)
        const marker =
          phase === 'append' || kill % 4 === 3
            ? 'phase append'
            : phase === 'compaction' && kill % 2 === 0 && kill % KILLS_PER_FOLDER !== 0
              ? 'phase compaction-renamed'
              : `phase ${phase}`;
        const killedIn = await killInStep(child, marker, clock.spanMs(marker, 5));
        if (kill + 1 < count) victims.prepare(kill + 1);
        clock.record(child, marker);
        atKill.set(killedIn, (atKill.get(killedIn) ?? 0) + 1);
        compactions += child.lines.filter((line) => line.startsWith('compacted done') && !line.endsWith(' 0')).length;
        const committed = child.lines.filter((line) => line.startsWith('committed ')).map((line) => Number(line.split(' ')[1]));
        acknowledged.push({ lane, from, to: Math.max(from, ...committed) });

        const { counts, events } = await ledgerKeyCounts(storageDir);
        assert.deepEqual(duplicatedKeys(counts).slice(0, 10), [], `kill ${kill} (${killedIn}): events counted twice`);
        const lost: string[] = [];
        for (const range of acknowledged) {
          for (let i = range.from; i < range.to; i++) if (!counts.has(eventKey(laneEvent(range.lane, i)))) lost.push(eventKey(laneEvent(range.lane, i)));
        }
        assert.deepEqual(lost.slice(0, 10), [], `kill ${kill} (${killedIn}): ${lost.length} acknowledged events lost`);
        await assertRecovers(storageDir, events);
      }
    });
  }

  const importKills = kills.filter((kill) => kill === 'import').length;
  let debrisLocks = 0;
  after(() => {
    if (debrisLocks > 0) console.log(`      ${debrisLocks} kills left an empty import lock, which blocks imports until it is ${DEFAULT_STALE_LOCK_MS / 1000} s old`);
  });
  it(`loses no imported response and counts none twice when an import dies (${importKills} kills)`, async () => {
    let messages: ClaudeMessage[] = [];
    const clock = new StepClock();
    const folderOf = foldersOf('fault-crash-import');
    const projectsOf = (kill: number) => path.join(folderOf(kill), 'logs', 'projects');
    const victims = new Victims((kill) => ({ mode: 'crash-import', storageDir: folderOf(kill), projectsDir: projectsOf(kill) }));
    for (let kill = 0; kill < importKills; kill++) {
      const storageDir = folderOf(kill);
      const projectsDir = projectsOf(kill);
      if (kill % KILLS_PER_FOLDER === 0) messages = [];
      // The agent answered more since the last run; its log lines are complete before the import starts.
      const added = claudeMessages(MESSAGES_PER_IMPORT_KILL, messages.length);
      appendClaudeLines(projectsDir, linesOf(added));
      messages.push(...added);

      const child = victims.start(kill);
      // Half the kills land after the run's events are flushed, before its index and state are saved.
      const marker = kill % 2 === 0 ? 'phase import' : 'phase import-flushed';
      const killedIn = await killInStep(child, marker, clock.spanMs(marker, marker === 'phase import' ? 200 : 5), 1);
      if (kill + 1 < importKills) victims.prepare(kill + 1);
      clock.record(child, marker);
      const acknowledged = child.lines.some((line) => line.startsWith('imported done'));
      const landed = acknowledged ? 'phase import (after a finished run)' : killedIn;
      atKill.set(landed, (atKill.get(landed) ?? 0) + 1);

      const before = claudeUsage((await readLedger(storageDir)).events);
      assert.ok(before.count <= messages.length, `kill ${kill} (${killedIn}): ${before.count} responses for ${messages.length} messages`);
      if (acknowledged) assert.deepEqual(before, expectedUsage(messages), `kill ${kill}: a finished import lost responses`);

      // The next start imports again; the crashed run must neither hide lines from it nor double them.
      if (lockDebris(storageDir)) {
        // Killed between creating the lock and writing its owner: the empty lock blocks imports until
        // it ages out (DEFAULT_STALE_LOCK_MS). Age it at once and check that it then recovers.
        debrisLocks++;
        const old = new Date(Date.now() - DEFAULT_STALE_LOCK_MS - 1_000);
        fs.utimesSync(lockPath(storageDir), old, old);
      }
      assert.equal((await runImport(await claudeImportOptions(storageDir, [projectsDir]))).status, 'done');
      const { events } = await readLedger(storageDir);
      assert.deepEqual(claudeUsage(events), expectedUsage(messages), `kill ${kill} (${killedIn}): after recovery`);
      await assertRecovers(storageDir, events);
    }
  });
});

/** The import lock exists but names no owner: what a kill between its creation and its first write leaves. */
function lockDebris(storageDir: string): boolean {
  try {
    const owner = JSON.parse(fs.readFileSync(lockPath(storageDir), 'utf8')) as { pid?: unknown };
    return typeof owner.pid !== 'number';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

function claudeUsage(events: readonly LedgerEvent[]): { count: number; inputTokens: number; outputTokens: number } {
  const totals = { count: 0, inputTokens: 0, outputTokens: 0 };
  for (const event of events) {
    if (event.kind !== 'usage' || event.source !== 'claude-code') continue;
    totals.count++;
    totals.inputTokens += event.inputTokens;
    totals.outputTokens += event.outputTokens;
  }
  return totals;
}

function expectedUsage(messages: readonly ClaudeMessage[]): { count: number; inputTokens: number; outputTokens: number } {
  return {
    count: messages.length,
    inputTokens: messages.reduce((sum, message) => sum + message.input, 0),
    outputTokens: messages.reduce((sum, message) => sum + message.finalOutput, 0),
  };
}
