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
  /** The salt (PostgreSQL: role name) from its own column, and the family named outright: see web-and-db.jsonl. */
  password_hash_salt?: string;
  password_hash_format?: string;
}

/** One export row for a fixture, with the hash's side columns when the fixture has them. */
function exportRow(f: Fixture, id: string, fields: readonly ('password_hash_salt' | 'password_hash_format')[] = ['password_hash_salt', 'password_hash_format']) {
  const row: Record<string, unknown> = { id, email: `${id}@example.com`, password_hash: f.password_hash };
  for (const field of fields) if (f[field] !== undefined) row[field] = f[field];
  return JSON.stringify(row);
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
    writeFileSync(file, fixtures.map((f, i) => exportRow(f, `fmt-${i}`)).join('\n'));
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

  // The dialect families again, now without password_hash_format: `--hash-dialect` says which framework wrote the file.
  const DIALECTS: Record<string, string> = { 'werkzeug-hmac': 'werkzeug', 'joomla-md5': 'joomla', vbulletin: 'vbulletin', mybb: 'mybb', ipb: 'ipb' };

  test('`cutover import --hash-dialect` decides the shared shapes; without it they are refused as ambiguous', async () => {
    const env = { CUTOVER_URL: await server.url(), CUTOVER_TOKEN: server.adminToken };
    const named = fixtures.filter((f) => f.password_hash_format !== undefined);
    assert.deepEqual(new Set(named.map((f) => f.format)), new Set(Object.keys(DIALECTS)));
    const forums = named.filter((f) => f.format !== 'werkzeug-hmac');
    const undecided = path.join(dir, 'no-dialect.jsonl');
    writeFileSync(undecided, forums.map((f, i) => exportRow(f, `amb-${i}`, ['password_hash_salt'])).join('\n'));
    const dry = await runCli(['import', undecided, '--dry-run', '--json'], env);
    const drySummary = JSON.parse(dry.stdout);
    assert.equal(dry.code, 2, 'rows were rejected');
    assert.equal(drySummary.ambiguous_hashes, forums.length);
    assert.ok(drySummary.errors.every((e: { reason: string }) => e.reason.startsWith('ambiguous hash: ')));

    const failures: string[] = [];
    for (const [format, dialect] of Object.entries(DIALECTS)) {
      const ofFormat = named.filter((f) => f.format === format);
      const file = path.join(dir, `${dialect}.jsonl`);
      writeFileSync(file, ofFormat.map((f, i) => exportRow(f, `${dialect}-${i}`, ['password_hash_salt'])).join('\n'));
      const result = await runCli(['import', file, '--hash-dialect', dialect, '--json'], env);
      const summary = JSON.parse(result.stdout);
      assert.equal(result.code, 0, `${dialect}: ${JSON.stringify(summary.errors)}`);
      assert.deepEqual(summary.hash_formats, { [format]: ofFormat.length });
      for (const [i, f] of ofFormat.entries()) {
        const login = `${dialect}-${i}@example.com`;
        const right = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password: f.password });
        if (right.status !== 200) failures.push(`${format} under --hash-dialect ${dialect} (${f.tool}): ${right.status}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
