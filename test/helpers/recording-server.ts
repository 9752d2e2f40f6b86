/**
 * A real HTTP server on loopback for the client tests: it records every request as it arrived (method,
 * target, headers as parsed and as sent, body) and answers through the test's handler. Closed after
 * each test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** Names and values as they came, in order, with their case. */
  rawHeaders: string[];
  body: string;
}

/** `n`: which request this is, counting from 1. */
export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export interface RecordingServer {
  base: string;
  port: number;
  seen: Seen[];
  /** Resolves when the server has seen `n` requests. */
  waitFor(n: number): Promise<void>;
  /** Stops listening now (a later connection is refused). */
  close(): Promise<void>;
}

const servers = new Set<Server>();

function stop(server: Server): Promise<void> {
  servers.delete(server);
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

afterEach(async () => {
  await Promise.all([...servers].map(stop));
});

export async function startRecordingServer(handler: Handler): Promise<RecordingServer> {
  const seen: Seen[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      for (const w of waiters) if (seen.length >= w.n) w.resolve();
      handler(req, res, seen.length);
    });
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    seen,
    waitFor: (n) =>
      new Promise<void>((resolve) => {
        if (seen.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    close: () => stop(server),
  };
}
