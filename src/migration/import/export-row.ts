import type { LegacyHashInput } from '../../identity/hashes/hash-family.ts';

export const PATHS = ['bulk_hash', 'jit', 'reset'] as const;
export type MigrationPath = (typeof PATHS)[number];

/** The keys an export row may carry. Anything else is ignored and counted in the summary. */
export const KNOWN_FIELDS = new Set([
  'id', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'locale', 'timezone', 'phone',
  'created_at', 'last_login_at', 'attributes', 'password_hash', 'password_hash_salt', 'password_hash_format', 'path',
]);

/** One validated export row, before classification. */
export interface ExportRow {
  line: number;
  legacyId: string;
  email: string;
  emailVerified: boolean | null;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  locale: string | null;
  timezone: string | null;
  phone: string | null;
  createdAt: string | null;
  lastLoginAt: string | null;
  attributes: Record<string, unknown>;
  passwordHash: LegacyHashInput | null;
  /** The salt (PostgreSQL: the role name) when the export keeps it in a column of its own. */
  passwordHashSalt: string | null;
  /** The hash family named outright, as the summary's `hash_formats` labels it. */
  passwordHashFormat: string | null;
  path: MigrationPath | null;
}

export interface RowError {
  line: number;
  id: string | null;
  field: string;
  reason: string;
  /** Set on a hash refused because several families write it: the summary counts these apart. */
  ambiguousHash?: true;
}

/** A row as the parser hands it over: its line number and its fields (JSON values, or CSV text). */
export interface RawRow {
  line: number;
  fields: Record<string, unknown>;
  /** CSV cells are text: `attributes` and an object `password_hash` arrive as JSON text. */
  fromCsv: boolean;
}
