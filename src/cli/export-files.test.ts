import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ExportFiles, fileName } from './export-files.ts';
import { FileSealer, openSealed } from './export-crypto.ts';

const dir = () => mkdtempSync(path.join(tmpdir(), 'cutover-export-files-'));

test('maxItems splits into numbered parts of that many records (Kratos: 1,000 identities per PATCH)', async () => {
  const d = dir();
  try {
    const files = new ExportFiles(d, 'kratos', { identities: { form: 'json-array', maxItems: 2 } }, null);
    for (let i = 0; i < 5; i++) await files.add('identities', { i });
    await files.finish();
    assert.deepEqual(readdirSync(d).sort(), ['kratos-identities-0001.json', 'kratos-identities-0002.json', 'kratos-identities-0003.json']);
    assert.deepEqual(JSON.parse(readFileSync(path.join(d, 'kratos-identities-0003.json'), 'utf8')), [{ i: 4 }]);
    assert.deepEqual(files.written.map((f) => f.records), [2, 2, 1]);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('json-lines and json-object: one record per line, the object wrapped under wrapKey; 0600', async () => {
  const d = dir();
  try {
    const files = new ExportFiles(d, 't', { lines: { form: 'json-lines' }, object: { form: 'json-object', wrapKey: 'users' } }, null);
    await files.add('lines', { a: 1 });
    await files.add('lines', { a: 2 });
    await files.add('object', { b: 1 });
    await files.add('object', { b: 2 });
    await files.finish();
    assert.equal(readFileSync(path.join(d, 't-lines.jsonl'), 'utf8'), '{"a":1}\n{"a":2}\n');
    assert.deepEqual(JSON.parse(readFileSync(path.join(d, 't-object.json'), 'utf8')), { users: [{ b: 1 }, { b: 2 }] });
    assert.equal(readFileSync(path.join(d, 't-object.json'), 'utf8').split('\n').length, 5);
    for (const name of readdirSync(d)) assert.equal(statSync(path.join(d, name)).mode & 0o777, 0o600);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('maxBytes: no part over the limit, the JSON closes in every part; a record bigger than a part is an error', async () => {
  const d = dir();
  try {
    const files = new ExportFiles(d, 'a', { users: { form: 'json-array', maxBytes: 100 } }, null);
    for (let i = 0; i < 20; i++) await files.add('users', { n: 'x'.repeat(10), i });
    await files.finish();
    let total = 0;
    for (const name of readdirSync(d)) {
      assert.ok(statSync(path.join(d, name)).size <= 100, name);
      total += (JSON.parse(readFileSync(path.join(d, name), 'utf8')) as unknown[]).length;
    }
    assert.equal(total, 20);
    const big = new ExportFiles(d, 'b', { users: { form: 'json-array', maxBytes: 100 } }, null);
    await assert.rejects(big.add('users', { n: 'x'.repeat(200) }), /more than a whole 100-byte part/);
    await big.abandon();
    assert.deepEqual(readdirSync(d).filter((n) => n.startsWith('b-')), [], 'a failed export leaves no file behind');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('sealed parts open with the passphrase to the same bytes, and not with another', async () => {
  const d = dir();
  try {
    const files = new ExportFiles(d, 'k', { users: { form: 'json-object', wrapKey: 'users' } }, new FileSealer('a passphrase of some length'));
    await files.add('users', { id: 1 });
    await files.finish();
    const name = fileName('k', 'users', { form: 'json-object' }, 1, true);
    assert.equal(name, 'k-users.json.enc');
    const sealed = readFileSync(path.join(d, name));
    assert.deepEqual(JSON.parse(openSealed(sealed, 'a passphrase of some length', name).toString('utf8')), { users: [{ id: 1 }] });
    assert.throws(() => openSealed(sealed, 'another passphrase entirely', name), /does not open/);
    const flipped = Buffer.from(sealed);
    flipped[20] = flipped[20]! ^ 1; // a header byte: it is the additional data
    assert.throws(() => openSealed(flipped, 'a passphrase of some length', name), /does not open/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
