import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Piscina } from 'piscina';
import { workerModule } from './module-file.ts';

test('from dist/ a worker is the compiled .js beside the caller', () => {
  assert.equal(workerModule('file:///app/dist/identity/check.js', './hash-worker.ts'), '/app/dist/identity/hash-worker.js');
});

test('from src/ a piscina worker written in TypeScript runs through tsx', async () => {
  const filename = workerModule(import.meta.url, './echo-worker.test-helper.ts');
  assert.match(filename, /\.mjs$/);
  const pool = new Piscina({ filename, maxThreads: 1 });
  try {
    assert.equal(await pool.run(21), 42);
  } finally {
    await pool.destroy();
  }
});
