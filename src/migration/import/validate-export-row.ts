import type { ExportRow, MigrationPath, RawRow, RowError } from './export-row.ts';
import { KNOWN_FIELDS, PATHS } from './export-row.ts';
import { isTimeZone } from '../../identity/is-time-zone.ts';

// Pragmatic RFC 5321 shape: one @, no spaces or control characters, a dotted domain. Mailbox existence is not ours.
export const EMAIL = /^[^\s@"(),:;<>[\\\]]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const LOCALE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;
const PHONE = /^\+?[0-9 ().\/-]{3,32}$/;
const MAX_TEXT = 512;
const MAX_ATTRIBUTES_BYTES = 16 * 1024;


type Problem = { field: string; reason: string };

function text(fields: Record<string, unknown>, key: string, problems: Problem[], max = MAX_TEXT): string | null {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    problems.push({ field: key, reason: `must be text, got ${kindOf(value)}` });
    return null;
  }
  if (value.length > max) problems.push({ field: key, reason: `must be at most ${max} characters, got ${value.length}` });
  return value.trim();
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function bool(fields: Record<string, unknown>, key: string, problems: Problem[]): boolean | null {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  problems.push({ field: key, reason: 'must be true or false' });
  return null;
}

function timestamp(fields: Record<string, unknown>, key: string, problems: Problem[]): string | null {
  const value = text(fields, key, problems, 64);
  if (value === null) return null;
  const millis = ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) {
    problems.push({ field: key, reason: `must be an ISO 8601 date or time, got ${JSON.stringify(value)}` });
    return null;
  }
  return new Date(millis).toISOString();
}

function jsonText(value: unknown, fromCsv: boolean): unknown {
  if (!fromCsv || typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!/^\{\s*"/.test(trimmed)) return value; // a hash string, LDAP's {SSHA}… included
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return Symbol.for('invalid-json');
  }
}

function attributes(raw: RawRow, problems: Problem[]): Record<string, unknown> {
  let value = raw.fields.attributes;
  if (value === undefined || value === null || value === '') return {};
  if (raw.fromCsv && typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      problems.push({ field: 'attributes', reason: 'must be a JSON object, got text that is not JSON' });
      return {};
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ field: 'attributes', reason: `must be an object, got ${kindOf(value)}` });
    return {};
  }
  if (JSON.stringify(value).length > MAX_ATTRIBUTES_BYTES) {
    problems.push({ field: 'attributes', reason: `must be at most ${MAX_ATTRIBUTES_BYTES} bytes of JSON` });
  }
  return value as Record<string, unknown>;
}

function passwordHash(raw: RawRow, problems: Problem[]): ExportRow['passwordHash'] {
  const value = jsonText(raw.fields.password_hash, raw.fromCsv);
  if (value === undefined || value === null || value === '') return null;
  if (value === Symbol.for('invalid-json')) {
    problems.push({ field: 'password_hash', reason: 'looks like a JSON object but is not valid JSON' });
    return null;
  }
  if (typeof value === 'string') {
    if (value.length > 1024) problems.push({ field: 'password_hash', reason: 'must be at most 1024 characters' });
    return value.trim();
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.push({ field: 'password_hash', reason: `must be a hash string or an object, got ${kindOf(value)}` });
  return null;
}

const FORMAT_LABEL = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The hash's own column beside it; read as given (a salt's spaces are part of it), and only with a hash. */
function hashSide(raw: RawRow, key: 'password_hash_salt' | 'password_hash_format', problems: Problem[]): string | null {
  const value = raw.fields[key];
  if (value === undefined || value === null || value === '') return null;
  const textValue = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof textValue !== 'string') {
    problems.push({ field: key, reason: `must be text, got ${kindOf(value)}` });
    return null;
  }
  if (textValue.length > 1024) problems.push({ field: key, reason: 'must be at most 1024 characters' });
  const hash = raw.fields.password_hash;
  if (hash === undefined || hash === null || hash === '') problems.push({ field: key, reason: 'is only read with a password_hash' });
  if (key === 'password_hash_format' && !FORMAT_LABEL.test(textValue)) {
    problems.push({ field: key, reason: `must be a hash format like "vbulletin" or "werkzeug-hmac", got ${JSON.stringify(textValue.slice(0, 80))}` });
  }
  return textValue;
}

/**
 * Validates one export row. Returns the row, or every problem found in it (each with its field), so that a person
 * can fix the whole row at once. Unknown keys are reported through `ignored`.
 */
export function validateExportRow(raw: RawRow, ignored: Map<string, number>): ExportRow | RowError[] {
  const fields = raw.fields;
  const problems: Problem[] = [];
  for (const key of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(key)) ignored.set(key, (ignored.get(key) ?? 0) + 1);
  }
  const legacyId = text(fields, 'id', problems, 255);
  if (legacyId === null && !problems.some((p) => p.field === 'id')) problems.push({ field: 'id', reason: 'is required' });
  const email = text(fields, 'email', problems, 254);
  if (email === null) {
    if (!problems.some((p) => p.field === 'email')) problems.push({ field: 'email', reason: 'is required' });
  } else if (!EMAIL.test(email)) {
    problems.push({ field: 'email', reason: `is not a valid email address: ${JSON.stringify(email.slice(0, 80))}` });
  }
  const locale = text(fields, 'locale', problems, 35);
  if (locale !== null && !LOCALE.test(locale)) problems.push({ field: 'locale', reason: `is not a language tag like "en" or "de-AT", got ${JSON.stringify(locale)}` });
  const timezone = text(fields, 'timezone', problems, 64);
  if (timezone !== null && !isTimeZone(timezone)) problems.push({ field: 'timezone', reason: `is not an IANA time zone, got ${JSON.stringify(timezone)}` });
  const phone = text(fields, 'phone', problems, 32);
  if (phone !== null && !PHONE.test(phone)) problems.push({ field: 'phone', reason: 'must be a phone number' });
  const path = text(fields, 'path', problems, 16);
  if (path !== null && !(PATHS as readonly string[]).includes(path)) problems.push({ field: 'path', reason: `must be one of ${PATHS.join(', ')}, got ${JSON.stringify(path)}` });

  const row: ExportRow = {
    line: raw.line,
    legacyId: legacyId ?? '',
    email: email ?? '',
    emailVerified: bool(fields, 'email_verified', problems),
    name: text(fields, 'name', problems),
    givenName: text(fields, 'given_name', problems),
    familyName: text(fields, 'family_name', problems),
    locale: locale?.replace(/_/g, '-') ?? null,
    timezone,
    phone,
    createdAt: timestamp(fields, 'created_at', problems),
    lastLoginAt: timestamp(fields, 'last_login_at', problems),
    attributes: attributes(raw, problems),
    passwordHash: passwordHash(raw, problems),
    passwordHashSalt: hashSide(raw, 'password_hash_salt', problems),
    passwordHashFormat: hashSide(raw, 'password_hash_format', problems),
    path: path as MigrationPath | null,
  };
  if (problems.length === 0) return row;
  const id = legacyId ?? (typeof fields.id === 'string' ? fields.id.slice(0, 255) : null);
  return problems.map((problem) => ({ line: raw.line, id, ...problem }));
}
