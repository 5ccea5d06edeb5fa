import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { shaCrypt, type ShaCryptVariant } from '../src/identity/hashes/sha-crypt.ts';
import { SHA256_CRYPT } from '../src/identity/hashes/sha256-crypt.ts';
import { SHA512_CRYPT } from '../src/identity/hashes/sha512-crypt.ts';

const PASSWORD = 'correct horse battery staple';
const SALT = 'benchshacrypt012'; // 16 characters, the most a setting keeps

export interface ShaCryptBenchRow {
  format: string;
  rounds: number;
  /** CPU ms of each run, in order, and their median. */
  ours: { runs: number[]; median: number };
  /** glibc's crypt(3) (libxcrypt on newer systems), through Python's `crypt` module: C in the same run. */
  c: { runs: number[]; median: number };
  /** The code before: one node:crypto hash per round (the rounds loop alone; steps 1-20 are microseconds). */
  perRoundNodeCrypto: { runs: number[]; median: number };
}

export interface ShaCryptBenchResult {
  rows: ShaCryptBenchRow[];
  runs: number;
  /** The 1-minute load average before and after: the machine may be shared. */
  loadBefore: number;
  loadAfter: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round1 = (ms: number) => Number(ms.toFixed(1));

function cpuMs(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** One crypt(3) call timed inside python3 (process_time, so its start-up is not counted). */
function cCpuMs(setting: string): number {
  const script = `import crypt, time\nt = time.process_time()\ncrypt.crypt(${JSON.stringify(PASSWORD)}, ${JSON.stringify(setting)})\nprint((time.process_time() - t) * 1000)`;
  return Number(execFileSync('python3', ['-W', 'ignore', '-c', script], { encoding: 'utf8' }));
}

function perRoundLoop(variant: ShaCryptVariant, rounds: number): void {
  let c = createHash(variant.algorithm).update('c').digest();
  const p = Buffer.alloc(PASSWORD.length, 'p');
  const s = Buffer.from(SALT);
  for (let round = 0; round < rounds; round++) {
    const h = createHash(variant.algorithm);
    h.update(round & 1 ? p : c);
    if (round % 3) h.update(s);
    if (round % 7) h.update(p);
    h.update(round & 1 ? c : p);
    c = h.digest();
  }
}

/**
 * passlib's defaults, sha512_crypt at 656,000 rounds and sha256_crypt at 535,000: ours (WebAssembly rounds), C, and
 * the previous node:crypto-per-round loop, interleaved run by run so a change in the machine's load falls on all
 * three. CPU time, the median of `runs`.
 */
export function shaCryptBench(runs = 5): ShaCryptBenchResult {
  const loadBefore = loadavg()[0]!;
  const rows: ShaCryptBenchRow[] = [];
  for (const [variant, rounds] of [[SHA512_CRYPT, 656_000], [SHA256_CRYPT, 535_000]] as const) {
    const setting = `${variant.magic}rounds=${rounds}$${SALT}$`;
    const expected = execFileSync('python3', ['-W', 'ignore', '-c', `import crypt; print(crypt.crypt(${JSON.stringify(PASSWORD)}, ${JSON.stringify(setting)}))`], { encoding: 'utf8' }).trim();
    if (shaCrypt(variant, PASSWORD, setting) !== expected) throw new Error(`${variant.name}: ours and crypt(3) disagree`);
    const ours: number[] = [];
    const c: number[] = [];
    const old: number[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(round1(cpuMs(() => shaCrypt(variant, PASSWORD, setting))));
      c.push(round1(cCpuMs(setting)));
      old.push(round1(cpuMs(() => perRoundLoop(variant, rounds))));
    }
    rows.push({
      format: variant.name, rounds,
      ours: { runs: ours, median: median(ours) },
      c: { runs: c, median: median(c) },
      perRoundNodeCrypto: { runs: old, median: median(old) },
    });
  }
  return { rows, runs, loadBefore, loadAfter: loadavg()[0]! };
}
