import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import supertest from 'supertest';
import { healthRoutes } from '../../src/http/health.routes.ts';
import { hashPassword } from '../../src/identity/argon2id-password.ts';
import { newTotpSecret, TOTP_PERIOD_S } from '../../src/identity/totp.ts';
import type { MailTransport } from '../../src/mail/mail-transport.ts';
import { csrfOf } from '../support/enrol-pages.ts';
import { codeFor } from '../support/staff-helpers.ts';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

/** A stand-in for the SMTP relay (an outside party): counts readiness probes, each taking a while like a real one. */
class CountingRelay implements MailTransport {
  readonly kind = 'smtp' as const;
  probes = 0;
  async send() { return { messageId: '<x@relay.test>' }; }
  async verify() { this.probes += 1; await sleep(30); return true; }
  async close() {}
}

/** Sends `parts` as a chunked body (no Content-Length), the way a streaming client does. */
function postChunked(url: string, path: string, token: string, parts: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    request.on('error', reject);
    (async () => {
      for (const part of parts) {
        if (request.destroyed) return;
        if (!request.write(part)) await new Promise((r) => request.once('drain', r));
      }
      request.end();
    })().catch(reject);
  });
}

describe('attack: the smaller holes of issue 9, item 8', () => {
  const lines: string[] = [];
  const relay = new CountingRelay();
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer({ env: { IMPORT_MAX_MB: '1', LOG_LEVEL: 'info' }, mail: relay, logTo: { write: (line) => { lines.push(line); } } });
    url = await server.url();
  });
  after(async () => {
    await server.close();
  });

  test('a chunked upload over IMPORT_MAX_MB is refused with 413 as it streams, and nothing of it is imported', async () => {
    // 16,000 rows of about 100 bytes: 1.6 MiB, past the 1 MiB limit after several 2,000-row batches.
    const rows = Array.from({ length: 16_000 }, (_, i) => ({ id: `big-${i}`, email: `big-${i}@example.com`, path: 'reset', name: 'Chunked Upload Person' }));
    const body = jsonl(rows);
    const parts = Array.from({ length: Math.ceil(body.length / 65_536) }, (_, i) => body.slice(i * 65_536, (i + 1) * 65_536));
    const answer = await postChunked(url, '/api/v1/imports', server.adminToken, parts);
    assert.equal(answer.status, 413, `a 1.6 MiB chunked body under IMPORT_MAX_MB=1 answered ${answer.status} ${answer.body.slice(0, 200)}`);
    assert.equal(JSON.parse(answer.body).error, 'payload_too_large');
    const [{ count }] = await server.query("SELECT count(*)::int AS count FROM users WHERE legacy_id LIKE 'big-%'");
    assert.equal(count, 0, 'no row of the refused upload is in the users table');
    // A body within the limit, chunked too, still goes in.
    const small = await postChunked(url, '/api/v1/imports', server.adminToken, [jsonl(rows.slice(0, 10))]);
    assert.equal(small.status, 201, small.body);
    assert.equal(JSON.parse(small.body).imported, 10);
  });

  test('token redaction in the access log ignores case and covers staff setup links', async () => {
    const token = 'Q2FzZUluc2Vuc2l0aXZlX3Rva2VuX3RoYXRfbGVha3N';
    for (const path of [`/ENROL/${token}`, `/Enrol/${token}`, `/enrol/${token}`, `/CONSOLE/SETUP/${token}`, `/console/Setup/${token}`, `/console/setup/${token}`]) {
      await server.api.get(path);
    }
    const logged = lines.filter((line) => /"request"/.test(line));
    assert.ok(logged.length >= 6, 'the requests were logged');
    const leaked = logged.filter((line) => line.includes(token));
    assert.deepEqual(leaked.map((line) => JSON.parse(line).path), [], 'a token reached the log');
    assert.ok(logged.some((line) => JSON.parse(line).path === '/ENROL/[redacted]'));
  });

  test('/readyz asks the SMTP relay at most once in 10 seconds, however often it is called', async () => {
    relay.probes = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, () => server.api.get('/readyz')));
    for (let i = 0; i < 5; i += 1) answers.push(await server.api.get('/readyz'));
    assert.ok(answers.every((a) => a.status === 200 && a.body.checks.smtp === 'ok'));
    assert.equal(relay.probes, 1, `25 calls to /readyz opened ${relay.probes} SMTP connections`);
  });

  test('the cached SMTP answer is asked again after 10 seconds', async () => {
    let now = 1_000_000;
    const probe = new CountingRelay();
    const app = express().use(healthRoutes(server.container.db, server.container.redis, probe, { now: () => now }));
    await supertest(app).get('/readyz').expect(200);
    now += 9_999;
    await supertest(app).get('/readyz').expect(200);
    assert.equal(probe.probes, 1);
    now += 2;
    await supertest(app).get('/readyz').expect(200);
    assert.equal(probe.probes, 2);
  });

  test('the audit log refuses TRUNCATE as it refuses UPDATE and DELETE', async () => {
    await server.api.post('/api/v1/tokens').set('authorization', `Bearer ${server.adminToken}`).send({ name: 'audited', role: 'support' }).expect(201);
    const [{ before: entries }] = await server.query('SELECT count(*)::int AS before FROM audit_log');
    assert.ok(entries > 0);
    await assert.rejects(server.query('TRUNCATE audit_log'), /append-only \(TRUNCATE refused\)/);
    // The embedded database's socket server drops the connection after any error (SELECT 1/0 as well): the pool's
    // next query gets "Connection terminated unexpectedly", and the one after reconnects.
    const countAudit = () => server.query('SELECT count(*)::int AS count FROM audit_log');
    const [{ count }] = await countAudit().catch(countAudit);
    assert.equal(count, entries);
  });

  test('a stored TOTP step outside what otplib accepts is a refusal, never a 500', async () => {
    const admin = `Bearer ${server.adminToken}`;
    await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson')
      .send(jsonl([{ id: 'step-1', email: 'step@example.com', path: 'reset' }])).expect(201);
    const [{ id }] = await server.query("SELECT id FROM users WHERE legacy_id = 'step-1'");
    const secret = newTotpSecret();
    await server.query("INSERT INTO password_credentials (user_id, scheme, encoded, source) VALUES ($1, 'argon2id', $2, 'enrolment')", [id, await hashPassword('step password 1')]);
    // A step far ahead of the clock: written by a server whose clock ran fast, or the clock here was set back.
    const ahead = Math.floor(Date.now() / 1000 / TOTP_PERIOD_S) + 1000;
    await server.query('INSERT INTO totp_credentials (user_id, secret, last_step) VALUES ($1, $2, $3)', [id, server.container.box.encrypt(secret, `user:${id}`), ahead]);
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const answer = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'step@example.com', password: 'step password 1', totp: await codeFor(secret) });
    assert.equal(answer.status, 401, `verify answered ${answer.status} ${answer.text}`);
    assert.equal(answer.body.verified, false);

    const browser = supertest.agent(url);
    const csrf = csrfOf((await browser.get('/signin').expect(200)).text);
    await browser.post('/signin').type('form').send({ _csrf: csrf, email: 'step@example.com' }).expect(303);
    const page = await browser.post('/signin/password').type('form').send({ _csrf: csrf, password: 'step password 1', code: await codeFor(secret) });
    assert.equal(page.status, 401, `the sign-in page answered ${page.status}`);
    const [{ last_step: kept }] = await server.query('SELECT last_step FROM totp_credentials WHERE user_id = $1', [id]);
    assert.equal(Number(kept), ahead, 'the replay guard is kept as it was');
  });
});
