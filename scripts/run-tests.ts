// Runs the test suites with Node's own test runner (Node 20's runner takes no globs, so we list the files).
//   unit       src/**/*.test.ts and test/unit: hash families, parsers, config — no services needed
//   postgres   test/*.test.ts against the PostgreSQL server at TEST_DATABASE_URL and Redis
//   embedded   test/*.test.ts against a fresh embedded PGlite per server, and Redis
//   (both server suites also run test/attacks: the attack tests, each driving the real app)
//   e2e        test/e2e: real Chromium (later issues)
// With no argument: unit, postgres, embedded.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function find(dir: string, recursive: boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return recursive && name !== 'node_modules' ? find(full, true) : [];
    return name.endsWith('.test.ts') ? [full] : [];
  }).sort();
}

const suites: Record<string, { files: () => string[]; env?: Record<string, string>; concurrency: number }> = {
  unit: { files: () => [...find('src', true), ...find('test/unit', true)], concurrency: 2 },
  postgres: { files: () => [...find('test', false), ...find('test/attacks', true)], env: { CUTOVER_TEST_STORAGE: 'postgres' }, concurrency: 2 },
  embedded: { files: () => [...find('test', false), ...find('test/attacks', true)], env: { CUTOVER_TEST_STORAGE: 'embedded' }, concurrency: 2 },
  e2e: { files: () => find('test/e2e', true), concurrency: 1 },
};

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : ['unit', 'postgres', 'embedded'];
let failed = false;
for (const name of names) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown suite "${name}"; choose from ${Object.keys(suites).join(', ')}`);
    process.exit(1);
  }
  const files = suite.files();
  if (files.length === 0) {
    console.log(`\n# suite ${name}: no test files`);
    continue;
  }
  console.log(`\n# suite ${name}: ${files.length} files`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${suite.concurrency}`, ...files], {
    stdio: 'inherit',
    env: { ...process.env, ...suite.env },
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
