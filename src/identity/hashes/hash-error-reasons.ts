import { DangerousHashParametersError, MalformedHashError } from './hash-errors.ts';

/** `malformed django-pbkdf2 hash: iterations must be a positive integer, got "abc"` */
export function malformedHash(label: string, reason: string): MalformedHashError {
  return new MalformedHashError(`malformed ${label} hash: ${reason}`);
}

/** `dangerous django-pbkdf2 hash: 6000000 iterations exceed the limit of 5000000` */
export function dangerousHash(label: string, reason: string): DangerousHashParametersError {
  return new DangerousHashParametersError(`dangerous ${label} hash: ${reason}`);
}

const MAX_SHOWN_CHARS = 40;

/**
 * Shows a value from an export row in an error message: short, quoted, and safe for any JS value (a template
 * literal throws on a Symbol or a null-prototype object, and a 10 MB string does not belong in a log line).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN_CHARS ? `${value.slice(0, MAX_SHOWN_CHARS)}…` : value;
    return JSON.stringify(shown);
  }
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
