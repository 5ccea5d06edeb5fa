import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWorkers } from '../src/worker.ts';
import { signedInStaff } from './support/staff-helpers.ts';
import { SHORT_LIVED, startTestServer, type TestServer } from './support/test-server.ts';

/**
 * The app keeps its short-lived state where the container chose, and only there: with the database store (the
 * embedded suite) sessions and counts are rows of short_lived and Redis holds nothing but the queues' keys.
 */
describe(`short-lived state of a running app lives in ${SHORT_LIVED}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a staff session and a counted verify failure are in the chosen store and nowhere else', async () => {
    const { store, config, redis } = server.container;
    assert.equal(store.kind, SHORT_LIVED);
    await signedInStaff(server, 'store@example.com', 'admin');
    const verifier = await server.tokenFor('verifier');
    const refused = await server.api.post('/api/v1/verify').set('authorization', `Bearer ${verifier}`).send({ login: 'nobody@example.com', password: 'wrong' });
    assert.equal(refused.status, 401);

    const kinds = (keys: string[]) => new Set(keys.map((key) => key.slice(config.QUEUE_PREFIX.length + 1).split(':')[0]));
    const inStore = kinds(await store.keys(`${config.QUEUE_PREFIX}:`));
    for (const kind of ['staff-session', 'verify-fail']) assert.ok(inStore.has(kind), `${kind} is in the store (found ${[...inStore].join(', ')})`);

    const inRedis = kinds((await redis?.keys(`${config.QUEUE_PREFIX}:*`)) ?? []);
    const rows = (await server.query('SELECT key FROM short_lived')).map((r: { key: string }) => r.key);
    if (SHORT_LIVED === 'postgres') {
      assert.deepEqual([...inRedis].filter((kind) => kind !== 'maintenance' && kind !== 'send'), [], 'Redis (if there is one) holds only the queues');
      assert.ok(rows.length >= 2);
    } else {
      assert.ok(inRedis.has('staff-session') && inRedis.has('verify-fail'));
      assert.deepEqual(rows, [], 'the table stays empty when Redis is the store');
    }
  });

  test('with the database store the worker sweeps expired rows; with Redis there is nothing to sweep', async () => {
    const { store, config } = server.container;
    await store.set(`${config.QUEUE_PREFIX}:sweep-me`, 'x', 1);
    await sleep(20);
    const workers = await startWorkers(server.container);
    try {
      if (SHORT_LIVED === 'postgres') {
        let left = 1;
        for (let i = 0; i < 100 && left > 0; i += 1) {
          await sleep(100);
          left = (await server.query("SELECT 1 FROM short_lived WHERE expires_at <= now()")).length;
        }
        assert.equal(left, 0, 'the short-lived.sweep job ran when the worker started and deleted the expired rows');
      } else {
        assert.equal(await store.get(`${config.QUEUE_PREFIX}:sweep-me`), null, 'Redis expired it itself');
      }
    } finally {
      await workers.stop();
    }
  });
});
