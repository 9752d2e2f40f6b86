import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nodeTransport, type TransportResponse } from '../../src/api/node-transport.js';
import { type Seen, startRecordingServer } from '../helpers/recording-server.js';

const serve = startRecordingServer;

function headerList(response: TransportResponse): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  response.headers.forEach((value, name) => {
    out.push([name, value]);
  });
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('nodeTransport (the default transport of HttpClient)', () => {
  it('sends the method, path and query, headers and UTF-8 body with its length', async () => {
    const { base, seen } = await serve((_req, res) => res.end('ok'));
    const body = '{"name":"é"}';
    const res = await nodeTransport(new URL(`${base}/v5/p/tasks?offset=0&limit=10`), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': 'tok' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req?.method).toBe('PUT');
    expect(req?.url).toBe('/v5/p/tasks?offset=0&limit=10');
    expect(req?.body).toBe(body);
    const headers = Object.fromEntries(
      (req?.rawHeaders ?? []).flatMap((v, i, all) => (i % 2 === 0 ? [[v.toLowerCase(), all[i + 1]]] : [])),
    );
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-auth-token']).toBe('tok');
    expect(headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(headers['host']).toBe(new URL(base).host);
  });

  it('merges header names that differ only in case and trims values, as fetch does', async () => {
    const { base, seen } = await serve((_req, res) => res.end());
    await nodeTransport(new URL(base), { headers: { 'X-Tag': ' a ', 'x-tag': 'b\t' } });
    const raw = seen[0]?.rawHeaders ?? [];
    const tags = raw.filter((_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === 'x-tag');
    expect(tags).toEqual(['a, b']);
  });

  it('sends Content-Length: 0 for a POST or PUT without a body, and none for a GET', async () => {
    const { base, seen } = await serve((_req, res) => res.end());
    await nodeTransport(new URL(base), { method: 'POST' });
    await nodeTransport(new URL(base), { method: 'GET' });
    const length = (s: Seen | undefined) => {
      const i = (s?.rawHeaders ?? []).findIndex((h) => h.toLowerCase() === 'content-length');
      return i === -1 ? undefined : s?.rawHeaders[i + 1];
    };
    expect(length(seen[0])).toBe('0');
    expect(length(seen[1])).toBeUndefined();
  });

  it('answers with the status, reason and headers as fetch lists them: lowercased, sorted', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(404, 'Nope', {
        'X-Request-Id': 'rid-1',
        'Content-Type': 'application/json',
        'A-First': '1',
      });
      res.end('{"error_code":"HSS.1"}');
    });
    const res = await nodeTransport(new URL(base), {});
    expect(res.status).toBe(404);
    expect(res.statusText).toBe('Nope');
    const names = headerList(res).map(([name]) => name);
    expect(names).toEqual([...names].sort());
    expect(headerList(res)).toContainEqual(['x-request-id', 'rid-1']);
    expect(headerList(res)).toContainEqual(['a-first', '1']);
    expect(await res.text()).toBe('{"error_code":"HSS.1"}');
  });

  it('does not follow redirects', async () => {
    const { base, seen } = await serve((_req, res) => {
      res.writeHead(302, { Location: '/elsewhere' });
      res.end();
    });
    const res = await nodeTransport(new URL(base), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(seen).toHaveLength(1);
  });

  it('decodes a gzip-encoded answer and a UTF-8 byte order mark, as fetch does', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(gzipSync(Buffer.from('\uFEFF{"a":"ü"}', 'utf8')));
    });
    const res = await nodeTransport(new URL(base), {});
    expect(await res.text()).toBe('{"a":"ü"}');
  });

  it('reports a refused connection as fetch does: TypeError("fetch failed") caused by ECONNREFUSED', async () => {
    const server = await serve(() => {});
    const { base } = server;
    await server.close();
    const error = await rejection(nodeTransport(new URL(base), {}));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('refuses an invalid header value before anything is sent', async () => {
    const { base, seen } = await serve((_req, res) => res.end());
    const error = await rejection(nodeTransport(new URL(base), { headers: { 'X-Bad': 'a\nb' } }));
    expect(error).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(0);
  });

  it('rejects with the reason of a signal aborted before sending, and sends nothing', async () => {
    const { base, seen } = await serve((_req, res) => res.end());
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await rejection(nodeTransport(new URL(base), { signal: controller.signal }))).toBe(reason);
    expect(seen).toHaveLength(0);
  });

  it('rejects with the timeout reason when the answer stalls after its headers', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200);
      res.write('{"total_num":');
    });
    const error = await rejection(nodeTransport(new URL(base), { signal: AbortSignal.timeout(150) }));
    expect((error as Error).name).toBe('TimeoutError');
  });
});
