import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './support/run-cli.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

interface Fixture {
  format: string;
  tool: string;
  password?: string;
  password_hash: string | Record<string, unknown>;
}

// Up to this many vectors per format: every format and tool is covered, and the suite stays quick. The hash unit
// tests run every vector; this test proves the whole path, from `cutover import` to /api/v1/verify.
const PER_FORMAT = 3;
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'hashes');

function loadFixtures(): Fixture[] {
  const perFormat = new Map<string, number>();
  const chosen: Fixture[] = [];
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(path.join(FIXTURES, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const fixture = JSON.parse(line) as Fixture;
      const password = fixture.password;
      if (password === undefined || password === '' || Buffer.byteLength(password) > 4096) continue; // bytes-only or empty vectors
      const count = perFormat.get(fixture.format) ?? 0;
      if (count >= PER_FORMAT) continue;
      perFormat.set(fixture.format, count + 1);
      chosen.push(fixture);
    }
  }
  return chosen;
}

describe('every legacy hash format, made by its own tool, imports through `cutover import` and verifies', () => {
  const fixtures = loadFixtures();
  let server: TestServer;
  let dir: string;
  let verifier: string;
  before(async () => {
    server = await startTestServer({ env: { VERIFY_MAX_FAILURES: '10000' } });
    dir = mkdtempSync(path.join(tmpdir(), 'cutover-formats-'));
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the export imports with every row accepted as bulk_hash', async () => {
    const file = path.join(dir, 'every-format.jsonl');
    writeFileSync(file, fixtures.map((f, i) => JSON.stringify({ id: `fmt-${i}`, email: `fmt-${i}@example.com`, password_hash: f.password_hash })).join('\n'));
    const result = await runCli(['import', file, '--json'], { CUTOVER_URL: await server.url(), CUTOVER_TOKEN: server.adminToken });
    const summary = JSON.parse(result.stdout);
    assert.equal(result.code, 0, `${result.stderr} ${JSON.stringify(summary.errors)}`);
    assert.equal(summary.imported, fixtures.length);
    assert.deepEqual(summary.paths, { bulk_hash: fixtures.length });
    const formats = new Set(fixtures.map((f) => f.format));
    assert.ok(formats.size >= 40, `only ${formats.size} formats in the fixtures`);
    assert.deepEqual(new Set(Object.keys(summary.hash_formats)), formats);
  });

  test('the right password answers 200 and rehashes once; a wrong one answers 401', async () => {
    const failures: string[] = [];
    for (const [i, fixture] of fixtures.entries()) {
      const login = `fmt-${i}@example.com`;
      const label = `${fixture.format} (${fixture.tool})`;
      const wrong = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password: `WRONG ${fixture.password}` }); // a prefix: bcrypt ignores bytes past 72
      if (wrong.status !== 401) failures.push(`${label}: a wrong password answered ${wrong.status}`);
      const right = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password: fixture.password });
      if (right.status !== 200 || right.body.rehashed !== true) failures.push(`${label}: the right password answered ${right.status} ${JSON.stringify(right.body).slice(0, 120)}`);
      const again = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password: fixture.password });
      if (again.status !== 200 || again.body.rehashed !== false) failures.push(`${label}: the second sign-in answered ${again.status} rehashed=${again.body.rehashed}`);
    }
    assert.deepEqual(failures, []);
    const left = await server.query("SELECT count(*)::int AS n FROM users WHERE legacy_id LIKE 'fmt-%' AND legacy_hash IS NOT NULL");
    assert.equal(left[0].n, 0, 'every legacy hash was replaced by argon2id');
  });
});
