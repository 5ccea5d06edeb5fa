import type { ParsedLegacyHash } from './hash-family.ts';
import type { HashCheckPool } from './hash-check-pool.ts';
import { collectCheckCosts, type CheckCost } from './check-cost.ts';
import { dangerousHash } from './hash-error-reasons.ts';
import { parseLegacyHash } from './registry.ts';

const zeros = (bytes: number, encoding: 'base64' = 'base64') => Buffer.alloc(bytes).toString(encoding).replace(/=+$/, '');

/**
 * One small-parameter hash per kernel, in a family's own format, with a digest of zeros: checking a wrong password
 * against it does the kernel's full work. Each takes a few milliseconds here; the model scales from it.
 */
const SAMPLES: Record<string, string> = {
  // 50,000 rounds: about 20-40 ms in WebAssembly (sha-crypt-wasm.ts), long enough that the per-check setup and a
  // stray millisecond of another thread's CPU stay small against it. The salt has the 16 characters a setting keeps.
  'sha512-crypt': `$6$rounds=50000$calibration01234$${'.'.repeat(86)}`,
  'sha256-crypt': `$5$rounds=50000$calibration01234$${'.'.repeat(43)}`,
  bcrypt: `$2b$09$${'.'.repeat(53)}`,
  'bcrypt-2x': `$2x$07$${'.'.repeat(53)}`,
  'pbkdf2-sha1': `$pbkdf2$20000$${zeros(16)}$${zeros(20)}`.replaceAll('+', '.'),
  'pbkdf2-sha256': `$pbkdf2-sha256$20000$${zeros(16)}$${zeros(32)}`,
  'pbkdf2-sha512': `$pbkdf2-sha512$10000$${zeros(16)}$${zeros(64)}`,
  scrypt: `$scrypt$ln=12,r=8,p=1$${zeros(16)}$${zeros(32)}`,
  argon2: `$argon2id$v=19$m=4096,t=2,p=1$${zeros(16)}$${zeros(32)}`,
  'portable-md5': `$P$9calibrat${'.'.repeat(22)}`,
  'portable-sha512': `$S$9calibrat${'.'.repeat(43)}`,
  // BSDi extended DES: "_", the count 4,096 in 4 crypt-base64 digits (least significant first), 4 of salt, 11 of hash.
  'bsdi-des': '_../.salt' + '.'.repeat(11),
};

/**
 * The password each sample is checked with, where its length changes the work per unit. sha-crypt hashes the key
 * twice in most rounds, so a longer key can take a round from one SHA block to two: at 32 bytes, with the sample's
 * salt, the estimate holds for any key up to 32 bytes (SHA-512 up to 79, SHA-256 up to 35). 'calibration' (11 bytes)
 * fits sha512-crypt's rounds in one block, and would estimate about half of what a 16- to 79-byte password costs.
 */
const SAMPLE_PASSWORDS: Record<string, string> = {
  'sha512-crypt': 'a password of 32 bytes, ordinary',
  'sha256-crypt': 'a password of 32 bytes, ordinary',
};

/** Kernels timed like a neighbour of about the same cost per unit, rather than each with a sample of its own. */
const LIKE: Record<string, string> = { 'pbkdf2-md5': 'pbkdf2-sha1', 'pbkdf2-sha224': 'pbkdf2-sha256', 'pbkdf2-sha384': 'pbkdf2-sha512' };

/** Milliseconds per unit of work, per kernel, as measured on this machine. */
export type HashCostModel = ReadonlyMap<string, number>;

let calibrated: HashCostModel | undefined;

/**
 * Times each kernel's sample in the pool: checked once to warm the worker's code up, then twice, keeping the least.
 * The model counts CPU time, not wall time: what a check costs this machine, whatever else it is doing just then
 * (on a shared machine wall time swings several-fold). Done once per process; later calls return the same model.
 */
export async function calibrateHashCosts(pool: HashCheckPool): Promise<HashCostModel> {
  if (calibrated) return calibrated;
  const model = new Map<string, number>();
  for (const [kernel, encoded] of Object.entries(SAMPLES)) {
    const { value: parsed, costs } = collectCheckCosts(() => parseLegacyHash(encoded));
    const cost = costs.find((c) => c.kernel === kernel);
    if (!cost) throw new Error(`hash cost sample for ${kernel} noted ${costs.map((c) => c.kernel).join(', ') || 'nothing'}`);
    const runs = [];
    const password = SAMPLE_PASSWORDS[kernel] ?? 'calibration';
    for (let i = 0; i < 3; i++) runs.push((await pool.check(parsed.scheme, parsed.encoded, password)).cpuMs);
    model.set(kernel, Math.min(runs[1]!, runs[2]!) / cost.work);
  }
  calibrated = model;
  return model;
}

/** What one check of the hash costs, as its parser notes it (empty for the cheap digests). */
export function checkCosts(parsed: ParsedLegacyHash): CheckCost[] {
  const input = parsed.encoded.startsWith('{"') ? (JSON.parse(parsed.encoded) as Record<string, unknown>) : parsed.encoded;
  return collectCheckCosts(() => parseLegacyHash(input)).costs;
}

/**
 * About how long one check of this hash takes in a hash-check worker, in ms of CPU, from the model calibrated at
 * startup (`calibrateHashCosts`), for a password of ordinary length: sha-crypt and PBKDF2 cost more for longer ones,
 * up to the 1,024 bytes allowed. 0 for the digests with no cost parameter (LDAP, raw SHA …), which take microseconds.
 */
export function estimateCheckMs(parsed: ParsedLegacyHash, model: HashCostModel | undefined = calibrated): number {
  return estimateCostsMs(checkCosts(parsed), model);
}

/** The same from the costs a parse noted (`collectCheckCosts`), so the import parses each hash once. */
export function estimateCostsMs(costs: readonly CheckCost[], model: HashCostModel | undefined = calibrated): number {
  if (!model) throw new Error('the hash cost model is not calibrated (calibrateHashCosts runs at startup)');
  return costs.reduce((total, cost) => total + cost.work * msPerWork(model, cost.kernel), 0);
}

function msPerWork(model: HashCostModel, kernel: string): number {
  const perWork = model.get(LIKE[kernel] ?? kernel);
  if (perWork === undefined) throw new Error(`no calibration for hash cost kernel ${kernel}`);
  return perWork;
}

/**
 * Refuses a hash whose one check would take longer than `maxMs` (LEGACY_HASH_MAX_MS): a `DangerousHashParametersError`
 * that names the parameter and the estimate, which the import turns into a row error.
 */
export function assertCheckWithinBudget(format: string, costs: readonly CheckCost[], maxMs: number, model: HashCostModel | undefined = calibrated): void {
  const estimate = estimateCostsMs(costs, model);
  if (estimate <= maxMs) return;
  const parameters = costs.map((cost) => cost.parameter).join(', ');
  throw dangerousHash(format, `${parameters} would take about ${Math.round(estimate)} ms to check here, over LEGACY_HASH_MAX_MS=${maxMs}`);
}
