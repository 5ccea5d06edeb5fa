import autocannon from 'autocannon';
import pg from 'pg';
import { hashPassword, verifyPassword } from '../src/identity/argon2id-password.ts';
import { startBenchServer } from './bench-server.ts';

export interface VerifyBenchResult {
  users: number;
  concurrency: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  non2xx: number;
  bareArgon2idMs: number;
  ratioP50ToBare: number;
}

async function bareArgon2id(): Promise<number> {
  const encoded = await hashPassword('correct horse battery staple');
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    await verifyPassword(encoded, 'correct horse battery staple');
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Requests/s and latency of POST /api/v1/verify at concurrency 16 for users already on argon2id. */
export async function verifyBench(port: number, durationSeconds = 20, concurrency = 16): Promise<VerifyBenchResult> {
  const bare = await bareArgon2id();
  const server = await startBenchServer(port);
  const users = 500;
  try {
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    const encoded = await hashPassword('correct horse battery staple');
    await db.query(
      `WITH u AS (INSERT INTO users (legacy_id, email, path, state) SELECT 'v-' || g, 'v' || g || '@example.com', 'bulk_hash', 'migrated' FROM generate_series(1, $1) g RETURNING id)
       INSERT INTO password_credentials (user_id, scheme, encoded, source, upgraded_at) SELECT id, 'argon2id', $2, 'rehash', now() FROM u`,
      [users, encoded],
    );
    await db.end();
    const tokenResponse = await fetch(`${server.url}/api/v1/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', role: 'verifier' }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };
    const requests = Array.from({ length: users }, (_, i) => ({
      method: 'POST' as const, path: '/api/v1/verify',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ login: `v${i + 1}@example.com`, password: 'correct horse battery staple' }),
    }));
    let next = 0;
    const result = await autocannon({
      url: server.url, connections: concurrency, duration: durationSeconds,
      requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % users]! }) }],
    });
    return {
      users, concurrency, durationSeconds, requests: result.requests.total, requestsPerSecond: result.requests.average,
      p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, non2xx: result.non2xx,
      bareArgon2idMs: bare, ratioP50ToBare: result.latency.p50 / bare,
    };
  } finally {
    await server.stop();
  }
}
