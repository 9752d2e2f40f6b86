/**
 * Real network pieces for end-to-end tests: an HTTP proxy (CONNECT tunnels and absolute-form
 * forwarding) that records what it carried, and a TLS front that terminates HTTPS with the test-only
 * certificates of test/fixtures/tls and passes the bytes on to a plain HTTP server (the sandbox).
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import path from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { ROOT } from './cli.js';

export const TLS_DIR = path.join(ROOT, 'test', 'fixtures', 'tls');
export const TEST_CA = path.join(TLS_DIR, 'test-only-ca.pem');
export const UNRELATED_CA = path.join(TLS_DIR, 'test-only-unrelated-ca.pem');

export interface ProxySeen {
  /** `CONNECT` or the method of a forwarded request. */
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestProxy {
  url: string;
  port: number;
  seen: ProxySeen[];
  close(): Promise<void>;
}

function closeServer(server: Server | TlsServer, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startProxy(): Promise<TestProxy> {
  const seen: ProxySeen[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    seen.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    const target = new URL(req.url ?? '/');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head) => {
    seen.push({ method: 'CONNECT', target: req.url ?? '', headers: req.headers });
    sockets.add(client);
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host?.replace(/^\[|\]$/g, '') ?? '', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, seen, close: () => closeServer(server, sockets) };
}

export interface TlsFront {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  /** TCP connections accepted (a refused handshake counts too). */
  connections: number;
  /** Handshakes the client broke off (e.g. it did not trust the certificate). */
  handshakeFailures: number;
  close(): Promise<void>;
}

/** HTTPS in front of `backendPort`, with the certificate `test-only-<cert>.pem`. */
export async function startTlsFront(
  backendPort: number,
  cert: 'localhost' | 'other-host' = 'localhost',
): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const front: TlsFront = {
    url: '',
    port: 0,
    connections: 0,
    handshakeFailures: 0,
    close: () => closeServer(server, sockets),
  };
  const server = createTlsServer(
    {
      key: readFileSync(path.join(TLS_DIR, `test-only-${cert}.key`)),
      cert: readFileSync(path.join(TLS_DIR, `test-only-${cert}.pem`)),
    },
    (tlsSocket) => {
      const backend = connect(backendPort, '127.0.0.1');
      sockets.add(backend);
      tlsSocket.pipe(backend).pipe(tlsSocket);
      backend.on('error', () => tlsSocket.destroy());
      tlsSocket.on('error', () => backend.destroy());
    },
  );
  server.on('connection', (socket: Socket) => {
    front.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {
    front.handshakeFailures++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.port = (server.address() as AddressInfo).port;
  front.url = `https://127.0.0.1:${front.port}`;
  return front;
}
