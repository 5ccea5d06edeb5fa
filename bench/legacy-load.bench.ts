import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hashSync } from '@node-rs/bcrypt';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createContainer } from '../src/container.ts';
import { createLogger } from '../src/observability/logger.ts';
import { eksBlowfish } from '../src/identity/hashes/eksblowfish.ts';
import { estimateCheckMs } from '../src/identity/hashes/hash-cost-model.ts';
import { parseLegacyHash } from '../src/identity/hashes/registry.ts';
import { shaCrypt } from '../src/identity/hashes/sha-crypt.ts';
import { SHA512_CRYPT } from '../src/identity/hashes/sha512-crypt.ts';
import { BENCH_DATABASE_URL } from './bench-server.ts';

const PASSWORD = 'correct horse battery staple';

export interface Percentiles { p50: number; p99: number; max: number; n: number }
export interface LegacyLoadResult {
  concurrency: number;
  seconds: number;
  poolSize: number;
  idle: { healthz: Percentiles; loopDelay: Percentiles };
  load: { healthz: Percentiles; loopDelay: Percentiles; verifies: number; statuses: Record<number, number> };
  /**
   * One rounds=656000 check: in a pool worker (wall ms, at the workers' lower priority), and in CPU ms, ours on this
   * thread and glibc's crypt(3) (C, through python3) in the same run; CPU time, since the machine may be shared.
   */
  sha512: { workerMs: number; oursCpuMs: number; cCpuMs: number };
  /** One bcrypt cost-12 check on this thread: the native library and our EksBlowfish (CPU ms, least of 3). */
  bcrypt12: { nativeMs: number; oursMs: number };
  /** The cost model's estimates for the formats' default costs (ms of CPU). */
  estimates: Record<string, number>;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1));
  return { p50: at(0.5), p99: at(0.99), max: Number((sorted.at(-1) ?? 0).toFixed(1)), n: sorted.length };
}

/** Polls /healthz every 20 ms and samples the server's event-loop delay for `seconds`. */
async function observe(url: string, seconds: number) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const healthz: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const response = await fetch(`${url}/healthz`);
    await response.arrayBuffer();
    healthz.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  delay.disable();
  const ms = (ns: number) => Number((ns / 1e6).toFixed(1));
  return { healthz: percentiles(healthz), loopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), n: delay.count } };
}

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function cpuMsAsync(run: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * 16 clients at once send POST /api/v1/verify for sha512-crypt users at rounds=656000 and bcrypt cost 12 users (wrong
 * passwords, so every request checks the legacy hash and none is rehashed) while /healthz is polled and the
 * server's event loop is sampled; then the same idle. The server runs in this process, so the loop delay is its own.
 */
export async function legacyLoadBench(seconds = 20, concurrency = 16): Promise<LegacyLoadResult> {
  const id = randomBytes(4).toString('hex');
  const schema = `bench_legacy_${id}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test', DATA_DIR: dataDir, QUEUE_PREFIX: `bench-legacy-${id}`, LOG_LEVEL: 'warn', VERIFY_MAX_FAILURES: '10000',
    CUTOVER_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
    DATABASE_URL: `${BENCH_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  });
  const container = await createContainer(config, createLogger(config.LOG_LEVEL));
  const server = createApp(container).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const sha512 = execFileSync('python3', ['-W', 'ignore', '-c', `import crypt; print(crypt.crypt(${JSON.stringify(PASSWORD)}, '$6$rounds=656000$benchlegacy$'))`], { encoding: 'utf8' }).trim();
    const bcrypt12 = hashSync(PASSWORD, 12);
    const users = 64;
    await container.db.query(
      `INSERT INTO users (legacy_id, email, path, state, legacy_hash_scheme, legacy_hash)
       SELECT 'll-' || g, 'll' || g || '@example.com', 'bulk_hash', 'pending', CASE WHEN g % 2 = 0 THEN 'sha512-crypt' ELSE 'bcrypt' END,
              CASE WHEN g % 2 = 0 THEN $1 ELSE $2 END FROM generate_series(1, $3) g`,
      [sha512, bcrypt12, users],
    );
    const tokenResponse = await fetch(`${url}/api/v1/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${config.CUTOVER_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', role: 'verifier' }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };

    const idle = await observe(url, seconds);
    let stop = false;
    let verifies = 0;
    const statuses: Record<number, number> = {};
    const client = async (n: number) => {
      for (let i = n; !stop; i += concurrency) {
        const response = await fetch(`${url}/api/v1/verify`, {
          method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ login: `ll${(i % users) + 1}@example.com`, password: 'not the password' }),
        });
        await response.arrayBuffer();
        verifies += 1;
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    };
    const clients = Array.from({ length: concurrency }, (_, n) => client(n));
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let the pool fill
    const load = await observe(url, seconds);
    stop = true;
    await Promise.all(clients);

    const parsed = parseLegacyHash(sha512);
    const workerMs = (await container.hashChecks.check(parsed.scheme, parsed.encoded, PASSWORD)).ms;
    const oursCpuMs = Math.min(...[0, 1, 2].map(() => cpuMs(() => shaCrypt(SHA512_CRYPT, PASSWORD, sha512))));
    const cCpuMs = Number(execFileSync('python3', ['-W', 'ignore', '-c', `import crypt, time\nruns = []\nfor _ in range(3):\n  t = time.process_time(); crypt.crypt(${JSON.stringify(PASSWORD)}, ${JSON.stringify(sha512)}); runs.append(time.process_time() - t)\nprint(min(runs) * 1000)`], { encoding: 'utf8' }));
    const salt = Buffer.alloc(16, 7);
    const key = Buffer.from(PASSWORD);
    const nativeRuns: number[] = [];
    const oursRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      nativeRuns.push(cpuMs(() => hashSync(key, 12, salt)));
      oursRuns.push(await cpuMsAsync(() => eksBlowfish(key, salt, 12, 'b')));
    }
    const estimates: Record<string, number> = {};
    for (const [name, encoded] of Object.entries({
      'sha512-crypt rounds=656000': sha512,
      'sha256-crypt rounds=535000': `$5$rounds=535000$benchlegacy$${'.'.repeat(43)}`,
      'Django PBKDF2 1,000,000': `pbkdf2_sha256$1000000$benchlegacy$${Buffer.alloc(32).toString('base64')}`,
      'bcrypt cost 12': bcrypt12,
      'bcrypt cost 14': `$2b$14$${'.'.repeat(53)}`,
      'argon2id m=64 MiB t=3 p=4': `$argon2id$v=19$m=65536,t=3,p=4$${Buffer.alloc(16).toString('base64').replace(/=+$/, '')}$${Buffer.alloc(32).toString('base64').replace(/=+$/, '')}`,
    })) estimates[name] = Math.round(estimateCheckMs(parseLegacyHash(encoded)));
    return {
      concurrency, seconds, poolSize: container.hashChecks.size, idle, load: { ...load, verifies, statuses },
      sha512: { workerMs, oursCpuMs, cCpuMs }, bcrypt12: { nativeMs: Math.min(...nativeRuns), oursMs: Math.min(...oursRuns) }, estimates,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const keys = (await container.redis?.keys(`${config.QUEUE_PREFIX}:*`)) ?? [];
    if (keys.length) await container.redis!.del(...keys);
    await container.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
