// Entry point of a read thread (./readWorkers.ts; bundled to dist/readWorker.js): reads the files it is sent, one
// at a time, and sends back each file's reading.
import { parentPort, workerData } from 'node:worker_threads';
import { SOURCE_DEFINITIONS } from './discovery';
import { readFile } from './incremental';
import type { ReadRequest, ReadResponse } from './readWorkers';
import { UsageBounds } from './usageBounds';

const port = parentPort;
if (!port) throw new Error('readWorker must run in a worker thread');
const stop = (workerData as { stop: Int32Array }).stop;
const shouldStop = () => Atomics.load(stop, 0) === 1;
/** The bounds of the run that sent the request (a run's `now` decides how far ahead a record may be). */
let bounds: { now: number; check: UsageBounds } | undefined;

port.on('message', (request: ReadRequest) => {
  void answer(request).then((response) => port.postMessage(response));
});

async function answer(request: ReadRequest): Promise<ReadResponse> {
  const definition = SOURCE_DEFINITIONS[request.definition];
  if (bounds?.now !== request.now) bounds = { now: request.now, check: new UsageBounds(request.now) };
  try {
    const reading = await readFile({ ...request, parser: definition.parser, shouldStop, bounds: bounds.check });
    return { id: request.id, reading };
  } catch {
    return { id: request.id, unreadable: true };
  }
}
