import pg from 'pg';
import { startBenchServer } from './bench-server.ts';

const FIRST = ['Ada', 'Alan', 'Anna', 'Ben', 'Carla', 'Chen', 'Dara', 'David', 'Elif', 'Emma', 'Farah', 'Felix', 'Grace', 'Hana', 'Ivan', 'Jana', 'Jonas', 'Kofi', 'Lea', 'Liam', 'Maria', 'Mateo', 'Nina', 'Noah', 'Olga', 'Omar', 'Paula', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Sofia', 'Tariq', 'Uma', 'Vera', 'Wei', 'Xavier', 'Yara', 'Yusuf', 'Zoe'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Babbage', 'Noether', 'Curie', 'Meitner', 'Ramanujan', 'Gauss', 'Euler', 'Fermat', 'Galois', 'Hilbert', 'Kovalevskaya', 'Lamarr', 'Mirzakhani', 'Nash', 'Ostrom', 'Pascal', 'Riemann', 'Shannon', 'Tao', 'Uhlenbeck', 'Volterra', 'Wiles', 'Yau', 'Zuse', 'Agnesi', 'Bernoulli', 'Cantor', 'Dirac', 'Erdos', 'Fourier', 'Germain', 'Hamilton', 'Jacobi', 'Kepler', 'Leibniz', 'Markov', 'Newton'];
const DOMAINS = 50;

export interface LatencyStats { n: number; p50: number; p90: number; p99: number; max: number }
export interface SupportBenchResult {
  users: number;
  seedSeconds: number;
  kinds: Array<{ kind: string; example: string } & LatencyStats>;
  all: LatencyStats;
  concurrent: LatencyStats & { concurrency: number };
  baseline: LatencyStats;
}

function stats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1));
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Number(sorted.at(-1)!.toFixed(1)) };
}

/** User g: the same formula as the seed, so that queries can aim at real rows. */
function userOf(g: number) {
  const first = FIRST[g % FIRST.length]!;
  const last = LAST[Math.floor(g / FIRST.length) % LAST.length]!;
  return { first, last, email: `${first.toLowerCase()}.${last.toLowerCase()}${g}@d${g % DOMAINS}.example`, legacyId: `s-${g}` };
}

/**
 * Support search over `users` users, through HTTP (`GET /api/v1/support/users?q=`) on a separate `cutover serve`
 * process against PostgreSQL, each query kind in turn, one at a time, then 8 at a time. Baseline in the same run: a
 * primary-key lookup of a user row through a pg client to the same database. Goal: p99 under 200 ms.
 */
export async function supportSearchBench(users: number, port: number, perKind = 200): Promise<SupportBenchResult> {
  const server = await startBenchServer(port);
  const db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  try {
    process.stderr.write(`seeding ${users.toLocaleString('en')} users for support search…\n`);
    const seedStarted = performance.now();
    await db.query(
      `INSERT INTO users (legacy_id, email, name, given_name, family_name, path, locale)
       SELECT 's-' || g, lower(f.first) || '.' || lower(l.last) || g || '@d' || (g % ${DOMAINS}) || '.example', f.first || ' ' || l.last, f.first, l.last,
              (ARRAY['reset', 'jit', 'bulk_hash'])[1 + g % 3], 'en'
         FROM generate_series(1, $1) g,
              LATERAL (SELECT ($2::text[])[1 + g % ${FIRST.length}] AS first) f,
              LATERAL (SELECT ($3::text[])[1 + (g / ${FIRST.length}) % ${LAST.length}] AS last) l`,
      [users, FIRST, LAST],
    );
    await db.query('ANALYZE users');
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const made = await fetch(`${server.url}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench support', role: 'support' }) });
    const token = ((await made.json()) as { token: string }).token;
    const search = async (q: string) => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/v1/support/users?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { users?: unknown[] };
      if (response.status !== 200 || !Array.isArray(body.users)) throw new Error(`search ${q}: ${response.status} ${JSON.stringify(body)}`);
      return performance.now() - started;
    };
    const random = () => 1 + Math.floor(Math.random() * users);
    const kinds: Array<{ kind: string; example: string; make: () => string }> = [
      { kind: 'exact email', example: userOf(12345).email, make: () => userOf(random()).email },
      { kind: 'email prefix, 3 letters', example: 'ada', make: () => FIRST[random() % FIRST.length]!.slice(0, 3).toLowerCase() },
      { kind: 'email prefix, 1 letter', example: 'a', make: () => 'abcdefghijklmnopqrstuvwxyz'[random() % 26]! },
      { kind: 'email prefix, name and dot', example: 'grace.hop', make: () => { const u = userOf(random()); return `${u.first}.${u.last.slice(0, 3)}`.toLowerCase(); } },
      { kind: 'legacy id', example: 's-424242', make: () => userOf(random()).legacyId },
      { kind: 'name prefix', example: 'Ada Lov', make: () => { const u = userOf(random()); return `${u.first} ${u.last.slice(0, 3)}`; } },
      { kind: 'family name prefix', example: 'Lovel', make: () => LAST[random() % LAST.length]!.slice(0, 5) },
      { kind: 'no match', example: 'qqzx', make: () => `qq${random()}zx` },
    ];
    for (let i = 0; i < 20; i++) await search(kinds[i % kinds.length]!.make()); // warm up
    const samples = new Map<string, number[]>(kinds.map((k) => [k.kind, []]));
    for (let i = 0; i < perKind; i++) {
      for (const kind of kinds) samples.get(kind.kind)!.push(await search(kind.make()));
    }
    const concurrency = 8;
    const concurrentSamples: number[] = [];
    let left = perKind * 2;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (left-- > 0) concurrentSamples.push(await search(kinds[left % kinds.length]!.make()));
    }));

    const { rows: ids } = await db.query<{ id: string }>('SELECT id FROM users TABLESAMPLE SYSTEM (1) LIMIT 1000');
    const baselineSamples: number[] = [];
    for (let i = 0; i < perKind * 2; i++) {
      const started = performance.now();
      await db.query('SELECT id, legacy_id, email, name, path, state, locale FROM users WHERE id = $1', [ids[i % ids.length]!.id]);
      baselineSamples.push(performance.now() - started);
    }
    return {
      users, seedSeconds,
      kinds: kinds.map((k) => ({ kind: k.kind, example: k.example, ...stats(samples.get(k.kind)!) })),
      all: stats([...samples.values()].flat()),
      concurrent: { concurrency, ...stats(concurrentSamples) },
      baseline: stats(baselineSamples),
    };
  } finally {
    await db.end();
    await server.stop();
  }
}
