// A loopback OTLP/HTTP receiver for tests: records each request and answers as a Collector
// does, or with a chosen failure, or never.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * `answer` picks the status for the nth request (0-based); `null` never answers; `trickle` answers
 * 200 and then one byte every 200 ms, never ending (a socket that is never idle).
 */
export async function startReceiver(answer: (index: number) => number | null | 'trickle' = () => 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const status = answer(requests.length);
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      if (status === null) return;
      response.writeHead(status === 'trickle' ? 200 : status, { 'content-type': 'application/x-protobuf' });
      if (status !== 'trickle') {
        response.end();
        return;
      }
      const drip = setInterval(() => response.write(Buffer.from([0])), 200);
      response.on('close', () => clearInterval(drip));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1/metrics`;
}
