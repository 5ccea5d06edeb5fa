// Runs the test suites with Node's own test runner (Node 20's runner takes no globs, so we list the files).
//   unit       src/**/*.test.ts and test/unit: hash families, parsers, config — no services needed
//   embedded   test/*.test.ts and test/attacks on a fresh embedded PGlite per server, queues in it (setup 1)
//   postgres   the same files on the PostgreSQL server at TEST_DATABASE_URL, queues in it (setup 2)
//   redis      the same files on TEST_DATABASE_URL with the queues on Redis at TEST_REDIS_URL (setup 3)
//   e2e        test/e2e: real Chromium
// With no argument: unit and embedded always; postgres when TEST_DATABASE_URL is set; redis when TEST_REDIS_URL is
// set too. At the end it says which suites passed, failed, or were not run and why; a suite not run never passes.
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

interface Suite {
  files: () => string[];
  /** Set for this suite; `undefined` removes the variable, so a suite never picks up another's store. */
  env?: Record<string, string | undefined>;
  /** Why it cannot run here, or null when it can. */
  missing?: () => string | null;
  concurrency: number;
}

const integration = () => [...find('test', false), ...find('test/attacks', true)];
const needs = (...keys: string[]) => () => {
  const unset = keys.filter((key) => !process.env[key]);
  return unset.length ? `${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} unset` : null;
};

const suites: Record<string, Suite> = {
  unit: { files: () => [...find('src', true), ...find('test/unit', true)], concurrency: 2 },
  embedded: { files: integration, env: { CUTOVER_TEST_STORAGE: 'embedded', TEST_REDIS_URL: undefined }, concurrency: 2 },
  postgres: { files: integration, env: { CUTOVER_TEST_STORAGE: 'postgres', TEST_REDIS_URL: undefined }, missing: needs('TEST_DATABASE_URL'), concurrency: 2 },
  redis: { files: integration, env: { CUTOVER_TEST_STORAGE: 'postgres' }, missing: needs('TEST_DATABASE_URL', 'TEST_REDIS_URL'), concurrency: 2 },
  e2e: { files: () => find('test/e2e', true), concurrency: 1 },
};
const DEFAULT = ['unit', 'embedded', 'postgres', 'redis'];

const requested = process.argv.slice(2);
for (const name of requested) {
  if (!suites[name]) {
    console.error(`unknown suite "${name}"; choose from ${Object.keys(suites).join(', ')}`);
    process.exit(1);
  }
}
const names = requested.length > 0 ? requested : DEFAULT;
const outcomes: Array<{ name: string; outcome: 'passed' | 'failed' | 'not run'; detail: string }> = [];
for (const name of names) {
  const suite = suites[name]!;
  const missing = suite.missing?.() ?? null;
  if (missing) {
    outcomes.push({ name, outcome: 'not run', detail: missing });
    continue;
  }
  const files = suite.files();
  if (files.length === 0) {
    outcomes.push({ name, outcome: 'not run', detail: 'no test files' });
    continue;
  }
  console.log(`\n# suite ${name}: ${files.length} files`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(suite.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${suite.concurrency}`, ...files], { stdio: 'inherit', env });
  outcomes.push({ name, outcome: result.status === 0 ? 'passed' : 'failed', detail: `${files.length} files${result.status === 0 ? '' : `, exit ${result.status ?? result.signal}`}` });
}

console.log('\n# suites');
for (const { name, outcome, detail } of outcomes) console.log(`#   ${name.padEnd(9)} ${outcome.padEnd(8)} ${detail}`);
// Asked for by name and not run is a failure; left out of the default run for want of a server is only reported.
const failed = outcomes.some((o) => o.outcome === 'failed' || (o.outcome === 'not run' && requested.includes(o.name)));
process.exit(failed ? 1 : 0);
