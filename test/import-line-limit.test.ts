import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { readJsonlRows } from '../src/migration/import/read-jsonl-rows.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

const MIB = 1024 * 1024;
const row = (n: number) => JSON.stringify({ id: `line-${n}`, email: `line-${n}@example.com`, path: 'reset' });
const tooLong = (n: number) => JSON.stringify({ id: `long-${n}`, email: `long-${n}@example.com`, path: 'reset', name: 'x'.repeat(MIB + 10) });

async function readAll(chunks: string[]) {
  const rows = [];
  for await (const parsed of readJsonlRows(Readable.from(chunks.map((c) => Buffer.from(c))), () => {})) rows.push(parsed);
  return rows;
}

describe('a JSON Lines line over the line limit', () => {
  test('becomes a row error with its line number, and the lines after it are read, however the chunks fall', async () => {
    const body = `${row(1)}\n${tooLong(2)}\n${row(3)}\n${tooLong(4)}\n${row(5)}\n${row(6)}`;
    for (const size of [body.length, 64 * 1024, 1000, MIB + 3]) {
      const chunks = Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.slice(i * size, (i + 1) * size));
      const rows = await readAll(chunks);
      assert.deepEqual(rows.map((r) => ('fields' in r ? `row ${r.line}` : `error ${r.line}: ${r.reason}`)), [
        'row 1', 'error 2: line is longer than 1048576 bytes', 'row 3', 'error 4: line is longer than 1048576 bytes', 'row 5', 'row 6',
      ], `chunks of ${size}`);
    }
  });

  test('a line of multi-byte characters counts its bytes, not its characters', async () => {
    const rows = await readAll([`${JSON.stringify({ id: 'wide', email: 'wide@example.com', name: 'ü'.repeat(600_000) })}\n${row(2)}\n`]);
    assert.deepEqual(rows.map((r) => r.line), [1, 2]);
    assert.ok(!('fields' in rows[0]!), '1.2 MB in 600,000 characters is over the limit');
  });
});

describe('an import with an over-long line', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(async () => { await server.close(); });

  test('goes on past it: the line is a row error, every other row is imported', async () => {
    const answer = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson')
      .send(jsonl([row(1), tooLong(2), row(3), row(4)]));
    assert.equal(answer.status, 201, answer.text);
    assert.equal(answer.body.imported, 3);
    assert.equal(answer.body.rejected, 1);
    const errors = await server.api.get(`/api/v1/imports/${answer.body.id}/errors`).set('authorization', `Bearer ${server.adminToken}`);
    assert.deepEqual(errors.body.errors.map((e: { line: number; field: string; reason: string }) => [e.line, e.field, e.reason]), [[2, 'row', 'line is longer than 1048576 bytes']]);
  });
});
