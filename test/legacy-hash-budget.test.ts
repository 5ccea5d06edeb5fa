import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { estimateCheckMs } from '../src/identity/hashes/hash-cost-model.ts';
import { parseLegacyHash } from '../src/identity/hashes/registry.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

/** scripts/hash-fixtures/tool-defaults.mjs: each format at its own tools' default cost today. */
const DEFAULTS = readFileSync(new URL('./fixtures/hashes/tool-defaults.jsonl', import.meta.url), 'utf8').trim().split('\n')
  .map((line) => JSON.parse(line) as { format: string; tool: string; password: string; password_hash: string });

// Well-formed hashes with digits of zeros: their cost is what counts here, not whether a password matches.
// sha-crypt at the parser's limit (HASH_LIMITS.maxRounds): about 1.9 s of CPU here since its rounds moved to
// WebAssembly, so over the budget with room on a faster machine too (4,000,000 rounds would be about 1.5 s).
const SHA512_5M = `$6$rounds=5000000$overbudget$${'.'.repeat(86)}`;
const BCRYPT_16 = `$2b$16$${'.'.repeat(53)}`;

async function importRows(server: TestServer, rows: object[]) {
  const response = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`)
    .set('content-type', 'application/x-ndjson').send(jsonl(rows));
  assert.equal(response.status, 201, response.text);
  return response.body as { imported: number; rejected: number; errors: { line: number; field: string; reason: string }[] };
}

describe('LEGACY_HASH_MAX_MS: a hash check is capped in time at import', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  /**
   * Formats this machine checks well within the default budget, and those it does not yet: bcrypt cost 14 is four
   * cost-12 checks of ~250 ms. That one is todo, not skipped: it runs and reports, and issue 9 stays open for it.
   * sha-crypt left this set when its rounds moved to WebAssembly: about 250 ms for 656,000 rounds here, on a par with
   * glibc's C (docs/benchmarks.md).
   */
  const SLOW_HERE = new Set(['bcrypt']);

  async function acceptsAndVerifies(t: { diagnostic(message: string): void }, lines: typeof DEFAULTS, prefix: string) {
    const summary = await importRows(server, lines.map((line, i) => ({ id: `${prefix}-${i}`, email: `${prefix}${i}@example.com`, password_hash: line.password_hash })));
    assert.equal(summary.imported, lines.length, JSON.stringify(summary.errors));
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    for (const [i, line] of lines.entries()) {
      const estimate = estimateCheckMs(parseLegacyHash(line.password_hash));
      assert.ok(estimate > 10 && estimate < 1000, `${line.format}: estimate ${estimate} ms`);
      const started = performance.now();
      const response = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: `${prefix}${i}@example.com`, password: line.password });
      t.diagnostic(`${line.format} (${line.tool}): estimated ${estimate.toFixed(0)} ms of CPU, verify answered in ${(performance.now() - started).toFixed(0)} ms`);
      assert.equal(response.status, 200, `${line.format}: ${response.text}`);
      assert.equal(response.body.rehashed, true);
    }
  }

  test('the default budget (1000 ms) accepts passlib\'s sha512_crypt and sha256_crypt, Django PBKDF2 and argon2id at their tools\' default cost, and each verifies', async (t) => {
    assert.deepEqual(DEFAULTS.map((line) => line.format), ['sha512-crypt', 'sha256-crypt', 'django-pbkdf2', 'bcrypt', 'argon2']);
    await acceptsAndVerifies(t, DEFAULTS.filter((line) => !SLOW_HERE.has(line.format)), 'default');
  });

  test('the default budget accepts bcrypt cost 14', { todo: 'bcrypt 14 takes about 1.0 s a check on this machine (issue 9, item 3)' }, async (t) => {
    await acceptsAndVerifies(t, DEFAULTS.filter((line) => SLOW_HERE.has(line.format)), 'slow');
  });

  test('a hash over the budget is a row error naming the parameter and the estimate; the rest of the file imports', async () => {
    const summary = await importRows(server, [
      { id: 'o-1', email: 'over1@example.com', password_hash: SHA512_5M },
      { id: 'o-2', email: 'over2@example.com', password_hash: BCRYPT_16 },
      { id: 'o-3', email: 'fine@example.com', password_hash: DEFAULTS.find((line) => line.format === 'argon2')!.password_hash },
    ]);
    assert.equal(summary.imported, 1);
    assert.equal(summary.rejected, 2);
    const [first, second] = summary.errors;
    assert.equal(first!.line, 1);
    assert.equal(first!.field, 'password_hash');
    assert.match(first!.reason, /^dangerous sha512-crypt hash: rounds=5000000 would take about \d+ ms to check here, over LEGACY_HASH_MAX_MS=1000$/);
    assert.equal(second!.line, 2);
    assert.match(second!.reason, /^dangerous bcrypt hash: cost 16 would take about \d+ ms to check here, over LEGACY_HASH_MAX_MS=1000$/);
    const estimate = Number(/about (\d+) ms/.exec(first!.reason)![1]);
    assert.ok(estimate > 1000, `the estimate ${estimate} ms is over the budget`);
  });
});

describe('LEGACY_HASH_MAX_MS set lower', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ env: { LEGACY_HASH_MAX_MS: '20' } }); });
  after(() => server.close());

  test('refuses what the default accepts, and leaves cheap hashes alone', async () => {
    // Django's salted SHA-1 (sha1$salt$hex): one SHA-1, no cost parameter.
    const summary = await importRows(server, [
      { id: 'l-1', email: 'low1@example.com', password_hash: DEFAULTS[0]!.password_hash },
      { id: 'l-2', email: 'low2@example.com', password_hash: 'sha1$salt$' + 'a'.repeat(40) },
    ]);
    assert.equal(summary.imported, 1, JSON.stringify(summary.errors));
    assert.match(summary.errors[0]!.reason, /rounds=656000 would take about \d+ ms to check here, over LEGACY_HASH_MAX_MS=20/);
  });
});
