// Entry point of a read thread (./readWorkers.ts; bundled to dist/readWorker.js): takes the files of the run it is
// sent, one at a time, as soon as it is free, and sends back each file's reading, or a large file's parts in order.
import { parentPort, workerData } from 'node:worker_threads';
import { SOURCE_DEFINITIONS } from './sourceDefinitions';
import { readFile } from './incremental';
import { ChunkPool } from './lineReader';
import { PARTS_AHEAD, ReadAhead, ReadControl, type ReadPlan, type ReadResponse } from './readWorkers';
import { UsageBounds } from './usageBounds';

const port = parentPort;
if (!port) throw new Error('readWorker must run in a worker thread');
const control = (workerData as { control: Int32Array }).control;
const shouldStop = () => Atomics.load(control, ReadControl.STOP) === 1;
const send = (response: ReadResponse) => port.postMessage(response);

port.on('message', (plan: ReadPlan) => {
  void readPlan(plan);
});

/** Waits, without spinning, until file `file` is near enough to the one being admitted (or the run stops). */
function waitForTurn(file: number, ahead: ReadAhead): void {
  for (;;) {
    const admitting = Atomics.load(control, ReadControl.ADMITTING);
    if (ahead.allows(file, admitting) || shouldStop()) return;
    Atomics.wait(control, ReadControl.ADMITTING, admitting, 100);
  }
}

/**
 * Waits, without spinning, until the run's thread has admitted enough of the parts of file `file` sent so far that
 * another may be read (PARTS_AHEAD), or the run stops.
 */
function waitForAdmission(file: number, sent: number): void {
  for (;;) {
    // The file first: once it is the one being admitted, the count that follows is its own (ReadWorkers.admitting).
    const admitting = Atomics.load(control, ReadControl.ADMITTING);
    const admitted = Atomics.load(control, ReadControl.PARTS_ADMITTED);
    if ((admitting === file && sent - admitted < PARTS_AHEAD) || shouldStop()) return;
    Atomics.wait(control, ReadControl.PARTS_ADMITTED, admitted, 100);
  }
}

async function readPlan({ requests }: ReadPlan): Promise<void> {
  // The bounds of the run (its `now` decides how far ahead a record may be); one run per plan.
  let bounds: UsageBounds | undefined;
  const chunks = new ChunkPool();
  const ahead = new ReadAhead(requests);
  while (!shouldStop()) {
    const file = Atomics.add(control, ReadControl.NEXT_UNTAKEN, 1);
    if (file >= requests.length) return;
    const request = requests[file];
    if (request === null) continue;
    waitForTurn(file, ahead);
    bounds ??= new UsageBounds(request.now);
    let sent = 0;
    try {
      for await (const reading of readFile({ ...request, parser: SOURCE_DEFINITIONS[request.definition].parser, shouldStop, bounds, chunks })) {
        send({ file, reading });
        sent++;
        if (reading.more) waitForAdmission(file, sent);
      }
    } catch {
      send({ file, unreadable: true });
    }
  }
}
