import assert from 'node:assert/strict';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../src/app.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * Issue 9, item 7. The dev outbox holds staff setup links and invitation links, so only a client on this machine
 * may read it; and only the peers TRUST_PROXY names may say who the client is (X-Forwarded-For). To be a client
 * that is not loopback, the tests connect from this machine's own non-loopback addresses: an IPv4 one, and an IPv6
 * unique-local one (fc00::/7, the "private range" that must not be trusted by default).
 */
const own = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal);
const OUTSIDE_V4 = own.find((a) => a!.family === 'IPv4')?.address;
const PRIVATE_V6 = own.find((a) => a!.family === 'IPv6' && /^f[cd]/i.test(a!.address))?.address;
const skip = !OUTSIDE_V4 || !PRIVATE_V6
  ? `this machine needs a non-loopback IPv4 address and an IPv6 unique-local one (found ${OUTSIDE_V4 ?? 'no IPv4'}, ${PRIVATE_V6 ?? 'no fc00::/7'})`
  : false;

interface Answer { status: number; body: string }

function get(port: number, from: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: from, localAddress: from === '127.0.0.1' ? undefined : from, port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    request.on('error', reject);
  });
}

/** The app of a test server listening on every address (the test server's own URL is loopback only). */
async function listenEverywhere(server: TestServer): Promise<{ port: number; close(): Promise<void> }> {
  const listening: Server = http.createServer(createApp(server.container));
  await new Promise<void>((resolve) => listening.listen(0, '::', resolve));
  return {
    port: (listening.address() as AddressInfo).port,
    close: () => { listening.closeAllConnections(); return new Promise((resolve) => listening.close(() => resolve())); },
  };
}

describe('attack: the dev outbox from another machine, and forged X-Forwarded-For', { skip }, () => {
  const lines: string[] = [];
  let server: TestServer;
  let app: { port: number; close(): Promise<void> };
  before(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: 'info' }, logTo: { write: (line) => { lines.push(line); } } });
    app = await listenEverywhere(server);
  });
  after(async () => {
    await app?.close();
    await server?.close();
  });

  /** The client address the access log recorded for the request to `path`. */
  const loggedIp = (path: string) => lines.map((line) => JSON.parse(line)).filter((l) => l.path === path).at(-1)?.ip;

  test('a loopback client reads the outbox; any other client is refused, on every outbox page', async () => {
    assert.equal((await get(app.port, '127.0.0.1', '/dev/outbox.json')).status, 200);
    for (const path of ['/dev/outbox', '/dev/outbox.json', '/dev/outbox/1', '/dev/outbox/1/html']) {
      const answer = await get(app.port, OUTSIDE_V4!, path);
      assert.equal(answer.status, 403, `${path} answered ${OUTSIDE_V4}: ${answer.status} ${answer.body.slice(0, 80)}`);
      assert.match(answer.body, /DEV_OUTBOX_PUBLIC/);
    }
  });

  test('a forged X-Forwarded-For from a peer that is not a trusted proxy does not unlock it', async () => {
    for (const forged of ['127.0.0.1', '::1', '127.0.0.1, 127.0.0.1']) {
      assert.equal((await get(app.port, OUTSIDE_V4!, '/dev/outbox.json', { 'x-forwarded-for': forged })).status, 403, `XFF ${forged} from ${OUTSIDE_V4}`);
      assert.equal((await get(app.port, PRIVATE_V6!, '/dev/outbox.json', { 'x-forwarded-for': forged })).status, 403, `XFF ${forged} from ${PRIVATE_V6}: a private range is not a proxy by default`);
    }
  });

  test('behind a proxy on this machine, the outside client it names is refused', async () => {
    assert.equal((await get(app.port, '127.0.0.1', '/dev/outbox.json', { 'x-forwarded-for': '198.51.100.7' })).status, 403);
  });

  test('TRUST_PROXY defaults to loopback only: a private-range peer cannot choose its address', async () => {
    await get(app.port, PRIVATE_V6!, '/no-such-page-v6', { 'x-forwarded-for': '198.51.100.7' });
    assert.equal(loggedIp('/no-such-page-v6'), PRIVATE_V6, 'the address is the peer, not what it claimed');
    await get(app.port, OUTSIDE_V4!, '/no-such-page-v4', { 'x-forwarded-for': '198.51.100.8' });
    assert.equal(loggedIp('/no-such-page-v4'), `::ffff:${OUTSIDE_V4}`);
    await get(app.port, '127.0.0.1', '/no-such-page-lo', { 'x-forwarded-for': '198.51.100.9' });
    assert.equal(loggedIp('/no-such-page-lo'), '198.51.100.9', 'a proxy on loopback is believed');
  });
});

describe('the deployment may open the outbox and name its proxies', { skip }, () => {
  const lines: string[] = [];
  let server: TestServer;
  let app: { port: number; close(): Promise<void> };
  before(async () => {
    server = await startTestServer({
      env: { LOG_LEVEL: 'info', DEV_OUTBOX_PUBLIC: 'true', TRUST_PROXY: 'loopback, fc00::/7' },
      logTo: { write: (line) => { lines.push(line); } },
    });
    app = await listenEverywhere(server);
  });
  after(async () => {
    await app?.close();
    await server?.close();
  });

  test('DEV_OUTBOX_PUBLIC=true answers any client, and a proxy in TRUST_PROXY is believed', async () => {
    assert.equal((await get(app.port, OUTSIDE_V4!, '/dev/outbox.json')).status, 200);
    await get(app.port, PRIVATE_V6!, '/no-such-page', { 'x-forwarded-for': '198.51.100.7' });
    const logged = lines.map((line) => JSON.parse(line)).filter((l) => l.path === '/no-such-page').at(-1)?.ip;
    assert.equal(logged, '198.51.100.7');
  });
});
