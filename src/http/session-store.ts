import { createHash, randomBytes } from 'node:crypto';
import type { ShortLivedStore } from '../storage/short-lived/short-lived-store.ts';

/** The fields every session has; each kind (staff, enrol, signin) adds its own. */
export interface SessionBase {
  /** The cookie value: 256 random bits. Store keys hold only its hash. */
  id: string;
  /** The synchronizer token every form and script request of this session carries. */
  csrf: string;
  createdAt: number;
}

export interface SessionOptions {
  prefix: string;
  /** Names the keys: `staff`, `enrol`, `signin`. */
  kind: string;
  idleSeconds: number;
  absoluteSeconds: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions in the short-lived store (Redis or PostgreSQL): created by the server, renewed on each use, gone after
 * the idle or absolute limit. Keys hold only a hash of the cookie value, so a dump of the store opens no session. Each kind has its own keys, so that no
 * end-user cookie opens the console.
 */
export class SessionStore<T extends SessionBase> {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;

  constructor(protected readonly store: ShortLivedStore, private readonly options: SessionOptions) {
    this.idleSeconds = options.idleSeconds;
    this.absoluteSeconds = options.absoluteSeconds;
  }

  key(id: string): string {
    return `${this.options.prefix}:${this.options.kind}-session:${createHash('sha256').update(id).digest('base64url')}`;
  }

  async create(fields: Omit<T, keyof SessionBase>): Promise<T> {
    const session = { ...fields, id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), createdAt: Date.now() } as T;
    await this.save(session);
    return session;
  }

  async load(id: string | undefined): Promise<T | null> {
    if (!id || !SESSION_ID.test(id)) return null;
    const key = this.key(id);
    // One round trip reads it and renews the idle clock; the absolute limit is checked after.
    const stored = await this.store.getAndRenew(key, this.idleSeconds * 1000);
    if (!stored) return null;
    const session = { ...(JSON.parse(stored) as Omit<T, 'id'>), id } as T;
    if (session.createdAt + this.absoluteSeconds * 1000 <= Date.now()) {
      await this.store.delete(key);
      return null;
    }
    return session;
  }

  async save(session: T): Promise<void> {
    const { id, ...rest } = session;
    await this.store.set(this.key(id), JSON.stringify(rest), this.idleSeconds * 1000);
  }

  async destroy(id: string): Promise<void> {
    if (SESSION_ID.test(id)) await this.store.delete(this.key(id));
  }
}

/**
 * WebAuthn challenges, bound to the session that asked for them, single use (an atomic take) and gone after 5 minutes, so
 * a response can be verified once and never replayed. A session may hold several at once (passkey autofill waits
 * with one while a button starts another); the response names which one it answers, in its clientDataJSON.
 */
export class ChallengeStore {
  static readonly TTL_SECONDS = 300;

  constructor(private readonly store: ShortLivedStore, private readonly prefix: string) {}

  private key(purpose: string, sessionId: string, challenge: string): string {
    return `${this.prefix}:webauthn-challenge:${purpose}:${createHash('sha256').update(`${sessionId}:${challenge}`).digest('base64url')}`;
  }

  async put(purpose: string, sessionId: string, challenge: string): Promise<void> {
    await this.store.set(this.key(purpose, sessionId, challenge), '1', ChallengeStore.TTL_SECONDS * 1000);
  }

  /** The challenge the response answers, if this session was given it and has not used it; null otherwise. */
  async take(purpose: string, sessionId: string, response: unknown): Promise<string | null> {
    const challenge = challengeOf(response);
    if (!challenge) return null;
    return (await this.store.take(this.key(purpose, sessionId, challenge))) ? challenge : null;
  }
}

/** The challenge a WebAuthn response signed, from its base64url clientDataJSON; null if there is none. */
export function challengeOf(response: unknown): string | null {
  const encoded = (response as { response?: { clientDataJSON?: unknown } } | null)?.response?.clientDataJSON;
  if (typeof encoded !== 'string' || encoded.length > 4096) return null;
  try {
    const challenge = (JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge;
    return typeof challenge === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(challenge) ? challenge : null;
  } catch {
    return null;
  }
}
