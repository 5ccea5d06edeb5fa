import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI, runCli } from './support/run-cli.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

describe('the cutover CLI as a client of the API', () => {
  let server: TestServer;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    dir = mkdtempSync(path.join(tmpdir(), 'cutover-cli-'));
    env = { CUTOVER_URL: await server.url(), CUTOVER_ADMIN_TOKEN: server.adminToken };
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('import exits 0 when every row is accepted and prints the summary', async () => {
    const file = path.join(dir, 'good.jsonl');
    writeFileSync(file, jsonl([{ id: 'cli-1', email: 'cli1@example.com' }, { id: 'cli-2', email: 'cli2@example.com' }]));
    const result = await runCli(['import', file], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Import [0-9a-f-]+ completed/);
    assert.match(result.stdout, /imported\s+2/);
  });

  test('import --json exits 2 when rows were rejected, with the summary as JSON on stdout', async () => {
    const file = path.join(dir, 'mixed.csv');
    writeFileSync(file, 'id,email\ncli-3,cli3@example.com\ncli-4,nope\n');
    const result = await runCli(['import', file, '--json'], env);
    assert.equal(result.code, 2, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.imported, 1);
    assert.deepEqual(summary.errors.map((e: { line: number; field: string }) => [e.line, e.field]), [[3, 'email']]);
  });

  test('import --dry-run writes nothing', async () => {
    const file = path.join(dir, 'dry.jsonl');
    writeFileSync(file, jsonl([{ id: 'cli-dry', email: 'dry@example.com' }]));
    const result = await runCli(['import', file, '--dry-run', '--default-path', 'jit', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).paths, { jit: 1 });
    assert.equal((await server.query("SELECT 1 FROM users WHERE legacy_id = 'cli-dry'")).length, 0);
  });

  test('import exits 1 when it fails: bad token, unreachable server, missing file', async () => {
    const file = path.join(dir, 'good.jsonl');
    const denied = await runCli(['import', file, '--token', 'wrong'], env);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /401 unauthorized/);
    const unreachable = await runCli(['import', file, '--url', 'http://127.0.0.1:1'], env);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /cannot reach cutover/);
    const missing = await runCli(['import', path.join(dir, 'nope.jsonl')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such file/);
  });

  test('token create prints the secret once; --json gives the API answer', async () => {
    const plain = await runCli(['token', 'create', '--name', 'from cli', '--role', 'support'], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout.trim(), /^cut_[A-Za-z0-9_-]{43}$/);
    assert.match(plain.stderr, /shown only this once/);
    const json = await runCli(['token', 'create', '--name', 'json', '--role', 'verifier', '--json'], env);
    assert.deepEqual(Object.keys(JSON.parse(json.stdout)).sort(), ['created_at', 'id', 'name', 'role', 'token']);
    const bad = await runCli(['token', 'create', '--name', 'x', '--role', 'root'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /role: must be one of/);
  });

  test('a bad configuration stops the server with one message naming every bad key', async () => {
    const result = await runCli(['serve'], { PORT: 'x', REDIS_URL: 'nope', DATA_DIR: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /PORT:/);
    assert.match(result.stderr, /REDIS_URL:/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
});

describe('cutover serve', () => {
  test('SIGTERM lets an in-flight import finish before the process exits', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-serve-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const adminToken = 'serve-test-admin-token-0123456789';
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, CUTOVER_ADMIN_TOKEN: adminToken, QUEUE_PREFIX: `serve-test-${port}`, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => { log += chunk; });
    child.stderr.on('data', (chunk) => { log += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 600 && !log.includes('workers started'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(log, /workers started/);
      // Stream an import slowly: half now, SIGTERM, the rest after.
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/imports', method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' } }, (res) => {
          let body = '';
          res.on('data', (c) => { body += c; });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write(jsonl([{ id: 's-1', email: 's1@example.com' }]));
        req.flushHeaders();
        setTimeout(async () => {
          child.kill('SIGTERM');
          for (let i = 0; i < 100 && !log.includes('shutting down'); i++) await new Promise((r) => setTimeout(r, 50));
          req.end(jsonl([{ id: 's-2', email: 's2@example.com' }]));
        }, 500);
      });
      const response = await answer;
      assert.equal(response.status, 201, response.body);
      assert.equal(JSON.parse(response.body).imported, 2);
      assert.equal(await exited, 0);
      assert.match(log, /shutting down/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
