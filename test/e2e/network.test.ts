/**
 * Proxies and TLS end to end: the built CLI against the sandbox, reached through a real local proxy
 * and/or a real TLS front with test-only certificates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { buildGraph, recordLoads } from '../helpers/loads.js';
import {
  startProxy,
  startTlsFront,
  TEST_CA,
  type TestProxy,
  type TlsFront,
  UNRELATED_CA,
} from '../helpers/network.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const RETRY = ['task', 'retry', 'task-0001', '--all-failed'];
const RETRY_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001/retry`;

let proxy: TestProxy;
let front: TlsFront;
let wrongHost: TlsFront;
beforeAll(async () => {
  proxy = await startProxy();
  front = await startTlsFront(sb.sandbox.port);
  wrongHost = await startTlsFront(sb.sandbox.port, 'other-host');
});
afterAll(async () => {
  await Promise.all([proxy.close(), front.close(), wrongHost.close()]);
});
beforeEach(() => {
  proxy.seen.length = 0;
  front.connections = 0;
  front.handshakeFailures = 0;
});

/** The sandbox environment with the HSS endpoint behind the TLS front. */
function httpsEnv(extra: Record<string, string | undefined> = {}) {
  return sb.env({ HSS_ENDPOINT: front.url, ...extra });
}

describe('proxies', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s carries a request to an http:// endpoint', async (name) => {
    const r = await hss(RETRY, { env: sb.env({ [name]: proxy.url }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0]).toMatchObject({ method: 'CONNECT', target: `127.0.0.1:${sb.sandbox.port}` });
    expect(sb.sandbox.requests.map((q) => q.path)).toEqual([RETRY_PATH]);
  });

  it.each(['HTTPS_PROXY', 'https_proxy'])(
    '%s tunnels a request to an https:// endpoint (CONNECT), TLS end to end',
    async (name) => {
      const r = await hss([...RETRY, '--ca-bundle', TEST_CA], { env: httpsEnv({ [name]: proxy.url }) });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(proxy.seen).toEqual([
        expect.objectContaining({ method: 'CONNECT', target: `127.0.0.1:${front.port}` }),
      ]);
      expect(front.connections).toBe(1);
      expect(sb.sandbox.requests).toHaveLength(1);
    },
  );

  it.each([
    ['NO_PROXY', '127.0.0.1'],
    ['no_proxy', 'example.com, 127.0.0.1'],
    ['NO_PROXY', '*'],
  ])('%s=%s sends the request directly', async (name, value) => {
    const r = await hss(RETRY, { env: sb.env({ HTTP_PROXY: proxy.url, [name]: value }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(proxy.seen).toEqual([]);
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  it('NO_PROXY with host:port matches that port only', async () => {
    const same = await hss(RETRY, {
      env: sb.env({ HTTP_PROXY: proxy.url, NO_PROXY: `127.0.0.1:${sb.sandbox.port}` }),
    });
    expect(same.exitCode, same.stderr).toBe(0);
    expect(proxy.seen).toEqual([]);
    sb.sandbox.reset();
    const other = await hss(RETRY, {
      env: sb.env({ HTTP_PROXY: proxy.url, NO_PROXY: `127.0.0.1:${sb.sandbox.port + 1}` }),
    });
    expect(other.exitCode, other.stderr).toBe(0);
    expect(proxy.seen).toHaveLength(1);
  });

  it('NO_PROXY naming another host leaves the proxy in use', async () => {
    const r = await hss(RETRY, { env: sb.env({ HTTP_PROXY: proxy.url, NO_PROXY: 'internal.example.com' }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(proxy.seen).toHaveLength(1);
  });

  it('HTTPS_PROXY does not carry plain http requests; HTTP_PROXY does not carry https ones when HTTPS_PROXY is set', async () => {
    const other = await startProxy();
    try {
      const plain = await hss(RETRY, { env: sb.env({ HTTPS_PROXY: proxy.url }) });
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(proxy.seen).toEqual([]);
      sb.sandbox.reset();
      const tls = await hss([...RETRY, '--ca-bundle', TEST_CA], {
        env: httpsEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: other.url }),
      });
      expect(tls.exitCode, tls.stderr).toBe(0);
      expect(proxy.seen).toHaveLength(1);
      expect(other.seen).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('a loopback endpoint never goes through a proxy that is not on loopback (it would cross the network in clear)', async () => {
    // 192.0.2.1 is TEST-NET-1: nothing answers there, so using it would fail.
    const r = await hss(RETRY, { env: sb.env({ HTTP_PROXY: 'http://192.0.2.1:3128' }), timeoutMs: 15_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  it('proxy credentials are sent to the proxy and never shown, in --debug or config show', async () => {
    const password = 'proxy-pass-7f3a9c2e';
    const url = `http://alice:${password}@127.0.0.1:${proxy.port}`;
    const r = await hss([...RETRY, '--debug'], { env: sb.env({ HTTP_PROXY: url }) });
    expect(r.exitCode, r.stderr).toBe(0);
    sb.sandbox.reset();
    expect(proxy.seen[0]?.headers['proxy-authorization']).toBe(
      `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`,
    );
    expect(r.stderr).toContain(`debug: proxy for http:// http://127.0.0.1:${proxy.port} (env:HTTP_PROXY)`);
    expect(r.stdout + r.stderr).not.toContain(password);
    const show = await hss(['config', 'show', '--json'], { env: sb.env({ HTTP_PROXY: url }) });
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).not.toContain(password);
    expect(JSON.parse(show.stdout).settings.http_proxy).toEqual({
      value: `http://alice:***@127.0.0.1:${proxy.port}`,
      source: 'env:HTTP_PROXY',
    });
  });

  it('a malformed proxy URL is a configuration error (exit 3) and nothing is sent', async () => {
    const r = await hss(RETRY, { env: sb.env({ HTTPS_PROXY: 'http://[::1' }) });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: HTTPS_PROXY "http:\/\/\[::1": not a proxy URL\nhint: /);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('a proxy that cannot be reached is exit 6 after every attempt, naming the proxy settings in the hint', async () => {
    const closed = await startProxy();
    await closed.close();
    const r = await hss([...RETRY, '--max-attempts', '2'], { env: sb.env({ HTTP_PROXY: closed.url }) });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+ after 2 attempts: .*ECONNREFUSED/);
    expect(r.stderr).toContain('HTTPS_PROXY');
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('TLS', () => {
  it('an endpoint with a certificate from an unknown CA is refused: exit 6, one attempt, a --ca-bundle hint', async () => {
    const r = await hss(RETRY, { env: httpsEnv() });
    expect(r.exitCode).toBe(6);
    expect(r.stdout).toMatch(
      /^✖ task-0001: RetryTask task-0001: the TLS certificate of .* cannot be trusted .*\n$/,
    );
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: RetryTask task-0001: the TLS certificate of 127\\.0\\.0\\.1:${front.port} cannot be trusted \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)`,
      ),
    );
    expect(lines[1]).toMatch(/^hint: .*--ca-bundle <file>/);
    expect(lines).toHaveLength(2);
    // Certificate failures are not retried: they cannot heal by themselves.
    expect(front.connections).toBe(1);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('JSON mode: the TLS failure is the one JSON document, code UNAVAILABLE, exit 6', async () => {
    const r = await hss([...RETRY, '--json'], { env: httpsEnv() });
    expect(r.exitCode).toBe(6);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error).toMatchObject({ code: 'UNAVAILABLE', exit_code: 6 });
    expect(doc.error.hint).toContain('--ca-bundle');
  });

  it('--ca-bundle with the CA makes it trusted', async () => {
    const r = await hss([...RETRY, '--ca-bundle', TEST_CA], { env: httpsEnv() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.path)).toEqual([RETRY_PATH]);
  });

  it('HSS_CA_BUNDLE does the same', async () => {
    const r = await hss(RETRY, { env: httpsEnv({ HSS_CA_BUNDLE: TEST_CA }) });
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('a bundle of several certificates is read whole (the CA may come after others)', async () => {
    const dir = tempDir();
    const bundle = path.join(dir, 'bundle.pem');
    writeFileSync(
      bundle,
      `# corporate roots\n${readFileSync(UNRELATED_CA, 'utf8')}\n${readFileSync(TEST_CA, 'utf8')}`,
    );
    const r = await hss([...RETRY, '--ca-bundle', bundle, '--debug'], { env: httpsEnv() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`debug: CA bundle ${bundle} (2 certificates) added to the system roots`);
  });

  it('a bundle with the wrong CA is not enough', async () => {
    const r = await hss([...RETRY, '--ca-bundle', UNRELATED_CA], { env: httpsEnv() });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain('cannot be trusted');
  });

  it('NODE_EXTRA_CA_CERTS is honoured without a bundle, and kept when a bundle is given', async () => {
    const alone = await hss(RETRY, { env: httpsEnv({ NODE_EXTRA_CA_CERTS: TEST_CA }) });
    expect(alone.exitCode, alone.stderr).toBe(0);
    sb.sandbox.reset();
    const both = await hss([...RETRY, '--ca-bundle', UNRELATED_CA], {
      env: httpsEnv({ NODE_EXTRA_CA_CERTS: TEST_CA }),
    });
    expect(both.exitCode, both.stderr).toBe(0);
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 does not turn certificate checks off', async () => {
    const r = await hss(RETRY, { env: httpsEnv({ NODE_TLS_REJECT_UNAUTHORIZED: '0' }) });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain('cannot be trusted');
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('a certificate for another host name is refused even with its CA trusted', async () => {
    const r = await hss([...RETRY, '--ca-bundle', TEST_CA], {
      env: sb.env({ HSS_ENDPOINT: wrongHost.url }),
    });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain(`the TLS certificate of 127.0.0.1:${wrongHost.port} does not name this host`);
    expect(r.stderr).toContain('hint: check the endpoint URL');
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it.each([
    ['a missing file', (dir: string) => path.join(dir, 'nope.pem'), /cannot read it \(ENOENT\)/],
    [
      'a file without certificates',
      (dir: string) => {
        const file = path.join(dir, 'empty.pem');
        writeFileSync(file, 'not a certificate\n');
        return file;
      },
      /holds no PEM certificate/,
    ],
  ])('--ca-bundle naming %s is a usage error (exit 2) and nothing is sent', async (_name, make, message) => {
    const file = make(tempDir());
    const r = await hss([...RETRY, '--ca-bundle', file], { env: httpsEnv() });
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^error: --ca-bundle "${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": `),
    );
    expect(lines[0]).toMatch(message);
    expect(front.connections).toBe(0);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('HSS_CA_BUNDLE naming a missing file is a configuration error (exit 3)', async () => {
    const r = await hss(RETRY, { env: httpsEnv({ HSS_CA_BUNDLE: '/nonexistent/ca.pem' }) });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: HSS_CA_BUNDLE "\/nonexistent\/ca\.pem": cannot read it/);
  });

  it('config show tells where the CA bundle comes from', async () => {
    const r = await hss(['config', 'show', '--json', '--ca-bundle', TEST_CA], { env: sb.env() });
    expect(JSON.parse(r.stdout).settings.ca_bundle).toEqual({ value: TEST_CA, source: 'flag' });
    const env = await hss(['config', 'show', '--json'], { env: sb.env({ HSS_CA_BUNDLE: TEST_CA }) });
    expect(JSON.parse(env.stdout).settings.ca_bundle).toEqual({
      value: TEST_CA,
      source: 'env:HSS_CA_BUNDLE',
    });
  });
});

describe('regions', () => {
  /** A region that would make the derived endpoint name the TLS front (the sandbox behind it). */
  const crafted = () => `x@127.0.0.1:${front.port}/#`;
  /** The sandbox environment with no endpoint: the HSS endpoint is derived from the region. */
  const derivedEnv = (extra: Record<string, string | undefined> = {}) =>
    sb.env({ HSS_ENDPOINT: undefined, HSS_CA_BUNDLE: TEST_CA, ...extra });

  it.each([
    ['HSS_REGION', (region: string) => ({ args: RETRY, env: derivedEnv({ HSS_REGION: region }) })],
    ['--region', (region: string) => ({ args: ['--region', region, ...RETRY], env: derivedEnv() })],
  ])('a crafted %s never sends the token anywhere: exit 2, nothing sent', async (_name, make) => {
    const { args, env } = make(crafted());
    const r = await hss(args, { env });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `error: region "${crafted()}" (from ${_name === '--region' ? 'command-line flag' : 'environment HSS_REGION'}): region may hold only lower-case letters, digits and "-" (e.g. cn-north-4)\n`,
    );
    expect(front.connections).toBe(0);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('a crafted region in a profile is refused by profile set (exit 2) and when read from the store', async () => {
    const configDir = tempDir();
    const set = await hss(['profile', 'set', 'p', '--region', crafted()], { configDir });
    expect(set.exitCode).toBe(2);
    expect(set.stderr).toMatch(/^error: region "x@127\.0\.0\.1:\d+\/#": region may hold only/);
    writeFileSync(
      path.join(configDir, 'config.json'),
      JSON.stringify({ version: 1, current: 'p', profiles: { p: { region: crafted() } } }),
      { mode: 0o600 },
    );
    const r = await hss(RETRY, { configDir, env: derivedEnv() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /^error: region "x@127\.0\.0\.1:\d+\/#" \(from profile "p"\): region may hold only/,
    );
    expect(front.connections).toBe(0);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('a region hss does not know is still used, with a warning', async () => {
    const r = await hss(['config', 'show', '--json', '--region', 'xx-moon-1'], { env: derivedEnv() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).settings.endpoint.value).toBe('https://hss.xx-moon-1.myhuaweicloud.com');
  });
});

describe('start-up cost', () => {
  /** The files of dist/ a retry loads (test/helpers/loads.ts). */
  async function loadedFiles(env: Record<string, string>): Promise<string[]> {
    const { result, files } = await recordLoads(RETRY, { env });
    expect(result.exitCode, result.stderr).toBe(0);
    return files;
  }

  /** The bundled undici modules inside the loaded dist files (the build records which module is where). */
  function bundledUndici(files: string[]): string[] {
    const { outputs } = buildGraph();
    return files
      .flatMap((file) => outputs[file] ?? [])
      .filter((module) => module.includes('node_modules/undici/'));
  }

  it('undici is loaded only when a proxy or a CA bundle is in use', async () => {
    const env = sb.env() as Record<string, string>;
    const plain = await loadedFiles(env);
    sb.sandbox.reset();
    expect(plain).toContain('dist/hss.cjs');
    expect(bundledUndici(plain)).toEqual([]);
    const proxied = await loadedFiles({ ...env, HTTP_PROXY: proxy.url });
    expect(bundledUndici(proxied).length).toBeGreaterThan(0);
  });
});
