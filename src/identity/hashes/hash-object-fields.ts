import { decodeHex, decodeLooseBase64 } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { parseCount } from './pbkdf2-derive.ts';

/** Field readers for the JSON object forms (`{"algorithm": …, "hash": …}`), with reasons a person can act on. */
export type FieldEncoding = 'hex' | 'base64' | 'utf8';

/**
 * Unknown keys are refused rather than dropped: a misspelt `salt_encodng` would otherwise fall back to a default
 * silently and lock every imported user out at sign-in instead of failing the import row.
 */
export function assertKnownKeys(label: string, input: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      throw malformedHash(label, `unknown key ${describeValue(key)}; known keys are ${known.join(', ')}`);
    }
  }
}

/** Absent and `null` both mean "not given" (exports write either). */
export function optionalString(label: string, input: Record<string, unknown>, key: string): string | undefined {
  const value = Object.hasOwn(input, key) ? input[key] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformedHash(label, `${key} must be a string, got ${describeValue(value)}`);
  return value;
}

export function requiredString(label: string, input: Record<string, unknown>, key: string): string {
  const value = optionalString(label, input, key);
  if (value === undefined || value === '') throw malformedHash(label, `${key} is required`);
  return value;
}

export function readChoice<T extends string>(
  label: string,
  input: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  fallback: T | undefined,
): T {
  const value = optionalString(label, input, key);
  if (value === undefined) {
    if (fallback === undefined) throw malformedHash(label, `${key} is required: one of ${allowed.join(', ')}`);
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(value)) {
    throw malformedHash(label, `${key} must be one of ${allowed.join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** A positive integer, as a JSON number or a string of digits (CSV-derived exports carry strings). */
export function readCount(label: string, input: Record<string, unknown>, key: string, fallback?: number): number {
  const value = Object.hasOwn(input, key) ? input[key] : undefined;
  if (value === undefined || value === null) {
    if (fallback === undefined) throw malformedHash(label, `${key} is required`);
    return fallback;
  }
  if (typeof value === 'string') return parseCount(label, key, value, 'allow');
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw malformedHash(label, `${key} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

export function decodeField(label: string, key: string, text: string, encoding: FieldEncoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const bytes = encoding === 'hex' ? decodeHex(text, 'any-case') : decodeLooseBase64(text);
  if (!bytes) throw malformedHash(label, `${key} is not valid ${encoding}: ${describeValue(text)}`);
  return bytes;
}
