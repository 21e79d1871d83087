import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatSessionTail } from '../../../src/capture/chatSessionTail';

describe('reading what chat session logs gained', () => {
  let root: string;
  let folder: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-chat-tail-'));
    folder = path.join(root, 'chatSessions');
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('does nothing while the folder does not exist', async () => {
    const tail = new ChatSessionTail(folder);
    assert.equal(await tail.start(), false);
    assert.equal(tail.started, false);
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 's.jsonl'), '{"kind":0}\n');
    assert.deepEqual(await tail.readNew(), []);
  });

  it('skips what logs held at the start, then returns only complete appended lines', async () => {
    await fs.mkdir(folder);
    const log = path.join(folder, 'session.jsonl');
    await fs.writeFile(log, '{"old":1}\n');
    await fs.writeFile(path.join(folder, 'session.json'), '{"flat":true}');
    const tail = new ChatSessionTail(folder);
    assert.equal(await tail.start(), true);
    await fs.appendFile(log, '{"new":1}\n{"torn":');
    assert.deepEqual(await tail.readNew(), ['{"new":1}\n']);
    assert.deepEqual(await tail.readNew(), []);
    await fs.appendFile(log, '2}\n');
    assert.deepEqual(await tail.readNew(), ['{"torn":2}\n']);
  });

  it('passes over what logs held at the previous idle look, and keeps what came since for a change still arriving', async () => {
    await fs.mkdir(folder);
    const log = path.join(folder, 'session.jsonl');
    await fs.writeFile(log, '');
    const tail = new ChatSessionTail(folder);
    await tail.start();
    await fs.appendFile(log, '{"late":1}\n');
    await fs.writeFile(path.join(folder, 'other.jsonl'), '{"other":1}\n');
    await tail.passIdle();
    await fs.appendFile(log, '{"recent":1}\n');
    await tail.passIdle();
    await fs.appendFile(log, '{"newest":1}\n');
    assert.deepEqual(await tail.readNew(), ['{"recent":1}\n{"newest":1}\n']);
  });

  it('reads a new log, and a log rewritten shorter (compacted), from its start', async () => {
    await fs.mkdir(folder);
    const log = path.join(folder, 'a.jsonl');
    await fs.writeFile(log, `{"kind":0,"v":"${'x'.repeat(100)}"}\n`);
    const tail = new ChatSessionTail(folder);
    await tail.start();
    await fs.writeFile(path.join(folder, 'b.jsonl'), '{"kind":0,"v":"b"}\n');
    assert.deepEqual(await tail.readNew(), ['{"kind":0,"v":"b"}\n']);
    await fs.writeFile(log, '{"kind":0,"v":"compact"}\n');
    assert.deepEqual(await tail.readNew(), ['{"kind":0,"v":"compact"}\n']);
  });

  it('reads every log from its start when the folder appeared while watching', async () => {
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'first.jsonl'), '{"kind":0,"v":1}\n');
    const tail = new ChatSessionTail(folder);
    assert.equal(await tail.start(true), true);
    assert.deepEqual(await tail.readNew(), ['{"kind":0,"v":1}\n']);
  });

  it('skips, to its end, a log that gained more than one look may read, and reads what comes after', async () => {
    await fs.mkdir(folder);
    const log = path.join(folder, 'huge.jsonl');
    await fs.writeFile(log, '');
    const tail = new ChatSessionTail(folder);
    await tail.start();
    await fs.appendFile(log, `${'x'.repeat(33 * 1024 * 1024)}\n`);
    assert.deepEqual(await tail.readNew(), []);
    await fs.appendFile(log, '{"after":1}\n');
    assert.deepEqual(await tail.readNew(), ['{"after":1}\n']);
  });
});
