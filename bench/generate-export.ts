import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const DOMAINS = ['example.com', 'mail.example.org', 'corp.example.net', 'example.de', 'example.co.uk'];
const LOCALES = ['en', 'en-GB', 'de', 'de-AT', 'fr', null];
const ZONES = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', null];

let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
function chars(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

// Real hashes made by each format's own tool (the test fixtures), so every one of them parses as it would in an
// export. The import parses hashes; it does not verify them, so reusing a few per family costs the same.
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'hashes');
const MIX: Array<[format: string, share: number]> = [['bcrypt', 60], ['django-pbkdf2', 8], ['argon2', 5], ['sha512-crypt', 4], ['phpass', 3]];

function loadPools(): Map<string, string[]> {
  const pools = new Map<string, string[]>();
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(path.join(FIXTURES, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const { format, password_hash: hash } = JSON.parse(line) as { format: string; password_hash: unknown };
      if (typeof hash === 'string' && MIX.some(([f]) => f === format)) pools.set(format, [...(pools.get(format) ?? []), hash]);
    }
  }
  return pools;
}

/** 60% bcrypt, 8% Django PBKDF2, 5% argon2, 4% sha512-crypt, 3% phpass, 20% no hash. */
function hashFor(i: number, pools: Map<string, string[]>): string | null {
  let roll = i % 100;
  for (const [format, share] of MIX) {
    if (roll < share) {
      const pool = pools.get(format);
      return pool?.length ? pool[i % pool.length]! : null;
    }
    roll -= share;
  }
  return null;
}

export async function generateExport(file: string, rows: number): Promise<number> {
  if (existsSync(file) && statSync(file).size > rows * 100) return statSync(file).size;
  const pools = loadPools();
  const out = createWriteStream(file);
  const day = 86_400_000;
  const now = Date.UTC(2026, 10, 1);
  for (let i = 0; i < rows; i++) {
    const given = chars('abcdefghijklmnopqrstuvwxyz', 6);
    const family = chars('abcdefghijklmnopqrstuvwxyz', 8);
    const row: Record<string, unknown> = {
      id: `u-${i}`,
      email: `${given}.${family}.${i}@${pick(DOMAINS)}`,
      email_verified: random() > 0.1,
      name: `${given} ${family}`,
      given_name: given,
      family_name: family,
      locale: pick(LOCALES),
      timezone: pick(ZONES),
      created_at: new Date(now - Math.floor(random() * 3000) * day).toISOString(),
      last_login_at: new Date(now - Math.floor(random() * 700) * day).toISOString(),
      attributes: { plan: pick(['free', 'pro', 'team']), tenant: `t-${i % 500}`, newsletter: random() > 0.5 },
    };
    const hash = hashFor(i, pools);
    if (hash) row.password_hash = hash;
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(file).size;
}
