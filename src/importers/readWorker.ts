// Entry point of a read thread (./readWorkers.ts; bundled to dist/readWorker.js): takes the files of the run it is
// sent, one at a time, as soon as it is free, and sends back each file's reading.
import { parentPort, workerData } from 'node:worker_threads';
import { SOURCE_DEFINITIONS } from './sourceDefinitions';
import { readFile } from './incremental';
import { ReadAhead, ReadControl, type ReadPlan, type ReadResponse } from './readWorkers';
import { UsageBounds } from './usageBounds';

const port = parentPort;
if (!port) throw new Error('readWorker must run in a worker thread');
const control = (workerData as { control: Int32Array }).control;
const shouldStop = () => Atomics.load(control, ReadControl.STOP) === 1;

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

async function readPlan({ requests }: ReadPlan): Promise<void> {
  // The bounds of the run (its `now` decides how far ahead a record may be); one run per plan.
  let bounds: UsageBounds | undefined;
  const ahead = new ReadAhead(requests);
  while (!shouldStop()) {
    const file = Atomics.add(control, ReadControl.NEXT_UNTAKEN, 1);
    if (file >= requests.length) return;
    const request = requests[file];
    if (request === null) continue;
    waitForTurn(file, ahead);
    bounds ??= new UsageBounds(request.now);
    let response: ReadResponse;
    try {
      const reading = await readFile({ ...request, parser: SOURCE_DEFINITIONS[request.definition].parser, shouldStop, bounds });
      response = { file, reading };
    } catch {
      response = { file, unreadable: true };
    }
    port?.postMessage(response);
  }
}
