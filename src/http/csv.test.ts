import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, toCsv } from './csv.ts';

test('csvField quotes what needs it and defuses spreadsheet formulas', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField(-3), '-3');
  assert.equal(csvField(null), '');
  assert.equal(toCsv(['a', 'b'], [[1, 'x\ny']]), 'a,b\r\n1,"x\ny"\r\n');
});
