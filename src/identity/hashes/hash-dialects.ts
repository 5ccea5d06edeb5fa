import type { LegacyHashInput, ParsedLegacyHash } from './hash-family.ts';
import { AmbiguousHashError, HashContextError } from './hash-dialect-errors.ts';

/**
 * Which framework wrote an export (the import's `hash_dialect`). Some strings mean different things in different
 * frameworks: "md5$salt$hash" is a salted digest in Django and an HMAC in Werkzeug; "<32 hex>:<salt>" is three
 * different schemes in Joomla, vBulletin and MyBB / IP.Board. A dialect only decides those; every other string is
 * detected as it always is (a Joomla 3 export also holds bcrypt and phpass hashes).
 */
export const HASH_DIALECTS = ['django', 'werkzeug', 'joomla', 'vbulletin', 'mybb', 'ipb'] as const;
export type HashDialect = (typeof HASH_DIALECTS)[number];

/** What an export row says about its hash besides the string itself. */
export interface HashContext {
  dialect?: HashDialect | undefined;
  /** The row's `password_hash_format`: a family's format label (as the summary's `hash_formats` counts it). */
  format?: string | undefined;
  /** The row's `password_hash_salt`: the salt, or PostgreSQL's role name, from a column of its own. */
  salt?: string | undefined;
}

/** Families that take the salt from the row. */
const SALTED_FROM_ROW = ['postgres-md5', 'joomla-md5', 'vbulletin', 'mybb', 'ipb'];
/** Families whose strings only mean them when named; they are handed over as {"algorithm": format, "hash", "salt"}. */
const NAMED = [...SALTED_FROM_ROW, 'werkzeug-hmac'];

const SALTED_MD5: Partial<Record<HashDialect, string>> = { joomla: 'joomla-md5', vbulletin: 'vbulletin', mybb: 'mybb', ipb: 'ipb' };

interface SharedShape {
  shape: string;
  matches(hash: string, salt: string | undefined): boolean;
  /** The family each dialect means by this shape. */
  byDialect: Partial<Record<HashDialect, string>>;
  /** Without a dialect that names one: "detect" keeps the string's documented meaning, "refuse" refuses the row. */
  otherwise: 'detect' | 'refuse' | string;
}

const SHAPES: SharedShape[] = [
  {
    shape: '"md5" and 32 hex digits',
    matches: (hash) => /^md5[0-9a-f]{32}$/.test(hash),
    byDialect: {},
    otherwise: 'postgres-md5', // no framework writes it, and PostgreSQL needs the role name from the row
  },
  {
    shape: '"<32 hex>:<salt>"',
    matches: (hash, salt) => salt === undefined && /^[0-9a-fA-F]{32}:./s.test(hash),
    byDialect: SALTED_MD5,
    otherwise: 'refuse',
  },
  {
    shape: 'a 32-hex digest with password_hash_salt',
    matches: (hash, salt) => salt !== undefined && /^[0-9a-fA-F]{32}$/.test(hash),
    byDialect: SALTED_MD5,
    otherwise: 'refuse',
  },
  {
    shape: '"md5$…" or "sha1$…"',
    matches: (hash) => /^(?:md5|sha1)\$/.test(hash),
    byDialect: { werkzeug: 'werkzeug-hmac' },
    otherwise: 'detect', // Django's, as cutover has always read them
  },
];

function named(algorithm: string, hash: string, salt: string | undefined): LegacyHashInput {
  return salt === undefined ? { algorithm, hash } : { algorithm, hash, salt };
}

/**
 * Turns a row's hash and what the row and the import say about it into the input the families detect: a string
 * whose meaning is fixed, or {"algorithm": family, …} when the dialect or `password_hash_format` decides. Throws
 * `AmbiguousHashError` for a shared shape that nothing names, and `HashContextError` for a misused field.
 */
export function resolveHashInput(input: LegacyHashInput, context: HashContext): LegacyHashInput {
  if (typeof input !== 'string') {
    if (context.format !== undefined) throw new HashContextError('password_hash_format', 'password_hash_format is for hash strings; a hash object names its algorithm');
    if (context.salt !== undefined) throw new HashContextError('password_hash_salt', 'password_hash_salt is for hash strings; a hash object carries its own salt');
    return input;
  }
  if (context.format !== undefined) return NAMED.includes(context.format) ? named(context.format, input, context.salt) : input;
  const shared = SHAPES.find((candidate) => candidate.matches(input, context.salt));
  if (!shared) return input;
  const meant = context.dialect ? shared.byDialect[context.dialect] : undefined;
  if (meant) return named(meant, input, context.salt);
  if (shared.otherwise === 'refuse') {
    const dialects = Object.keys(shared.byDialect);
    throw new AmbiguousHashError(shared.shape, dialects, Object.values(shared.byDialect), context.dialect);
  }
  return shared.otherwise === 'detect' ? input : named(shared.otherwise, input, context.salt);
}

/** After parsing: the named format must be what the hash is, and a row salt must be one the family reads. */
export function checkHashContext(parsed: ParsedLegacyHash, context: HashContext): void {
  if (context.format !== undefined && parsed.format !== context.format) {
    throw new HashContextError('password_hash_format', `password_hash_format says ${JSON.stringify(context.format)}, but the hash is a ${parsed.format} hash`);
  }
  if (context.salt !== undefined && !SALTED_FROM_ROW.includes(parsed.format)) {
    throw new HashContextError('password_hash_salt', `password_hash_salt is only read for ${SALTED_FROM_ROW.join(', ')} hashes; a ${parsed.format} hash carries its own salt`);
  }
}
