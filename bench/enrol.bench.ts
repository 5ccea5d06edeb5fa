import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { startBenchServer } from './bench-server.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface PageBenchFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

export interface EnrolBenchResult {
  concurrency: number;
  durationSeconds: number;
  cutover: PageBenchFigures;
  bare: PageBenchFigures;
}

async function measure(url: string, headers: Record<string, string>, concurrency: number, durationSeconds: number): Promise<PageBenchFigures> {
  const result = await autocannon({ url, connections: concurrency, duration: durationSeconds, headers });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

/**
 * GET /enrol as a user reloads it: session from Redis, the invitation checked live in PostgreSQL, the page
 * rendered with helmet's headers. Against a bare Express route in its own process that renders the same
 * template with the same data.
 */
export async function enrolPageBench(port: number, barePort: number, durationSeconds = 15, concurrency = 50): Promise<EnrolBenchResult> {
  // NODE_ENV=test: templates compiled once as in production (development recompiles them on every render).
  const server = await startBenchServer(port, { NODE_ENV: 'test' });
  const bare = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/bare-enrol-page.ts')], {
    cwd: ROOT, env: { ...process.env, PORT: String(barePort) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => bare.stdout!.once('data', () => resolve()));
  try {
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    const token = randomBytes(32).toString('base64url');
    await db.query(
      `WITH u AS (INSERT INTO users (legacy_id, email, given_name, path) VALUES ('bench-enrol', 'ada@example.com', 'Ada', 'reset') RETURNING id),
            c AS (INSERT INTO campaigns (name, link_ttl_hours, methods, helpdesk) VALUES ('bench', 72, '{passkey,totp}', '{"capacity_per_hour":10,"contact_rate":0.05,"timezone":"UTC","hours":[]}') RETURNING id),
            w AS (INSERT INTO waves (campaign_id, name, cohort, start_at, state) SELECT id, 'bench', '{}', now(), 'running' FROM c RETURNING id, campaign_id),
            i AS (INSERT INTO invitations (wave_id, campaign_id, user_id, rank, state, sent_at, expires_at)
                  SELECT w.id, w.campaign_id, u.id, 1, 'sent', now(), now() + interval '3 days' FROM w, u RETURNING id)
       INSERT INTO invitation_tokens (token_hash, invitation_id, mail) SELECT $1, id, 'invitation' FROM i`,
      [createHash('sha256').update(token).digest('hex')],
    );
    await db.end();
    const opened = await fetch(`${server.url}/enrol/${token}`, { redirect: 'manual' });
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const check = await fetch(`${server.url}/enrol`, { headers: { cookie } });
    if (check.status !== 200) throw new Error(`/enrol answered ${check.status}`);
    await measure(`${server.url}/enrol`, { cookie }, concurrency, 3); // warm-up
    const cutover = await measure(`${server.url}/enrol`, { cookie }, concurrency, durationSeconds);
    await measure(`http://127.0.0.1:${barePort}/enrol`, {}, concurrency, 3);
    const baseline = await measure(`http://127.0.0.1:${barePort}/enrol`, {}, concurrency, durationSeconds);
    return { concurrency, durationSeconds, cutover, bare: baseline };
  } finally {
    bare.kill('SIGTERM');
    await server.stop();
  }
}
