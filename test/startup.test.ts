import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './support/run-cli.ts';
import { freePort } from './support/test-server.ts';

/** The real `cutover` bin, started the way a user starts it, against servers that are not there. */
describe('startup against a configured server that cannot be reached, and the modes that need a shared database', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cutover-startup-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const noStack = (output: string) => assert.doesNotMatch(output, /^\s+at\s/m, 'no stack trace');

  test('REDIS_URL that refuses: exit 69 within 10 s, one line naming the address with the password masked', async () => {
    const started = Date.now();
    const result = await runCli(['serve'], { DATA_DIR: dir, REDIS_URL: 'redis://user:secret@127.0.0.1:1', PORT: String(await freePort()) });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(result.code, 69, result.stderr);
    assert.ok(seconds < 10, `stopped after ${seconds.toFixed(1)} s`);
    const output = result.stdout + result.stderr;
    const naming = output.split('\n').filter((line) => line.includes('127.0.0.1:1'));
    assert.equal(naming.length, 1, output);
    assert.match(naming[0]!, /^cutover: cannot reach Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1 \(REDIS_URL\): connection refused\. .*unset REDIS_URL/);
    assert.doesNotMatch(output, /secret/);
    noStack(output);
  });

  test('DATABASE_URL on a closed port: exit 69 within 10 s, one line naming the address with the password masked', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await runCli(['serve'], { DATA_DIR: dir, DATABASE_URL: `postgres://cutover:hunter2@127.0.0.1:${port}/cutover?sslmode=disable`, PORT: String(await freePort()) });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(result.code, 69, result.stderr);
    assert.ok(seconds < 10, `stopped after ${seconds.toFixed(1)} s`);
    const output = result.stdout + result.stderr;
    const naming = output.split('\n').filter((line) => line.includes(`127.0.0.1:${port}`));
    assert.equal(naming.length, 1, output);
    assert.ok(naming[0]!.startsWith(`cutover: cannot reach PostgreSQL at postgres://cutover:***@127.0.0.1:${port}/cutover (DATABASE_URL): connection refused.`), naming[0]);
    assert.doesNotMatch(output, /hunter2/);
    noStack(output);
  });

  for (const role of ['web', 'worker']) {
    test(`"cutover ${role}" on the embedded database: exit 78 with one line saying to set DATABASE_URL or run serve`, async () => {
      const result = await runCli([role], { DATA_DIR: dir });
      assert.equal(result.code, 78, result.stderr);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, new RegExp(`^cutover: "cutover ${role}" runs apart .*set DATABASE_URL.*"cutover serve"`));
    });
  }
});
