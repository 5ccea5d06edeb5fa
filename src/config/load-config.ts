import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { envSchema, type Env } from './config.schema.ts';
import { rpIdProblem } from './check-rp-id.ts';

export interface Config extends Env {
  BASE_URL: string;
  /** The WebAuthn RP ID: WEBAUTHN_RP_ID, or BASE_URL's host. */
  WEBAUTHN_RP_ID: string;
  CUTOVER_SECRET: string;
  /** DATA_DIR as an absolute path. */
  dataDir: string;
  /** True when DATABASE_URL is unset and PGlite runs in-process. */
  embeddedDatabase: boolean;
}

export const SMTP_URL_REQUIRED = 'SMTP_URL: required when NODE_ENV=production (without it mail goes to the dev outbox)';

/** Startup stops with this: one message naming every bad key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads and validates the environment once. This is the only place that reads process.env.
 * In development CUTOVER_SECRET is generated and kept in DATA_DIR/secret; production refuses to start without it,
 * and without SMTP_URL.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(blanksRemoved);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${describe(String(issue.path[0]), env[String(issue.path[0])])})`);
  if (result.success && result.data.NODE_ENV === 'production' && !result.data.CUTOVER_SECRET) {
    problems.push('CUTOVER_SECRET: required when NODE_ENV=production (at least 32 random characters)');
  }
  if (result.success && result.data.NODE_ENV === 'production' && !result.data.SMTP_URL) problems.push(SMTP_URL_REQUIRED);
  if (!result.success) throw new ConfigError(problems);
  const baseUrl = (result.data.BASE_URL ?? `http://localhost:${result.data.PORT}`).replace(/\/+$/, '');
  // The RP ID is checked against BASE_URL's host (check-rp-id.ts); by default it is that host.
  const host = new URL(baseUrl).hostname;
  const rpId = result.data.WEBAUTHN_RP_ID ?? host;
  const rpProblem = rpIdProblem(rpId, host);
  if (rpProblem) problems.push(`WEBAUTHN_RP_ID: ${rpProblem} (got ${describe('WEBAUTHN_RP_ID', rpId)})`);
  if (problems.length > 0) throw new ConfigError(problems);

  const parsed = result.data;
  const dataDir = path.resolve(parsed.DATA_DIR);
  return {
    ...parsed,
    BASE_URL: baseUrl,
    WEBAUTHN_RP_ID: rpId,
    CUTOVER_SECRET: parsed.CUTOVER_SECRET ?? developmentSecret(dataDir),
    dataDir,
    embeddedDatabase: !parsed.DATABASE_URL,
  };
}

/** Says what a bad key held without ever echoing a secret or a URL that may carry a password. */
function describe(key: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  const secret = /SECRET|TOKEN|PASSWORD|SIGNING_KEY|DATABASE_URL|REDIS_URL|SMTP_URL/.test(key);
  return secret || value.length > 40 ? `${value.length} characters` : JSON.stringify(value);
}

/** The floor CUTOVER_SECRET has (config.schema.ts), which a development secret file must meet too. */
const SECRET_MIN = 32;

function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret');
  let existing: string;
  try {
    existing = readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    try {
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      existing = readFileSync(file, 'utf8').trim(); // another process wrote it first
    }
  }
  // An empty or cut-short file (a full disk, a bad copy) would key encryption at rest with next to nothing.
  if (existing.length < SECRET_MIN) {
    throw new ConfigError([`DATA_DIR/secret: ${file} holds ${existing.length} characters, fewer than ${SECRET_MIN}; restore it, or set CUTOVER_SECRET (deleting it makes a new one, and what the old one sealed can no longer be read)`]);
  }
  return existing;
}
