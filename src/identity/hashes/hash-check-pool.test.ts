import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { HashCheckPool } from './hash-check-pool.ts';
import { HashCheckPoolFullError, StoredHashUnusableError } from './hash-errors.ts';
import { shaCrypt } from './sha-crypt.ts';
import { SHA512_CRYPT } from './sha512-crypt.ts';

const SLOW = shaCrypt(SHA512_CRYPT, 'pw', '$6$rounds=200000$poolsalt');
const FAST = shaCrypt(SHA512_CRYPT, 'pw', '$6$rounds=1000$poolsalt');
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('HashCheckPool', () => {
  const pool = new HashCheckPool({ size: 1, queueMax: 1 });
  after(() => pool.close());

  it('checks in a worker thread with the registry\'s verify', async () => {
    assert.equal(await pool.verify('sha512-crypt', FAST, 'pw'), true);
    assert.equal(await pool.verify('sha512-crypt', FAST, 'wrong'), false);
  });

  it('refuses a password over 1,024 bytes without a check', async () => {
    const long = 'x'.repeat(1025);
    const answer = await pool.check('sha512-crypt', shaCrypt(SHA512_CRYPT, long, '$6$rounds=1000$poolsalt'), long);
    assert.deepEqual(answer, { matches: false, ms: 0, cpuMs: 0 });
  });

  it('one running, one queued, the next refused with HashCheckPoolFullError', async () => {
    const running = pool.verify('sha512-crypt', SLOW, 'pw');
    const queued = pool.verify('sha512-crypt', SLOW, 'pw');
    await assert.rejects(pool.verify('sha512-crypt', SLOW, 'pw'), HashCheckPoolFullError);
    assert.deepEqual(await Promise.all([running, queued]), [true, true]);
  });

  it('a stored hash that does not parse comes back as its kind of problem only, without the hash in the message', async () => {
    const bad = '$6$rounds=1000$salt$SecretDigestMaterial';
    await assert.rejects(pool.verify('sha512-crypt', bad, 'pw'), (error: unknown) => {
      assert.ok(error instanceof StoredHashUnusableError);
      assert.equal(error.problem, 'malformed');
      assert.ok(!error.message.includes('SecretDigestMaterial'), error.message);
      return true;
    });
  });
});

describe('HashCheckPool with LEGACY_HASH_QUEUE_MAX=0', () => {
  const pool = new HashCheckPool({ size: 1, queueMax: 0 });
  after(() => pool.close());

  it('runs a check on an idle worker and refuses one more at once', async () => {
    assert.equal(await pool.verify('sha512-crypt', FAST, 'pw'), true);
    const running = pool.verify('sha512-crypt', SLOW, 'pw');
    await assert.rejects(pool.verify('sha512-crypt', SLOW, 'pw'), HashCheckPoolFullError);
    assert.equal(await running, true);
  });
});

describe('the worker loads however the process runs TypeScript', () => {
  const script = (importLine: string) => `${importLine}
const { HashCheckPool } = await import(${JSON.stringify(new URL('./hash-check-pool.ts', import.meta.url).href)});
const pool = new HashCheckPool({ size: 1 });
console.log(await pool.verify('sha512-crypt', ${JSON.stringify(FAST)}, 'pw'));
await pool.close();`;

  it('under node --import tsx (npm test, npm run bench)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script('')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(out.trim(), 'true');
  });

  it('under tsx\'s register() (bin/cutover.js), started from another directory', () => {
    const register = `const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}); register();`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script(register)], { cwd: '/', encoding: 'utf8' });
    assert.equal(out.trim(), 'true');
  });
});
