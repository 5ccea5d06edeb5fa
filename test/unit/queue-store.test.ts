import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createLogger } from '../../src/observability/logger.ts';
import { ConnectionWatch } from '../../src/observability/connection-watch.ts';
import { queueSchema, queueStoreFor } from '../../src/queue/queue-store.ts';
import { maskUrl } from '../../src/storage/mask-url.ts';

describe('where the queues live, and how a store address is shown', () => {
  test('REDIS_URL set: the queues are on Redis; unset: in the database', () => {
    assert.deepEqual(queueStoreFor({ redisUrl: 'redis://r:6379', database: { embedded: true, host: '127.0.0.1', port: 5 }, prefix: 'p' }), { kind: 'redis', url: 'redis://r:6379' });
    const embedded = queueStoreFor({ database: { embedded: true, host: '127.0.0.1', port: 5 }, prefix: 'cutover' });
    assert.equal(embedded.kind, 'postgres');
    assert.equal(embedded.kind === 'postgres' && embedded.connection.schema, 'public', 'pglite-socket shares search_path: the embedded queues stay in public');
  });

  test('on a server the schema comes from QUEUE_PREFIX, and a search_path in DATABASE_URL does not override it', () => {
    assert.equal(queueSchema('cutover-test-ab12:{x}', false), 'bullmq_cutover_test_ab12_x_');
    assert.ok(queueSchema('a'.repeat(100), false).length <= 63);
    const store = queueStoreFor({ database: { embedded: false, url: 'postgres://u:p@db:5432/app?sslmode=disable&options=-c%20search_path%3Dt_1%20-c%20statement_timeout%3D5000' }, prefix: 'cutover' });
    assert.equal(store.kind, 'postgres');
    if (store.kind !== 'postgres') return;
    assert.equal(store.connection.schema, 'bullmq_cutover');
    assert.equal(store.connection.connectionString, 'postgres://u:p@db:5432/app?sslmode=disable');
    assert.equal(store.connection.options, '-c statement_timeout=5000');
  });

  test('addresses in messages: the password masked, the query string dropped', () => {
    assert.equal(maskUrl('redis://user:secret@127.0.0.1:1'), 'redis://user:***@127.0.0.1:1');
    assert.equal(maskUrl('redis://:secret@r:6379/2'), 'redis://:***@r:6379/2');
    assert.equal(maskUrl('postgres://cutover:hunter2@db:5432/cutover?password=x'), 'postgres://cutover:***@db:5432/cutover');
    assert.equal(maskUrl('postgres://db/app'), 'postgres://db/app');
    assert.equal(maskUrl('not a url secret'), '(an address that does not parse)');
  });

  test('a lost connection is logged once until it is back, then once more', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } }) as never);
    const watch = new ConnectionWatch(logger, 'Redis', 'redis://127.0.0.1:1');
    for (let i = 0; i < 50; i++) watch.lost(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
    watch.back();
    watch.back();
    watch.lost(new Error('Connection is closed.'));
    assert.equal(lines.length, 3, lines.join(''));
    assert.match(JSON.parse(lines[0]!).msg, /^Redis at redis:\/\/127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\)/);
    assert.match(JSON.parse(lines[1]!).msg, /reachable again/);
    assert.ok(lines.every((line) => !line.includes('"stack"')), 'no stacks');
  });
});
