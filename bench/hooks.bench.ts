import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { hashPassword } from '../src/identity/argon2id-password.ts';
import { cognitoEventSample, fusionAuthRequestSample, kratosRequestSample, oktaRequestSample } from '../src/hooks/doc-samples.ts';
import { startBenchServer } from './bench-server.ts';

export interface EndpointFigures {
  name: string;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

const PASSWORD = 'correct horse battery staple';

/** One request per user (login → method, path, body), so no hook call is a replay of an earlier one. */
const ENDPOINTS: Array<{ name: string; request: (login: string) => { method: 'GET' | 'POST'; path: string; body?: unknown } }> = [
  { name: 'POST /api/v1/verify', request: (login) => ({ method: 'POST', path: '/api/v1/verify', body: { login, password: PASSWORD } }) },
  { name: 'POST /hooks/okta/password-import', request: (login) => ({ method: 'POST', path: '/hooks/okta/password-import', body: oktaRequestSample(login, PASSWORD) }) },
  { name: 'POST /hooks/kratos/password-migration', request: (login) => ({ method: 'POST', path: '/hooks/kratos/password-migration', body: kratosRequestSample(login, PASSWORD) }) },
  { name: 'GET /hooks/keycloak/users/:username', request: (login) => ({ method: 'GET', path: `/hooks/keycloak/users/${login}` }) },
  { name: 'POST /hooks/keycloak/users/:username', request: (login) => ({ method: 'POST', path: `/hooks/keycloak/users/${login}`, body: { password: PASSWORD } }) },
  { name: 'POST /hooks/fusionauth/connector', request: (login) => ({ method: 'POST', path: '/hooks/fusionauth/connector', body: fusionAuthRequestSample(login, PASSWORD) }) },
  { name: 'POST /hooks/cognito/user-migration', request: (login) => ({ method: 'POST', path: '/hooks/cognito/user-migration', body: cognitoEventSample('UserMigration_Authentication', login, PASSWORD) }) },
];

/**
 * Each hook at `concurrency` for `durationSeconds`, with argon2id users, between two runs of POST /api/v1/verify in
 * the same server (its first and last endpoint), so the baseline shares the machine's load of the moment.
 */
export async function hooksBench(port: number, durationSeconds = 8, concurrency = 16): Promise<{ users: number; results: EndpointFigures[]; outcomes: Record<string, number>; load: string }> {
  const server = await startBenchServer(port);
  const users = 6000;
  try {
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    await db.query(
      `WITH u AS (INSERT INTO users (legacy_id, email, path, state) SELECT 'b-' || g, 'b' || g || '@example.com', 'bulk_hash', 'migrated' FROM generate_series(1, $1) g RETURNING id)
       INSERT INTO password_credentials (user_id, scheme, encoded, source, upgraded_at) SELECT id, 'argon2id', $2, 'rehash', now() FROM u`,
      [users, await hashPassword(PASSWORD)],
    );
    await db.end();
    const tokenResponse = await fetch(`${server.url}/api/v1/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', role: 'verifier' }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };
    const results: EndpointFigures[] = [];
    for (const endpoint of [...ENDPOINTS, ENDPOINTS[0]!]) {
      let next = 0;
      const result = await autocannon({
        url: server.url, connections: concurrency, duration: durationSeconds,
        requests: [{
          setupRequest: (req) => {
            const { method, path, body } = endpoint.request(`b${(next++ % users) + 1}@example.com`);
            return { ...req, method, path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) };
          },
        }],
      });
      // A lookup (Keycloak's GET) checks no password, so going round the users again repeats nothing that counts.
      if (endpoint.request('b1@example.com').method !== 'GET' && result.requests.total > users) throw new Error(`${endpoint.name}: ${result.requests.total} requests for ${users} users; some were replays`);
      results.push({ name: endpoint.name, requests: result.requests.total, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx });
    }
    // Every answer should have been a success: read what the attempts recorded, by platform and outcome.
    const check = new pg.Client({ connectionString: server.databaseUrl });
    await check.connect();
    const { rows } = await check.query<{ key: string; n: number }>("SELECT coalesce(platform, 'verify') || ' ' || outcome AS key, count(*)::int AS n FROM verification_events GROUP BY 1 ORDER BY 1");
    await check.end();
    return { users, results, outcomes: Object.fromEntries(rows.map((r) => [r.key, r.n])), load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };
  } finally {
    await server.stop();
  }
}
