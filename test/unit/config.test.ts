import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';

describe('configuration', () => {
  test('defaults on a fresh machine: port 3000, ./data, no Redis, embedded database', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-config-'));
    try {
      const config = loadConfig({ DATA_DIR: dir });
      assert.equal(config.PORT, 3000);
      assert.equal(config.REDIS_URL, undefined, 'no Redis unless REDIS_URL names one: the queues live in the database');
      assert.equal(config.LEGACY_TIMEOUT_MS, 3000);
      assert.equal(config.BASE_URL, 'http://localhost:3000');
      assert.equal(config.embeddedDatabase, true);
      assert.equal(loadConfig({}).dataDir, path.resolve('./data'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('one error names every bad key, and never echoes a secret', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x', LEGACY_VERIFY_URL: 'ftp://legacy', LOG_LEVEL: 'loud', CUTOVER_SECRET: 'short-secret-value' });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError);
    const message = (error as Error).message;
    for (const key of ['PORT', 'REDIS_URL', 'LEGACY_VERIFY_URL', 'LOG_LEVEL', 'CUTOVER_SECRET']) assert.match(message, new RegExp(`${key}:`));
    assert.doesNotMatch(message, /short-secret-value/);
    assert.equal((error as ConfigError).problems.length, 5);
  });

  test('production refuses to start without CUTOVER_SECRET', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /CUTOVER_SECRET: required when NODE_ENV=production/);
    const secret = 'x'.repeat(40);
    assert.equal(loadConfig({ NODE_ENV: 'production', CUTOVER_SECRET: secret, SMTP_URL: 'smtp://relay:587' }).CUTOVER_SECRET, secret);
  });

  test('production refuses to start without SMTP_URL: mail would go to the dev outbox', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production', CUTOVER_SECRET: 'x'.repeat(40) }), /SMTP_URL: required when NODE_ENV=production/);
  });

  test('development generates CUTOVER_SECRET once and keeps it under DATA_DIR', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-config-'));
    try {
      const first = loadConfig({ DATA_DIR: dir }).CUTOVER_SECRET;
      assert.ok(first.length >= 32);
      assert.equal(readFileSync(path.join(dir, 'secret'), 'utf8').trim(), first);
      assert.equal(loadConfig({ DATA_DIR: dir }).CUTOVER_SECRET, first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('webhook settings: short secrets, a bad match rule, a bad SNS topic and a non-key name their key without echoing secrets', () => {
    try {
      loadConfig({ CUTOVER_SECRET: 'x'.repeat(40), ZENDESK_WEBHOOK_SECRET: 'short-secret', HELPDESK_MATCH: 'label:x', SES_SNS_TOPIC_ARNS: 'arn:aws:s3:::bucket', SENDGRID_WEBHOOK_PUBLIC_KEY: 'bm90IGEga2V5IGF0IGFsbCwganVzdCB0ZXh0IHRoYXQgaXMgbG9uZw==', POSTMARK_WEBHOOK_PASSWORD: 'pw' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      const message = (error as Error).message;
      for (const key of ['ZENDESK_WEBHOOK_SECRET', 'HELPDESK_MATCH', 'SES_SNS_TOPIC_ARNS', 'SENDGRID_WEBHOOK_PUBLIC_KEY', 'POSTMARK_WEBHOOK_PASSWORD']) assert.match(message, new RegExp(`${key}: `), key);
      assert.doesNotMatch(message, /short-secret|"pw"/);
    }
    const ok = loadConfig({ CUTOVER_SECRET: 'x'.repeat(40), HELPDESK_MATCH: 'subject:passkey,sign in', SES_SNS_TOPIC_ARNS: 'arn:aws:sns:us-east-1:123456789012:a,arn:aws:sns:eu-west-1:123456789012:b' });
    assert.equal(ok.HOOKS_MAX_KB, 1024);
  });
});
