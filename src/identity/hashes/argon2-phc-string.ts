import { argon2d, argon2i, argon2id, hash as argon2Hash } from 'argon2';
import { bytesEqual, passwordBytes } from './hash-bytes.ts';
import { HASH_LIMITS } from './hash-errors.ts';
import { noteCheckCost } from './check-cost.ts';
import { dangerousHash, describeValue, malformedHash } from './hash-error-reasons.ts';
import { decodeBase64, parseDecimal } from './strict-encodings.ts';

/**
 * An Argon2 hash string, `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>` (PHC string format, "Argon2 encoding").
 *
 * Two dialects, because the systems that wrote them read them differently:
 * - `reference`: the Argon2 reference `decode_string` (argon2-cffi, so Django; PHP; libsodium): exactly
 *   `m,t,p`, unpadded B64, no `keyid`/`data`.
 * - `lenient`: also what JavaScript stacks wrote and verify with their own parser — AdonisJS 5 wrote `t,m,p`,
 *   node-argon2 writes `,data=` when associated data was used, some libraries pad their Base64.
 * Both: `v=` is optional and its absence means version 0x10 (the reference's `ctx->version = ARGON2_VERSION_10`).
 */
export type Argon2Dialect = 'reference' | 'lenient';

export interface Argon2HashString {
  variant: 'argon2d' | 'argon2i' | 'argon2id';
  version: 0x10 | 0x13;
  memoryKiB: number;
  passes: number;
  lanes: number;
  data: Buffer;
  salt: Buffer;
  hash: Buffer;
}

const VARIANTS = { argon2d, argon2i, argon2id } as const;

/** argon2 reference limits (argon2.h): salt ≥ 8 bytes, output ≥ 4 bytes, lanes < 2^24. Upper bounds are ours. */
const MIN_SALT = 8;
const MIN_OUTPUT = 4;
const MAX_BYTES = 1024;
const MAX_LANES = 64; // node-argon2 starts one thread per lane
const MAX_TRAFFIC_KIB = HASH_LIMITS.argon2MaxMemoryKiB * 10; // m × t: ten passes over the largest allowed memory

export function parseArgon2String(label: string, text: string, dialect: Argon2Dialect): Argon2HashString {
  const fail = (reason: string) => malformedHash(label, reason);
  const fields = text.split('$');
  const variant = fields[1] ?? '';
  if (fields[0] !== '' || !Object.hasOwn(VARIANTS, variant)) {
    throw fail(`must start with "$argon2id$", "$argon2i$" or "$argon2d$", got ${describeValue(text.slice(0, 10))}`);
  }
  const hasVersion = fields[2]?.startsWith('v=') ?? false;
  const version = hasVersion ? parseDecimal(fields[2]!.slice(2)) : 0x10;
  if (version !== 0x10 && version !== 0x13) {
    throw fail(`version must be v=16 or v=19, got ${describeValue(fields[2])}`);
  }
  const [params, saltText, hashText, ...extra] = fields.slice(hasVersion ? 3 : 2);
  if (params === undefined || saltText === undefined || hashText === undefined || extra.length > 0) {
    throw fail(`expected parameters, salt and hash separated by "$", got ${fields.length - 1} fields`);
  }
  const { m, t, p, data } = parseParams(params, dialect, fail);
  if (p < 1 || p >= 2 ** 24) throw fail(`parallelism p must be between 1 and 2^24 - 1, got ${p}`);
  if (t < 1) throw fail('iterations t must be at least 1');
  if (m < 8 * p) throw fail(`memory m must be at least 8 × p = ${8 * p} KiB, got ${m}`);

  const padding = dialect === 'reference' ? 'forbidden' : 'optional';
  const salt = decodeBase64(saltText, padding);
  if (!salt.ok) throw fail(`salt ${salt.reason}`);
  if (salt.bytes.length < MIN_SALT || salt.bytes.length > MAX_BYTES) {
    throw fail(`salt must be ${MIN_SALT} to ${MAX_BYTES} bytes, got ${salt.bytes.length}`);
  }
  const hash = decodeBase64(hashText, padding);
  if (!hash.ok) throw fail(`hash ${hash.reason}`);
  if (hash.bytes.length < MIN_OUTPUT || hash.bytes.length > MAX_BYTES) {
    throw fail(`hash must be ${MIN_OUTPUT} to ${MAX_BYTES} bytes, got ${hash.bytes.length}`);
  }

  const dangerous = (reason: string) => dangerousHash(label, reason);
  if (m > HASH_LIMITS.argon2MaxMemoryKiB) {
    throw dangerous(`memory m=${m} KiB is above the ceiling of ${HASH_LIMITS.argon2MaxMemoryKiB} KiB (256 MiB)`);
  }
  if (m * t > MAX_TRAFFIC_KIB) throw dangerous(`m × t = ${m * t} KiB is above the ceiling of ${MAX_TRAFFIC_KIB}`);
  if (p > MAX_LANES) throw dangerous(`parallelism p=${p} is above the ceiling of ${MAX_LANES} threads`);
  noteCheckCost({ kernel: 'argon2', work: m * t, parameter: `m=${m} KiB, t=${t}` });
  return {
    variant: variant as Argon2HashString['variant'],
    version,
    memoryKiB: m,
    passes: t,
    lanes: p,
    data,
    salt: salt.bytes,
    hash: hash.bytes,
  };
}

function parseParams(params: string, dialect: Argon2Dialect, fail: (reason: string) => Error) {
  const values = new Map<string, string>();
  for (const pair of params.split(',')) {
    const [name = '', value, ...more] = pair.split('=');
    if (value === undefined || more.length > 0 || values.has(name)) throw fail(`bad parameter ${describeValue(pair)}`);
    values.set(name, value);
  }
  const names = [...values.keys()].join(',');
  if (names !== 'm,t,p' && (dialect === 'reference' || !isLenientOrder(names))) {
    const expected = dialect === 'reference' ? '"m,t,p"' : 'm, t and p (then optional data)';
    throw fail(`parameters must be ${expected}, got ${describeValue(names)}`);
  }
  const number = (name: string) => {
    const value = parseDecimal(values.get(name) ?? '');
    if (value === undefined) {
      throw fail(`${name} must be a decimal number below 2^32, got ${describeValue(values.get(name))}`);
    }
    return value;
  };
  let data: Buffer = Buffer.alloc(0);
  if (values.has('data')) {
    const decoded = decodeBase64(values.get('data')!, 'optional');
    if (!decoded.ok) throw fail(`data ${decoded.reason}`);
    data = decoded.bytes;
  }
  return { m: number('m'), t: number('t'), p: number('p'), data };
}

/** m, t, p once each in any order, then optionally `data` (node-argon2). A `keyid` needs a secret we never get. */
function isLenientOrder(names: string): boolean {
  const core = names.endsWith(',data') ? names.slice(0, -',data'.length) : names;
  return core.split(',').sort().join(',') === 'm,p,t';
}

/** Recomputes the raw Argon2 output with node-argon2 (the reference C code) and compares in constant time. */
export async function argon2Matches(parsed: Argon2HashString, password: string): Promise<boolean> {
  const computed = await argon2Hash(passwordBytes(password), {
    raw: true,
    type: VARIANTS[parsed.variant],
    version: parsed.version,
    memoryCost: parsed.memoryKiB,
    timeCost: parsed.passes,
    parallelism: parsed.lanes,
    salt: Buffer.from(parsed.salt), // node-argon2 types want a Buffer over a plain ArrayBuffer
    associatedData: Buffer.from(parsed.data),
    hashLength: parsed.hash.length,
  });
  return bytesEqual(computed, parsed.hash);
}
