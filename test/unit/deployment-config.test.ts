import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { deploymentWarnings } from '../../src/config/deployment-warnings.ts';
import { isLoopbackAddress } from '../../src/http/loopback-only.ts';

function withDataDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-deploy-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('safe by default when deployed (issue 9, item 7)', () => {
  test('TRUST_PROXY defaults to loopback only; private ranges are trusted only when named', () => withDataDir((dir) => {
    assert.deepEqual(loadConfig({ DATA_DIR: dir }).TRUST_PROXY, ['loopback']);
    assert.deepEqual(loadConfig({ DATA_DIR: dir, TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.7' }).TRUST_PROXY, ['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
    assert.equal(loadConfig({ DATA_DIR: dir, TRUST_PROXY: '2' }).TRUST_PROXY, 2);
    assert.equal(loadConfig({ DATA_DIR: dir, TRUST_PROXY: 'none' }).TRUST_PROXY, false);
    assert.equal(loadConfig({ DATA_DIR: dir, TRUST_PROXY: 'false' }).TRUST_PROXY, false);
  }));

  test('TRUST_PROXY=true and entries that are not addresses are refused, naming the key', () => withDataDir((dir) => {
    assert.match(problemsOf({ DATA_DIR: dir, TRUST_PROXY: 'true' }).join(), /^TRUST_PROXY: true would let any client choose its address/);
    assert.match(problemsOf({ DATA_DIR: dir, TRUST_PROXY: 'loopback, proxy.internal' }).join(), /^TRUST_PROXY: "proxy.internal" is not loopback, linklocal/);
    assert.match(problemsOf({ DATA_DIR: dir, TRUST_PROXY: '10.0.0.0/33' }).join(), /^TRUST_PROXY: "10.0.0.0\/33" is not/);
    assert.match(problemsOf({ DATA_DIR: dir, TRUST_PROXY: '0' }).join(), /^TRUST_PROXY: a hop count must be 1 to 10/);
  }));

  test('DEV_OUTBOX_PUBLIC is off unless set to true', () => withDataDir((dir) => {
    assert.equal(loadConfig({ DATA_DIR: dir }).DEV_OUTBOX_PUBLIC, false);
    assert.equal(loadConfig({ DATA_DIR: dir, DEV_OUTBOX_PUBLIC: 'true' }).DEV_OUTBOX_PUBLIC, true);
    assert.match(problemsOf({ DATA_DIR: dir, DEV_OUTBOX_PUBLIC: 'yes' }).join(), /^DEV_OUTBOX_PUBLIC:/);
  }));

  test('startup refuses a development secret file that is empty or too short, and keeps a good one', () => withDataDir((dir) => {
    const file = path.join(dir, 'secret');
    for (const content of ['', '\n', 'short-secret\n', 'x'.repeat(31)]) {
      writeFileSync(file, content);
      const problems = problemsOf({ DATA_DIR: dir });
      assert.equal(problems.length, 1, JSON.stringify(content));
      assert.match(problems[0]!, new RegExp(`^DATA_DIR/secret: .*secret holds ${content.trim().length} characters, fewer than 32`));
      assert.doesNotMatch(problems[0]!, /short-secret/, 'the message never shows the secret');
    }
    rmSync(file);
    const generated = loadConfig({ DATA_DIR: dir }).CUTOVER_SECRET;
    assert.ok(generated.length >= 32);
    assert.equal(readFileSync(file, 'utf8').trim(), generated);
    assert.equal(loadConfig({ DATA_DIR: dir }).CUTOVER_SECRET, generated, 'the next start reads the same one');
  }));

  test('startup warns that passkeys cannot work when BASE_URL is an IP address', () => {
    const warn = (BASE_URL: string) => deploymentWarnings({ BASE_URL, DEV_OUTBOX_PUBLIC: false, SMTP_URL: undefined });
    for (const url of ['http://192.0.2.10:3000', 'https://10.1.2.3', 'http://[::1]:3000', 'https://[2001:db8::1]']) {
      assert.equal(warn(url).length, 1, url);
      assert.match(warn(url)[0]!, /is an IP address: browsers refuse passkeys/);
    }
    for (const url of ['http://localhost:3000', 'https://id.example.com', 'https://10-1-2-3.example.net']) assert.deepEqual(warn(url), [], url);
    assert.match(deploymentWarnings({ BASE_URL: 'http://localhost:3000', DEV_OUTBOX_PUBLIC: true, SMTP_URL: undefined }).join(), /DEV_OUTBOX_PUBLIC=true: anyone/);
  });

  test('loopback means 127.0.0.0/8 and ::1, however the socket writes them', () => {
    for (const address of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.9', '::ffff:7f00:1']) assert.equal(isLoopbackAddress(address), true, address);
    for (const address of [undefined, '', '192.0.2.2', '::ffff:192.0.2.2', 'fd00::2', '10.0.0.1', '::', '0.0.0.0']) assert.equal(isLoopbackAddress(address), false, String(address));
  });
});
