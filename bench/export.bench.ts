import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { hashPassword } from '../src/identity/argon2id-password.ts';
import { SecretBox } from '../src/identity/secret-box.ts';
import { newTotpSecret } from '../src/identity/totp.ts';
import { cutoverCommand, startBenchServer, type BenchServer } from './bench-server.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'bench-cutover-secret-0123456789abcdefghijklmnop';

export interface ExportFigures {
  target: string;
  seconds: number;
  rowsPerSecond: number;
  bytes: number;
  files: number;
  serverPeakRssMiB: number;
  /** the server's RSS just before this export: startup, the hash-check pool's threads, the earlier export's heap */
  serverRssBeforeMiB: number;
  cliPeakRssMiB: number;
}

export interface ExportBenchResult {
  users: number;
  seedSeconds: number;
  baselineSeconds: number;
  results: ExportFigures[];
  load: string;
}

/**
 * `users` enrolled users the way re-enrolment leaves them: every one a password (argon2id), half an authenticator
 * app (sealed as enrolment seals it), one in ten a passkey. Inserted 10,000 at a time with unnest.
 */
async function seed(db: pg.Client, users: number): Promise<void> {
  const box = new SecretBox(SECRET);
  const hash = await hashPassword('correct horse battery staple');
  const cose = Buffer.from('a5010203262001215820' + '11'.repeat(32) + '225820' + '22'.repeat(32), 'hex');
  for (let start = 1; start <= users; start += 10_000) {
    const n = Math.min(10_000, users - start + 1);
    const { rows } = await db.query<{ id: string; g: number }>(
      `INSERT INTO users (legacy_id, email, email_verified, given_name, family_name, path, state, enrolled_method, enrolled_at)
       SELECT 'x-' || g, 'x' || g || '@example.com', true, 'Given' || g, 'Family' || g, 'reset', 'enrolled', CASE WHEN g % 2 = 0 THEN 'totp' ELSE 'password' END, now()
         FROM generate_series($1::int, $2::int) g RETURNING id, substr(legacy_id, 3)::int AS g`,
      [start, start + n - 1],
    );
    await db.query("INSERT INTO password_credentials (user_id, scheme, encoded, source) SELECT unnest($1::uuid[]), 'argon2id', $2, 'enrolment'", [rows.map((r) => r.id), hash]);
    const totp = rows.filter((r) => r.g % 2 === 0);
    await db.query('INSERT INTO totp_credentials (user_id, secret) SELECT * FROM unnest($1::uuid[], $2::text[])', [totp.map((r) => r.id), totp.map((r) => box.encrypt(newTotpSecret(), `user:${r.id}`))]);
    const keys = rows.filter((r) => r.g % 10 === 0);
    await db.query(
      `INSERT INTO webauthn_credentials (id, user_id, public_key, transports, device_type, backed_up, rp_id, user_handle)
       SELECT 'k' || k.id, k.id, $2, '{internal}', 'multiDevice', true, 'localhost', convert_to(k.id::text, 'UTF8') FROM unnest($1::uuid[]) AS k(id)`,
      [keys.map((r) => r.id), cose],
    );
  }
}

/** Peak RSS of a child while it runs, polled from /proc (VmHWM is gone once it exits). */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; peakMiB: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cutoverCommand(), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let peak = 0;
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setInterval(() => {
      try {
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024);
      } catch {
        // exited
      }
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => { clearInterval(timer); resolve({ code, peakMiB: peak, stderr }); });
  });
}

/** Resets the server's VmHWM to its current RSS (Linux clear_refs "5"), so each export's peak is its own. */
function resetPeak(server: BenchServer): void {
  try {
    writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
  } catch {
    // not permitted: the peak then covers startup and the earlier export too
  }
}

export async function exportBench(users: number, port: number): Promise<ExportBenchResult> {
  const server = await startBenchServer(port, { CUTOVER_SECRET: SECRET, BASE_URL: `http://localhost:${port}` });
  const out = path.join(ROOT, '.bench', `export-${Date.now()}`);
  try {
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    const seedStarted = performance.now();
    process.stderr.write(`seeding ${users.toLocaleString('en')} enrolled users…\n`);
    await seed(db, users);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await db.query('ANALYZE');
    // Baseline: the same rows straight out of PostgreSQL with COPY TO, no decryption and no JSON: the read ceiling.
    const baseStarted = performance.now();
    await pipeline(db.query(copyTo(`COPY (SELECT u.*, pc.encoded, t.secret FROM users u LEFT JOIN password_credentials pc ON pc.user_id = u.id
      LEFT JOIN totp_credentials t ON t.user_id = u.id AND t.revoked_at IS NULL ORDER BY u.id) TO STDOUT`)), new Writable({ write: (_c, _e, cb) => cb() }));
    const baselineSeconds = (performance.now() - baseStarted) / 1000;
    await db.end();
    const results: ExportFigures[] = [];
    for (const target of ['keycloak', 'auth0']) {
      resetPeak(server);
      const serverRssBeforeMiB = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
      const dir = path.join(out, target);
      process.stderr.write(`cutover export --target ${target}…\n`);
      const started = performance.now();
      const run = await runCli(['export', '--target', target, '--out', dir, '--rp-id', 'localhost', '--json'], { CUTOVER_URL: server.url, CUTOVER_TOKEN: server.adminToken });
      const seconds = (performance.now() - started) / 1000;
      if (run.code !== 0) throw new Error(`export ${target} exited ${run.code}: ${run.stderr.slice(0, 500)}`);
      const files = readdirSync(dir).filter((n) => n.startsWith(target));
      results.push({
        target, seconds, rowsPerSecond: users / seconds, files: files.length,
        bytes: files.reduce((sum, n) => sum + statSync(path.join(dir, n)).size, 0),
        serverPeakRssMiB: server.peakRssMiB(), serverRssBeforeMiB, cliPeakRssMiB: run.peakMiB,
      });
    }
    return { users, seedSeconds, baselineSeconds, results, load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };
  } finally {
    await server.stop();
    if (existsSync(out)) rmSync(out, { recursive: true, force: true });
  }
}
