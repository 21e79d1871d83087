// Entry point of a summary reader thread (bundled to dist/summaryReaderWorker.js; see ./summaryReaders.ts).
import { parentPort } from 'node:worker_threads';
import { describeError } from '../privacy/errors';
import { readSummaryFile, readSummaryHeader, ReaderRequest } from './summaryReaders';
import type { ReaderReply } from './summaryReaders';

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('summaryReaderWorker must run in a worker thread');
  port.on('message', (raw) => {
    const request = ReaderRequest.parse(raw);
    let reply: ReaderReply;
    try {
      if (request.type === 'headers') {
        reply = { type: 'headers', id: request.id, headers: request.files.map((file) => readSummaryHeader(file)) };
      } else {
        reply = { type: 'file', id: request.id, parsed: readSummaryFile(request.file) };
      }
    } catch (error) {
      reply = { type: 'failed', id: request.id, message: describeError(error) };
    }
    const transfer = reply.type === 'file' && reply.parsed.ok ? [reply.parsed.rows.values.buffer] : [];
    port.postMessage(reply, transfer);
  });
}

if (parentPort) main();
