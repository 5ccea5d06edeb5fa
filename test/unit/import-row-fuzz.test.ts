import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { classifyRow } from '../../src/migration/import/classify-row.ts';
import { readCsvRows } from '../../src/migration/import/read-csv-rows.ts';
import { readJsonlRows } from '../../src/migration/import/read-jsonl-rows.ts';
import { validateExportRow } from '../../src/migration/import/validate-export-row.ts';

const FIELDS = ['id', 'email', 'email_verified', 'name', 'locale', 'timezone', 'phone', 'created_at', 'last_login_at', 'attributes', 'password_hash', 'path', 'other'];
const anyValue = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.object(), fc.array(fc.string()),
  fc.constantFrom('$2b$10$', 'pbkdf2_sha256$', '{SSHA}', '$6$rounds=', '{"algorithm":"sha256"}', 'a@b.co', 'Europe/Berlin', '2026-01-01T00:00:00Z'));
const anyRow = fc.dictionary(fc.constantFrom(...FIELDS), anyValue);

describe('import row validation under arbitrary input', () => {
  test('validate and classify never throw: a row is accepted or has errors naming a field', () => {
    fc.assert(
      fc.property(anyRow, fc.boolean(), (fields, fromCsv) => {
        const csvFields = fromCsv ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])) : fields;
        const result = validateExportRow({ line: 7, fields: csvFields, fromCsv }, new Map());
        if (Array.isArray(result)) {
          assert.ok(result.length > 0);
          for (const error of result) {
            assert.equal(error.line, 7);
            assert.equal(typeof error.field, 'string');
            assert.ok(error.reason.length > 0);
          }
          return;
        }
        const classified = classifyRow(result, { defaultPath: 'reset', onUnsupportedHash: 'reject' });
        if ('reason' in classified) assert.equal(classified.line, 7);
        else assert.ok(['bulk_hash', 'jit', 'reset'].includes(classified.path));
      }),
      { numRuns: 3000 },
    );
  });

  test('the JSONL reader turns any bytes into rows or row errors with increasing line numbers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), async (chunks) => {
        let bytes = 0;
        let lastLine = 0;
        for await (const parsed of readJsonlRows(Readable.from(chunks.map((c) => Buffer.from(c))), (n) => { bytes += n; })) {
          assert.ok(parsed.line > lastLine);
          lastLine = parsed.line;
        }
        assert.equal(bytes, chunks.reduce((sum, c) => sum + c.length, 0));
      }),
      { numRuns: 300 },
    );
  });

  test('the CSV reader yields rows or row errors for any text under a valid header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (body) => {
        for await (const parsed of readCsvRows(Readable.from([Buffer.from(`id,email\n${body}`)]), () => undefined)) {
          assert.ok(parsed.line >= 2);
        }
      }),
      { numRuns: 300 },
    );
  });
});
