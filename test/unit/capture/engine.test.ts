import assert from 'node:assert/strict';
import type { AcceptMode } from '../../../src/ledger/events';
import type { DocumentInfo, EditReason, TextChange } from '../../../src/capture/engine';
import { CHECKPOINTS, SimDoc, WORKSPACE, docInfo, insert, recorder, replace, type Recorder } from './sim';

const SUGGESTION = 'alpha beta gamma\ndelta epsilon';
/** Noon, local time: far from midnight so day boundaries only matter where a test wants them. */
const T0 = new Date(2025, 5, 10, 12, 0, 0).getTime();

/** One editor window: an engine, a clock, and documents whose text follows every change. */
class Session {
  readonly rec: Recorder;
  now = T0;
  readonly docs = new Map<string, { info: DocumentInfo; text: SimDoc }>();

  constructor(options: { activityFlushMs?: number; checkpoints?: readonly number[] } = {}) {
    this.rec = recorder(options);
  }

  get engine() {
    return this.rec.engine;
  }

  open(key = 'doc', text = 'hello ', overrides: Partial<DocumentInfo> = {}): string {
    this.docs.set(key, { info: docInfo({ key, ...overrides }), text: new SimDoc(text) });
    return key;
  }

  at(msAfterStart: number): this {
    this.now = T0 + msAfterStart;
    return this;
  }

  text(key = 'doc'): string {
    return this.docs.get(key)!.text.text;
  }

  edit(changes: TextChange[], options: { key?: string; reason?: EditReason; accept?: AcceptMode } = {}): void {
    const doc = this.docs.get(options.key ?? 'doc')!;
    doc.text.apply(changes);
    this.engine.documentChanged(doc.info, changes, options.reason, this.now, options.accept);
  }

  type(offset: number, text: string, key = 'doc'): void {
    this.edit([insert(offset, text)], { key });
  }

  accept(mode: AcceptMode, change: TextChange, key = 'doc'): void {
    this.edit([change], { key, accept: mode });
  }

  accepts() {
    return this.rec.of('accept');
  }

  retention(checkpoint?: number) {
    return this.rec.of('retention').filter((e) => checkpoint === undefined || e.checkpoint === checkpoint);
  }

  activity() {
    return this.rec.of('activity');
  }
}

describe('CaptureEngine: acceptances', () => {
  it('Tab accept of the 30-char suggestion: one full acceptance, 30 chars, 2 lines, allowlisted categories', () => {
    const s = new Session();
    s.open();
    s.accept('full', insert(6, SUGGESTION));
    assert.equal(s.accepts().length, 1);
    const [a] = s.accepts();
    assert.deepEqual(
      { mode: a.mode, chars: a.chars, lines: a.lines, t: a.t, languageId: a.languageId, provider: a.provider, workspace: a.workspace },
      { mode: 'full', chars: 30, lines: 2, t: T0, languageId: 'javascript', provider: 'copilot', workspace: WORKSPACE },
    );
    assert.match(a.id, /^[0-9a-f]{16}$/);
  });

  it('word accepts alpha, space, beta on one line: 5, 1, 4 chars and 1 line in total', () => {
    const s = new Session();
    s.open();
    s.accept('word', insert(6, 'alpha'));
    s.accept('word', insert(11, ' '));
    s.accept('word', insert(12, 'beta'));
    assert.equal(s.text(), 'hello alpha beta');
    assert.deepEqual(s.accepts().map((a) => [a.mode, a.chars, a.lines]), [['word', 5, 1], ['word', 1, 0], ['word', 4, 0]]);
    assert.equal(new Set(s.accepts().map((a) => a.id)).size, 3);
  });

  for (const [version, secondChange] of [
    ['1.100.3 (second press replaces the first line with all 30 chars)', replace(6, 17, SUGGESTION)],
    ['1.139.1 (second press inserts the rest)', insert(23, 'delta epsilon')],
  ] as const) {
    it(`acceptNextLine twice, VS Code ${version}: 17 + 13 chars, 1 + 1 lines, both fully retained`, () => {
      const s = new Session();
      s.open();
      s.accept('line', insert(6, 'alpha beta gamma\n'));
      s.accept('line', secondChange);
      assert.equal(s.text(), `hello ${SUGGESTION}`);
      assert.deepEqual(s.accepts().map((a) => [a.chars, a.lines]), [[17, 1], [13, 1]]);
      s.engine.tick(s.at(30_000).now);
      assert.deepEqual(
        s.retention(30).map((r) => [r.chars, r.arc, r.unchanged, r.outcome]),
        [[17, 17, true, 'known'], [13, 13, true, 'known']],
      );
    });
  }

  it('a Tab accept continuing a chain of word accepts counts lines with the chain, then ends it', () => {
    const s = new Session();
    s.open();
    s.accept('word', insert(6, 'alpha'));
    s.accept('full', insert(11, ' beta gamma\ndelta epsilon'));
    s.accept('word', insert(36, ' zeta'));
    assert.equal(s.text(), `hello ${SUGGESTION} zeta`);
    // The Tab adds only the `delta` line; the word accept after it starts a new chain.
    assert.deepEqual(s.accepts().map((a) => a.lines), [1, 1, 1]);
  });

  it('another edit between partial accepts ends the chain, so the line counts again', () => {
    const s = new Session();
    s.open();
    s.accept('word', insert(6, 'alpha'));
    s.type(11, ' ');
    s.accept('word', insert(12, 'beta'));
    assert.deepEqual(s.accepts().map((a) => a.lines), [1, 1]);
  });

  it('a partial accept that does not start where the chain ended starts a new chain', () => {
    const s = new Session();
    s.open();
    s.accept('word', insert(6, 'alpha'));
    s.accept('word', insert(0, 'beta'));
    assert.deepEqual(s.accepts().map((a) => a.lines), [1, 1]);
  });

  it('an event with no content changes (dirty-state change on save) is ignored and keeps the chain', () => {
    const s = new Session();
    s.open();
    s.accept('word', insert(6, 'alpha'));
    s.edit([]);
    s.accept('word', insert(11, ' beta'));
    assert.deepEqual(s.accepts().map((a) => a.lines), [1, 0]);
    s.engine.shutdown(s.at(1000).now);
    assert.equal(s.activity().length, 0);
  });

  it("uses the glue's replacedText to count only the net inserted text and track only it", () => {
    const s = new Session();
    s.open('doc', 'const x = hel');
    // The provider's item replaced the typed `hel` with the whole word.
    s.edit([{ ...replace(10, 3, 'hello_world'), replacedText: 'hel' }], { accept: 'full' });
    assert.equal(s.text(), 'const x = hello_world');
    assert.deepEqual(s.accepts().map((a) => [a.chars, a.lines]), [[8, 1]]);
    // Deleting the user's own `hel` does not touch the acceptance.
    s.edit([replace(10, 3, '')]);
    s.engine.tick(s.at(30_000).now);
    assert.deepEqual(s.retention(30).map((r) => [r.arc, r.unchanged]), [[8, true]]);
  });

  it('a multi-cursor accept is one acceptance summing both insertions, each tracked', () => {
    const s = new Session();
    s.open('doc', 'a\nb\n');
    s.edit([insert(1, ' = f()'), insert(3, ' = g()')], { accept: 'full' });
    assert.equal(s.text(), 'a = f()\nb = g()\n');
    assert.deepEqual(s.accepts().map((a) => [a.chars, a.lines]), [[12, 2]]);
    s.edit([replace(9, 3, '')]); // deletes ` = ` of the second insertion
    s.engine.tick(s.at(30_000).now);
    assert.deepEqual(s.retention(30).map((r) => [r.chars, r.arc, r.unchanged]), [[12, 9, false]]);
  });

  it('an accept-marked change with an undo reason is counted as undo, not as an acceptance', () => {
    const s = new Session();
    s.open();
    s.edit([insert(6, 'alpha')], { accept: 'word', reason: 'undo' });
    assert.equal(s.accepts().length, 0);
    s.engine.shutdown(s.now);
    assert.deepEqual(s.activity().map((a) => a.otherEdits), [{ undo: 1 }]);
  });

  it('an accept with no net characters is an acceptance with no retention checkpoints', () => {
    const s = new Session();
    s.open('doc', 'hello world');
    s.edit([{ ...replace(6, 5, 'world'), replacedText: 'world' }], { accept: 'full' });
    assert.deepEqual(s.accepts().map((a) => [a.chars, a.lines]), [[0, 0]]);
    s.engine.tick(s.at(900_000).now);
    s.engine.shutdown(s.now);
    assert.equal(s.retention().length, 0);
  });
});

describe('CaptureEngine: typed and other activity', () => {
  it('counts typed characters and other edits by class, flushed after the interval with t = first activity', () => {
    const s = new Session({ activityFlushMs: 60_000 });
    s.open('doc', 'x = {}');
    s.at(1_000).type(6, 'a'); // one char
    s.type(7, '()'); // auto-closed pair
    s.type(5, '\n    \n'); // Enter between braces
    s.edit([replace(0, 1, 'y')]); // selection replaced by typing
    s.edit([insert(0, 'const a = 1;\nb')]); // paste, 14 chars
    s.edit([replace(0, 14, '')], { reason: 'undo' });
    s.edit([replace(0, 1, '')]); // deletion
    s.edit([insert(3, 'z'), insert(1, 'z')]); // multi-cursor
    s.edit([insert(3, '  '), insert(1, ';')]); // formatting-like
    s.engine.tick(s.at(60_999).now);
    assert.equal(s.activity().length, 0, 'flushed before the interval');
    assert.equal(s.engine.nextDueAt(), T0 + 61_000);
    s.engine.tick(s.at(61_000).now);
    const [activity] = s.activity();
    assert.equal(s.activity().length, 1);
    assert.equal(activity.t, T0 + 1_000);
    assert.equal(activity.typedChars, 1 + 2 + 6 + 1);
    assert.deepEqual(activity.otherEdits, { paste: 1, undo: 1, deletion: 1, multiCursor: 1, largeEdit: 1 });
    assert.equal(activity.otherChars, 14 + 2 + 3);
    assert.equal(s.engine.nextDueAt(), undefined);
  });

  it('accepts add no typed or other characters', () => {
    const s = new Session();
    s.open();
    s.accept('full', insert(6, SUGGESTION));
    s.engine.shutdown(s.at(1_000).now);
    assert.equal(s.activity().length, 0);
  });

  it('keeps separate counters per language, provider and workspace, through the allowlists', () => {
    const s = new Session();
    s.open('a', '', { languageId: 'python' });
    s.open('b', '', { languageId: 'my-secret-dsl', provider: 'evil-corp-bot', workspace: '/home/alice/repo' });
    s.type(0, 'x', 'a');
    s.type(0, 'y', 'b');
    s.type(1, 'y', 'b');
    s.engine.shutdown(s.now);
    const rows = s.activity().map((a) => [a.languageId, a.provider, a.workspace, a.typedChars]);
    assert.deepEqual(rows.sort(), [['other', 'other', 'other', 2], ['python', 'copilot', WORKSPACE, 1]].sort());
  });

  it('a language change moves later counts to the new category', () => {
    const s = new Session();
    s.open('doc', '');
    s.type(0, 'x');
    s.docs.get('doc')!.info = docInfo({ key: 'doc', languageId: 'typescript' });
    s.type(1, 'y');
    s.engine.shutdown(s.now);
    assert.deepEqual(s.activity().map((a) => [a.languageId, a.typedChars]).sort(), [['javascript', 1], ['typescript', 1]]);
  });

  it('splits activity at local midnight so each event covers one day', () => {
    const s = new Session();
    s.open('doc', '');
    const beforeMidnight = new Date(2025, 5, 10, 23, 59, 50).getTime();
    const afterMidnight = new Date(2025, 5, 11, 0, 0, 10).getTime();
    s.now = beforeMidnight;
    s.type(0, 'a');
    s.now = afterMidnight;
    s.type(1, 'b');
    s.type(2, 'c');
    s.engine.shutdown(s.now);
    assert.deepEqual(s.activity().map((a) => [a.t, a.typedChars]), [[beforeMidnight, 1], [afterMidnight, 2]]);
  });

  it('debounces opportunities to one per document and offset per 250 ms', () => {
    const s = new Session();
    const info = docInfo({ key: 'doc' });
    const other = docInfo({ key: 'other' });
    s.engine.opportunity(info, 10, T0);
    s.engine.opportunity(info, 10, T0 + 100);
    s.engine.opportunity(info, 10, T0 + 249); // within 250 ms of the counted one
    s.engine.opportunity(info, 11, T0 + 249); // another offset
    s.engine.opportunity(other, 10, T0 + 249); // another document
    s.engine.opportunity(info, 10, T0 + 250);
    s.engine.shutdown(T0 + 1_000);
    assert.deepEqual(s.activity().map((a) => a.opportunities), [4]);
  });
});

describe('CaptureEngine: retention', () => {
  it('emits each checkpoint at acceptance + t seconds, then stops tracking', () => {
    const s = new Session();
    s.open();
    s.accept('full', insert(6, SUGGESTION));
    assert.equal(s.engine.nextDueAt(), T0 + 30_000);
    s.engine.tick(s.at(29_999).now);
    assert.equal(s.retention().length, 0);
    s.engine.tick(s.at(30_000).now);
    assert.deepEqual(s.retention().map((r) => [r.checkpoint, r.t, r.acceptedAt]), [[30, T0 + 30_000, T0]]);
    assert.equal(s.engine.nextDueAt(), T0 + 120_000);
    s.engine.tick(s.at(2_000_000).now);
    assert.deepEqual(
      s.retention().map((r) => [r.checkpoint, r.t]),
      CHECKPOINTS.map((c) => [c, T0 + c * 1000]),
    );
    const [accept] = s.accepts();
    for (const r of s.retention()) {
      assert.deepEqual([r.acceptId, r.outcome, r.chars, r.arc, r.unchanged], [accept.id, 'known', 30, 30, true]);
    }
    s.engine.shutdown(s.at(3_000_000).now);
    assert.equal(s.retention().length, CHECKPOINTS.length, 'no unknowns for a finished acceptance');
    assert.equal(s.engine.nextDueAt(), undefined);
  });

  it('honours configured checkpoints (sorted, deduplicated)', () => {
    const s = new Session({ checkpoints: [60, 10, 60] });
    s.open();
    s.accept('full', insert(6, 'abc'));
    s.engine.tick(s.at(100_000).now);
    assert.deepEqual(s.retention().map((r) => r.checkpoint), [10, 60]);
  });

  it('measures a checkpoint as of its due time even when tick runs late', () => {
    const s = new Session();
    s.open();
    s.accept('full', insert(6, SUGGESTION));
    // No tick at 30 s; at 31 s the user deletes the suggestion.
    s.at(31_000).edit([replace(6, 30, '')]);
    s.engine.tick(s.at(120_000).now);
    assert.deepEqual(s.retention().map((r) => [r.checkpoint, r.arc, r.unchanged]), [[30, 30, true], [120, 0, false]]);
  });

  it('edits before the accepted text shift it: retained and unchanged', () => {
    const s = new Session();
    s.open();
    s.accept('full', insert(6, SUGGESTION));
    s.type(0, 'x');
    s.edit([replace(0, 3, '')]);
    s.edit([insert(0, '// header\n')]);
    // Had the range not shifted, deleting the suggestion at its new place would miss it.
    s.edit([replace(s.text().indexOf('alpha'), 5, '')]);
    s.engine.tick(s.at(30_000).now);
    assert.deepEqual(s.retention(30).map((r) => [r.arc, r.unchanged]), [[25, false]]);
  });

  it('typing at the start or end of the accepted text neither touches it nor counts as AI', () => {
    const s = new Session();
    s.open();
    s.accept('word', insert(6, 'alpha'));
    s.type(11, ';');
    s.type(6, '(');
    s.engine.tick(s.at(30_000).now);
    assert.deepEqual(s.retention(30).map((r) => [r.chars, r.arc, r.unchanged]), [[5, 5, true]]);
  });

  it('typing strictly inside touches it; the typed characters are not counted', () => {
    const s = new Session();
    s.open();
    s.accept('word', insert(6, 'alpha'));
    s.type(8, 'XYZ'.slice(0, 1));
    s.engine.tick(s.at(30_000).now);
    assert.deepEqual(s.retention(30).map((r) => [r.chars, r.arc, r.unchanged]), [[5, 5, false]]);
  });

  it('an edit across the start or end removes the overlapped characters only', () => {
    const s = new Session();
    s.open('doc', '0123456789');
    s.accept('word', insert(5, 'alpha')); // 01234alpha56789
    s.edit([replace(3, 4, '')]); // deletes 34al
    s.edit([replace(5, 3, 'Q')]); // 012phQ789: deletes a56
    assert.equal(s.text(), '012phQ789');
    s.engine.tick(s.at(30_000).now);
    assert.deepEqual(s.retention(30).map((r) => [r.arc, r.unchanged]), [[2, false]]);
  });

  it('replacing the whole accepted text leaves nothing retained', () => {
    const s = new Session();
    s.open();
    s.accept('full', insert(6, SUGGESTION));
    s.edit([replace(6, 30, 'my own code')]);
    s.engine.tick(s.at(30_000).now);
    assert.deepEqual(s.retention(30).map((r) => [r.arc, r.unchanged]), [[0, false]]);
  });

  it('tracks several acceptances in one document independently', () => {
    const s = new Session();
    s.open('doc', '\n\n');
    s.accept('full', insert(0, 'first()'));
    s.at(10_000).accept('full', insert(8, 'second()'));
    s.at(20_000).accept('full', insert(17, 'third()'));
    assert.equal(s.text(), 'first()\nsecond()\nthird()');
    s.edit([replace(8, 6, 'other')]); // rewrites `second`, shifts `third`
    s.edit([insert(s.text().length, ';')]); // at the end of `third`
    s.engine.tick(s.at(60_000).now);
    assert.deepEqual(
      s.retention(30).map((r) => [r.chars, r.arc, r.unchanged]),
      [[7, 7, true], [8, 2, false], [7, 7, true]],
    );
  });

  it('applies a multi-change event with pre-event offsets, whatever the order of changes', () => {
    for (const order of ['ascending', 'descending'] as const) {
      const s = new Session();
      s.open('doc', 'a\nb\n');
      s.accept('full', insert(1, ' = one'));
      s.accept('full', insert(9, ' = two'));
      assert.equal(s.text(), 'a = one\nb = two\n');
      // Multi-cursor: one char inserted before each acceptance, and one deleted inside the second.
      const changes = [insert(0, '_'), insert(8, '_'), replace(13, 1, '')];
      s.edit(order === 'ascending' ? changes : changes.reverse());
      assert.equal(s.text(), '_a = one\n_b = to\n');
      s.engine.tick(s.at(30_000).now);
      assert.deepEqual(s.retention(30).map((r) => [r.arc, r.unchanged]), [[6, true], [5, false]], order);
    }
  });

  it('undo right after an accept: retention 0, not unchanged; redo does not bring it back', () => {
    const s = new Session();
    s.open();
    s.accept('full', insert(6, SUGGESTION));
    s.edit([replace(6, 30, '')], { reason: 'undo' });
    s.edit([insert(6, SUGGESTION)], { reason: 'redo' });
    s.engine.tick(s.at(900_000).now);
    assert.equal(s.accepts().length, 1, 'the undone accept stays an acceptance');
    assert.equal(s.retention().length, CHECKPOINTS.length);
    for (const r of s.retention()) assert.deepEqual([r.outcome, r.arc, r.unchanged], ['known', 0, false]);
  });

  it('a closed document makes its pending checkpoints unknown (closed); earlier ones stay known', () => {
    const s = new Session();
    s.open('a');
    s.open('b');
    s.accept('full', insert(6, 'abc'), 'a');
    s.accept('full', insert(6, 'xyz'), 'b');
    s.engine.documentClosed('a', s.at(60_000).now);
    const [acceptA] = s.accepts();
    const ofA = s.retention().filter((r) => r.acceptId === acceptA.id);
    assert.deepEqual(ofA.map((r) => [r.checkpoint, r.outcome, r.reason, r.arc, r.unchanged]), [
      [30, 'known', undefined, 3, true],
      ...CHECKPOINTS.slice(1).map((c) => [c, 'unknown', 'closed', 0, false]),
    ]);
    assert.ok(ofA.slice(1).every((r) => r.t === T0 + 60_000));
    s.engine.tick(s.at(900_000).now);
    const ofB = s.retention().filter((r) => r.acceptId !== acceptA.id);
    assert.ok(ofB.length === CHECKPOINTS.length && ofB.every((r) => r.outcome === 'known' && r.arc === 3));
  });

  it('a reload from disk makes that document pending checkpoints unknown (reload) and counts a reload', () => {
    const s = new Session();
    s.open('a');
    s.open('b');
    s.accept('full', insert(6, 'abc'), 'a');
    s.accept('full', insert(6, 'xyz'), 'b');
    s.engine.documentReloaded('a', s.at(10_000).now);
    s.engine.tick(s.at(30_000).now);
    const reasons = s.retention(30).map((r) => [r.outcome, r.reason ?? null]);
    assert.deepEqual(reasons, [['unknown', 'reload'], ['known', null]]);
    s.engine.shutdown(s.now);
    assert.deepEqual(s.activity().map((a) => a.otherEdits), [{ reload: 1 }]);
  });

  it('a checkpoint due while a change awaits its reload verdict is unknown after a reload, and measured after an edit', () => {
    for (const reloaded of [true, false]) {
      const s = new Session();
      s.open('a');
      s.accept('full', insert(6, 'abc'), 'a');
      s.at(29_800).edit([replace(0, 9, 'contents from disk\n')], { key: 'a' });
      s.engine.reloadSuspected('a');
      s.engine.tick(s.at(30_000).now);
      assert.deepEqual(s.retention(30), [], 'the checkpoint waits for the verdict');
      if (reloaded) s.engine.documentReloaded('a', s.at(30_300).now);
      else s.engine.notReloaded('a', s.at(30_300).now);
      assert.deepEqual(
        s.retention(30).map((r) => [r.outcome, r.reason ?? null, r.t]),
        [reloaded ? ['unknown', 'reload', s.now] : ['known', null, s.at(30_000).now]],
      );
    }
  });

  it('a checkpoint due before a change that may be a reload is measured before that change, whatever the verdict', () => {
    for (const reloaded of [true, false]) {
      const s = new Session();
      s.open('a');
      s.accept('full', insert(6, 'abc'), 'a');
      s.engine.tick(s.at(29_600).now);
      // As the glue does it: the change first, then the reload check it starts.
      s.at(30_400).edit([replace(6, 3, '')], { key: 'a' });
      s.engine.reloadSuspected('a');
      if (reloaded) s.engine.documentReloaded('a', s.at(30_900).now);
      else s.engine.notReloaded('a', s.at(30_900).now);
      assert.deepEqual(
        s.retention(30).map((r) => [r.outcome, r.arc]),
        [['known', 3]],
      );
    }
  });

  it('a change later found to be a reload counts as one reload, not also as a paste or typing', () => {
    const s = new Session();
    s.open('a');
    s.type(0, 'x', 'a');
    s.edit([replace(0, 7, 'contents from disk\n')], { key: 'a' });
    s.engine.documentReloaded('a', s.at(500).now);
    s.type(0, 'y', 'a');
    s.edit([replace(0, 1, 'z')], { key: 'a' });
    s.engine.documentReloaded('a', s.at(1_000).now);
    s.engine.shutdown(s.now);
    const [activity] = s.activity();
    assert.equal(activity.typedChars, 2, 'the keystrokes stay typed; the one-character reload is not');
    assert.deepEqual(activity.otherEdits, { reload: 2 });
    assert.equal(activity.otherChars, 'contents from disk\n'.length + 1);
  });

  it('a branch switch makes every pending checkpoint unknown (branchSwitch)', () => {
    const s = new Session();
    s.open('a');
    s.open('b');
    s.accept('full', insert(6, 'abc'), 'a');
    s.at(40_000).accept('full', insert(6, 'xyz'), 'b');
    s.engine.branchSwitched(s.at(50_000).now);
    const known = s.retention().filter((r) => r.outcome === 'known');
    const unknown = s.retention().filter((r) => r.outcome === 'unknown');
    assert.deepEqual(known.map((r) => r.checkpoint), [30]);
    assert.equal(unknown.length, 2 * CHECKPOINTS.length - 1);
    assert.ok(unknown.every((r) => r.reason === 'branchSwitch' && r.arc === 0 && !r.unchanged));
    assert.equal(s.engine.nextDueAt(), undefined);
  });

  it('shutdown makes every pending checkpoint unknown (windowEnded) and flushes counters', () => {
    const s = new Session();
    s.open();
    s.accept('full', insert(6, 'abc'));
    s.type(9, 'x');
    s.engine.shutdown(s.at(5_000).now);
    assert.deepEqual(s.retention().map((r) => [r.outcome, r.reason]), CHECKPOINTS.map(() => ['unknown', 'windowEnded']));
    assert.deepEqual(s.activity().map((a) => a.typedChars), [1]);
    assert.equal(s.engine.nextDueAt(), undefined);
  });
});

describe('CaptureEngine: privacy', () => {
  it('no event carries any part of the document text, its key or hostile categories', () => {
    const marker = 'QZXJVWK_secret_token_4471';
    const s = new Session();
    s.open(`file:///home/${marker}/main.py`, `${marker}\n`, { languageId: marker, provider: marker, workspace: marker });
    const key = `file:///home/${marker}/main.py`;
    s.accept('full', insert(0, `${marker}()`), key);
    s.accept('word', insert(0, marker.slice(0, 7)), key);
    s.edit([{ ...replace(0, 7, `${marker}!`), replacedText: marker.slice(0, 7) }], { key, accept: 'word' });
    s.edit([insert(3, marker)], { key });
    s.type(0, 'Q', key);
    s.engine.opportunity(s.docs.get(key)!.info, 3, s.now);
    s.engine.tick(s.at(300_000).now);
    s.engine.documentClosed(key, s.now);
    s.engine.shutdown(s.now);
    assert.ok(s.rec.events.length >= 10);
    const serialized = JSON.stringify(s.rec.events);
    for (let i = 0; i + 4 <= marker.length; i++) {
      assert.ok(!serialized.includes(marker.slice(i, i + 4)), `leaked ${marker.slice(i, i + 4)}`);
    }
  });
});

describe('CaptureEngine: edits an agent applied in the editor', () => {
  const AGENT_TEXT = 'export function clamp(x: number): number {\n  return Math.min(1, x);\n}\n';
  const WINDOW = 120_000;

  function sums(s: Session) {
    const all = s.activity();
    return {
      paste: all.reduce((n, a) => n + (a.otherEdits.paste ?? 0), 0),
      otherChars: all.reduce((n, a) => n + a.otherChars, 0),
      agentEdits: all.reduce((n, a) => n + (a.agentEdits ?? 0), 0),
      agentChars: all.reduce((n, a) => n + (a.agentChars ?? 0), 0),
      typedChars: all.reduce((n, a) => n + a.typedChars, 0),
    };
  }

  function watching(): Session {
    const s = new Session();
    s.open('file:///p/a.ts', '');
    s.open('file:///p/b.ts', '');
    s.engine.setAgentEditMatching(true, s.now);
    return s;
  }

  it('a change the session log names leaves the other edits and counts as the agent\'s', () => {
    const s = watching();
    s.edit([insert(0, AGENT_TEXT)], { key: 'file:///p/a.ts' });
    s.type(0, 'x', 'file:///p/a.ts');
    assert.deepEqual([s.engine.heldAgentEditCandidates, s.engine.matchedAgentEdits], [1, 0]);
    s.engine.agentEditsLogged('file:///p/a.ts', ['unrelated', AGENT_TEXT], s.at(50_000).now);
    assert.deepEqual([s.engine.heldAgentEditCandidates, s.engine.matchedAgentEdits], [0, 1]);
    s.engine.tick(s.at(60_000).now);
    const [activity] = s.activity();
    assert.equal(s.activity().length, 1);
    assert.deepEqual(activity.otherEdits, {});
    assert.equal(activity.otherChars, 0);
    assert.equal(activity.agentEdits, 1);
    assert.equal(activity.agentChars, AGENT_TEXT.length);
    assert.equal(activity.typedChars, 1);
  });

  it('a change no log names is counted as a paste when its window ends, exactly as without matching', () => {
    const s = watching();
    s.edit([insert(0, 'pasted by a person\n')], { key: 'file:///p/a.ts' });
    s.engine.agentEditsLogged('file:///p/b.ts', ['pasted by a person\n'], s.at(1_000).now);
    s.engine.agentEditsLogged('file:///p/a.ts', [AGENT_TEXT], s.at(2_000).now);
    assert.equal(s.engine.matchedAgentEdits, 0);
    s.engine.tick(s.at(WINDOW - 1).now);
    assert.deepEqual(s.activity(), [], 'held, so not yet counted');
    assert.equal(s.engine.nextDueAt(), T0 + WINDOW);
    s.engine.tick(s.at(WINDOW).now);
    s.engine.tick(s.at(WINDOW + 60_000).now);
    assert.deepEqual(sums(s), { paste: 1, otherChars: 'pasted by a person\n'.length, agentEdits: 0, agentChars: 0, typedChars: 0 });
    assert.equal(s.activity()[0].agentEdits, undefined, 'no agent fields on a line without agent edits');
  });

  it('counts each change once even when its bucket was written while it was held', () => {
    const s = watching();
    s.edit([insert(0, AGENT_TEXT)], { key: 'file:///p/a.ts' });
    s.edit([insert(0, 'a person pasted this')], { key: 'file:///p/a.ts' });
    s.type(0, 'x', 'file:///p/a.ts');
    s.engine.tick(s.at(60_000).now);
    assert.equal(s.activity().length, 1, 'the typing was written, the held changes were not');
    s.engine.agentEditsLogged('file:///p/a.ts', [AGENT_TEXT], s.at(90_000).now);
    s.engine.agentEditsLogged('file:///p/a.ts', [AGENT_TEXT], s.at(95_000).now);
    s.engine.shutdown(s.at(100_000).now);
    assert.deepEqual(sums(s), {
      paste: 1,
      otherChars: 'a person pasted this'.length,
      agentEdits: 1,
      agentChars: AGENT_TEXT.length,
      typedChars: 1,
    });
  });

  it('matches the several changes of one event (a multi-edit batch) as one agent edit', () => {
    const s = watching();
    s.open('file:///p/c.ts', 'let a = 1;\nlet b = 2;\n');
    s.edit([replace(8, 1, 'Math.min(1, x)'), replace(19, 1, 'return value')], { key: 'file:///p/c.ts' });
    s.engine.agentEditsLogged('file:///p/c.ts', ['let a = Math.min(1, x);\n', 'let b = return value;\n'], s.at(1_000).now);
    s.engine.flushActivity(s.now);
    assert.deepEqual(sums(s), { paste: 0, otherChars: 0, agentEdits: 1, agentChars: 'Math.min(1, x)return value'.length, typedChars: 0 });
    assert.deepEqual(s.activity()[0].otherEdits, {});
  });

  it('holds nothing while no log is watched: a logged edit then changes nothing', () => {
    const s = new Session();
    s.open('file:///p/a.ts', '');
    s.edit([insert(0, AGENT_TEXT)], { key: 'file:///p/a.ts' });
    s.engine.agentEditsLogged('file:///p/a.ts', [AGENT_TEXT], s.at(1_000).now);
    s.engine.tick(s.at(60_000).now);
    assert.deepEqual(sums(s), { paste: 1, otherChars: AGENT_TEXT.length, agentEdits: 0, agentChars: 0, typedChars: 0 });
  });

  it('counts held changes as before when activity is flushed, capture ends, or watching stops', () => {
    for (const end of ['flushActivity', 'shutdown', 'setAgentEditMatching'] as const) {
      const s = watching();
      s.edit([insert(0, AGENT_TEXT)], { key: 'file:///p/a.ts' });
      if (end === 'flushActivity') s.engine.flushActivity(s.at(1_000).now);
      else if (end === 'shutdown') s.engine.shutdown(s.at(1_000).now);
      else {
        s.engine.setAgentEditMatching(false, s.at(1_000).now);
        s.engine.agentEditsLogged('file:///p/a.ts', [AGENT_TEXT], s.now);
        s.engine.flushActivity(s.now);
      }
      assert.deepEqual(sums(s), { paste: 1, otherChars: AGENT_TEXT.length, agentEdits: 0, agentChars: 0, typedChars: 0 }, end);
    }
  });

  it('a held change found to be a reload from disk counts as one reload, and never as the agent\'s', () => {
    const s = watching();
    s.edit([replace(0, 0, 'contents from disk\n')], { key: 'file:///p/a.ts' });
    s.engine.documentReloaded('file:///p/a.ts', s.at(500).now);
    s.engine.agentEditsLogged('file:///p/a.ts', ['contents from disk\n'], s.at(1_000).now);
    s.engine.shutdown(s.now);
    const [activity] = s.activity();
    assert.deepEqual(activity.otherEdits, { reload: 1 });
    assert.equal(activity.otherChars, 'contents from disk\n'.length);
    assert.equal(activity.agentEdits, undefined);
  });

  it('holds no typing, deletion or undo, whatever the log says', () => {
    const s = watching();
    s.type(0, '{}', 'file:///p/a.ts');
    s.edit([replace(0, 2, '')], { key: 'file:///p/a.ts' });
    s.edit([insert(0, AGENT_TEXT)], { key: 'file:///p/a.ts', reason: 'undo' });
    s.engine.agentEditsLogged('file:///p/a.ts', [`{}${AGENT_TEXT}`], s.at(1_000).now);
    s.engine.flushActivity(s.now);
    const [activity] = s.activity();
    assert.equal(activity.typedChars, 2);
    assert.deepEqual(activity.otherEdits, { deletion: 1, undo: 1 });
    assert.equal(activity.agentEdits, undefined);
  });
});
