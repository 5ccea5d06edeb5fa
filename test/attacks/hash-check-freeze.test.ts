import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { shaCrypt } from '../../src/identity/hashes/sha-crypt.ts';
import { SHA512_CRYPT } from '../../src/identity/hashes/sha512-crypt.ts';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

// passlib's sha512_crypt default (656,000 rounds), made by glibc through Python 3.11:
//   python3 -c "import crypt; print(crypt.crypt('correct horse battery staple', '\$6\$rounds=656000\$freezesalt0123\$'))"
const PASSWORD = 'correct horse battery staple';
const SHA512_656000 = '$6$rounds=656000$freezesalt0123$Ry7NK/q/GN8TPLSMAJ7upPA5zk5..bIH5yrPZaJuQzaYhKypTR3KnWHbefVd7lJ1KQ32Ord4vvFVZUe7uDPW70';

// These tests are about the pool, not the time cap: a high LEGACY_HASH_MAX_MS keeps the import from refusing the
// hash when this machine is slow (test/legacy-hash-budget.test.ts tests the default budget).
const POOL_ONLY = { LEGACY_HASH_MAX_MS: '20000' };

async function importUsers(server: TestServer, rows: object[]): Promise<void> {
  const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`)
    .set('content-type', 'application/x-ndjson').send(jsonl(rows));
  assert.equal(imported.body.imported, rows.length, JSON.stringify(imported.body.errors));
}

/** Polls GET /healthz over HTTP until `done` settles; returns every latency seen, in ms. */
async function healthzLatencies(url: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => { finished = true; });
  const latencies: number[] = [];
  while (!finished) {
    const started = performance.now();
    // A frozen loop can outlast fetch's connect timeout: that counts as the time it did not answer.
    const response = await fetch(`${url}/healthz`).catch(() => null);
    if (response) {
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return latencies;
}

describe('attack: a slow legacy hash must not freeze the service', () => {
  let server: TestServer;
  let verifier: string;
  before(async () => {
    server = await startTestServer({ env: POOL_ONLY });
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const long = 'L'.repeat(1025);
    await importUsers(server, [
      ...Array.from({ length: 5 }, (_, i) => ({ id: `f-${i}`, email: `freeze${i}@example.com`, password_hash: SHA512_656000 })),
      // Our sha-crypt (checked against Drepper's vectors) for a 1,025-byte password: glibc refuses keys over 512 bytes.
      { id: 'long-1', email: 'long@example.com', password_hash: shaCrypt(SHA512_CRYPT, long, '$6$rounds=1000$longpwsalt') },
    ]);
  });
  after(() => server.close());

  test('4 verifies of a $6$rounds=656000$ hash at once: /healthz keeps answering meanwhile', async () => {
    const url = await server.url();
    // One check alone first: how long this machine takes for one, now.
    const soloStarted = performance.now();
    const solo = await fetch(`${url}/api/v1/verify`, { method: 'POST', headers: { authorization: verifier, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'freeze4@example.com', password: PASSWORD }) });
    assert.equal(solo.status, 200);
    const oneCheckMs = performance.now() - soloStarted;
    const verifies = Promise.all(Array.from({ length: 4 }, async (_, i) => {
      const response = await fetch(`${url}/api/v1/verify`, { method: 'POST', headers: { authorization: verifier, 'content-type': 'application/json' },
        body: JSON.stringify({ login: `freeze${i}@example.com`, password: PASSWORD }) });
      return { status: response.status, body: await response.json() as { verified: boolean } };
    }));
    const latencies = await healthzLatencies(url, verifies);
    const answers = await verifies;
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(answer.body.verified, true);
    }
    assert.ok(latencies.length >= 3, `only ${latencies.length} /healthz answers during the verifies`);
    // On the event loop, a check holds /healthz for the whole check. Measured against one check's time, so that a
    // machine shared with other work (every process slower alike) does not decide the outcome.
    const worst = Math.max(...latencies);
    assert.ok(worst < Math.max(250, oneCheckMs / 4), `/healthz took ${worst.toFixed(0)} ms while the hashes were checked (one check alone: ${oneCheckMs.toFixed(0)} ms)`);
  });

  test('a password over 1,024 bytes is refused before any legacy check: 401 like a wrong password', async () => {
    const response = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'long@example.com', password: 'L'.repeat(1025) });
    assert.equal(response.status, 401, response.text);
    assert.deepEqual(response.body, { verified: false, error: 'invalid_credentials' });
  });
});

describe('attack: a full hash-check pool answers busy instead of queueing without end', () => {
  let server: TestServer;
  let verifier: string;
  before(async () => {
    server = await startTestServer({ env: { ...POOL_ONLY, LEGACY_HASH_POOL_SIZE: '1', LEGACY_HASH_QUEUE_MAX: '1' } });
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    await importUsers(server, Array.from({ length: 6 }, (_, i) => ({ id: `b-${i}`, email: `busy${i}@example.com`, password_hash: SHA512_656000 })));
  });
  after(() => server.close());

  test('6 verifies at once with one worker and a queue of one: the overflow gets 503 busy with Retry-After', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: `busy${i}@example.com`, password: PASSWORD })));
    const busy = answers.filter((answer) => answer.status === 503);
    const verified = answers.filter((answer) => answer.status === 200);
    assert.ok(busy.length >= 1, `statuses: ${answers.map((a) => a.status).join(', ')}`);
    assert.ok(verified.length >= 2, `one running and one queued must still verify; statuses: ${answers.map((a) => a.status).join(', ')}`);
    assert.equal(busy.length + verified.length, 6);
    for (const answer of busy) {
      assert.deepEqual(answer.body, { verified: false, error: 'busy' });
      assert.match(String(answer.headers['retry-after']), /^[1-9][0-9]*$/);
    }
    // A busy answer is not a wrong password: the same user signs in once the pool has room.
    const busyLogin = `busy${answers.findIndex((answer) => answer.status === 503)}@example.com`;
    const again = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: busyLogin, password: PASSWORD });
    assert.equal(again.status, 200, again.text);
  });
});
