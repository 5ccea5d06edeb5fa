import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../src/app.ts';
import supertest from 'supertest';
import { Redis } from 'ioredis';
import { hashTokenSecret } from '../src/tokens/token-secret.ts';
import { QUEUE_STORE, STORAGE, startTestServer, type TestServer } from './support/test-server.ts';

describe('health, readiness and API tokens', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('GET /healthz and /readyz answer 200 when Postgres, Redis (if set) and the queue store answer', async () => {
    assert.deepEqual((await server.api.get('/healthz')).body, { status: 'ok' });
    const ready = await server.api.get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { postgres: 'ok', ...(server.container.redis ? { redis: 'ok' } : {}), queue: 'ok' }, 'Redis is checked only where there is one (REDIS_URL)');
  });

  test('GET /readyz names the stores in use: the database (embedded or postgres) and the queues (postgres or redis)', async () => {
    const ready = await server.api.get('/readyz');
    assert.deepEqual(ready.body.stores, { database: STORAGE === 'embedded' ? 'embedded' : 'postgres', queue: QUEUE_STORE });
  });

  test('GET /readyz answers 503 naming the queue store when it does not answer', async () => {
    const app = createApp({ ...server.container, queues: Object.assign(Object.create(server.container.queues), { ping: () => Promise.reject(new Error('connect ECONNREFUSED')) }) });
    const response = await supertest(app).get('/readyz');
    assert.equal(response.status, 503);
    assert.deepEqual(response.body.down, ['queue']);
    assert.equal(response.body.checks.queue, 'down');
  });

  test('GET /readyz answers 503 naming Redis when Redis is down', async () => {
    const deadRedis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    const app = createApp({ ...server.container, redis: deadRedis });
    const response = await supertest(app).get('/readyz');
    assert.equal(response.status, 503);
    assert.deepEqual(response.body.down, ['redis']);
    deadRedis.disconnect();
  });

  test('admins create tokens: 201 with the secret once, only its hash stored', async () => {
    const response = await server.api.post('/api/v1/tokens').set('authorization', `Bearer ${server.adminToken}`).send({ name: 'okta hook', role: 'verifier' });
    assert.equal(response.status, 201);
    assert.deepEqual(Object.keys(response.body).sort(), ['created_at', 'id', 'name', 'role', 'token']);
    assert.equal(response.body.role, 'verifier');
    const rows = await server.query('SELECT token_hash FROM api_tokens WHERE id = $1', [response.body.id]);
    assert.equal(rows[0].token_hash, hashTokenSecret(response.body.token));
    assert.equal((await server.query('SELECT 1 FROM api_tokens WHERE token_hash = $1', [response.body.token])).length, 0);
    const listed = await server.api.get('/api/v1/tokens').set('authorization', `Bearer ${server.adminToken}`);
    assert.ok(listed.body.tokens.every((t: Record<string, unknown>) => !('token' in t) && !('token_hash' in t)));
    const [audit] = await server.query("SELECT actor, action, target FROM audit_log WHERE action = 'api_token.create' ORDER BY id DESC LIMIT 1");
    assert.deepEqual(audit, { actor: 'CUTOVER_ADMIN_TOKEN', action: 'api_token.create', target: `api_token:${response.body.id}` });
  });

  test('401 for a missing or bad token, 403 for the wrong role, 400 naming a bad field', async () => {
    const missing = await server.api.post('/api/v1/tokens').send({ name: 'x', role: 'admin' });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error, 'unauthorized');
    assert.equal((await server.api.post('/api/v1/tokens').set('authorization', 'Bearer not-a-token').send({ name: 'x', role: 'admin' })).status, 401);
    const comms = await server.tokenFor('comms');
    const forbidden = await server.api.post('/api/v1/tokens').set('authorization', `Bearer ${comms}`).send({ name: 'x', role: 'admin' });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error, 'forbidden');
    const bad = await server.api.post('/api/v1/tokens').set('authorization', `Bearer ${server.adminToken}`).send({ name: '', role: 'root' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.fields.map((f: { field: string }) => f.field).sort(), ['name', 'role']);
  });

  test('a revoked token stops working', async () => {
    const created = await server.api.post('/api/v1/tokens').set('authorization', `Bearer ${server.adminToken}`).send({ name: 'temp', role: 'admin' });
    assert.equal((await server.api.get('/api/v1/tokens').set('authorization', `Bearer ${created.body.token}`)).status, 200);
    assert.equal((await server.api.delete(`/api/v1/tokens/${created.body.id}`).set('authorization', `Bearer ${server.adminToken}`)).status, 204);
    assert.equal((await server.api.get('/api/v1/tokens').set('authorization', `Bearer ${created.body.token}`)).status, 401);
  });

  test('unknown routes and oversized JSON get clean JSON errors', async () => {
    assert.equal((await server.api.get('/nope')).status, 404);
    const big = await server.api.post('/api/v1/tokens').set('authorization', `Bearer ${server.adminToken}`).send({ name: 'x'.repeat(100_000), role: 'admin' });
    assert.equal(big.status, 413);
    assert.equal(big.body.error, 'payload_too_large');
  });
});
