import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface StaffSession {
  /** The cookie value: 256 random bits. Redis keys hold only its hash, so a Redis dump opens no session. */
  id: string;
  staffId: string;
  /** The synchronizer token every unsafe request made with this session must carry. */
  csrf: string;
  createdAt: number;
  /** A one-time message for the next page ("Staff member added"), with a link to show once. */
  flash?: Flash;
}

export interface Flash {
  message: string;
  link?: string;
}

export interface StaffSessionOptions {
  prefix: string;
  /** @defaultValue 1800 (30 minutes without a request) */
  idleSeconds?: number;
  /** @defaultValue 43200 (12 hours after sign-in, however busy) */
  absoluteSeconds?: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Staff sessions in Redis, expiring after the idle timeout (renewed on each use) or the absolute limit. */
export class StaffSessionStore {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;

  constructor(private readonly redis: Redis, private readonly options: StaffSessionOptions) {
    this.idleSeconds = options.idleSeconds ?? 1800;
    this.absoluteSeconds = options.absoluteSeconds ?? 43_200;
  }

  private key(id: string): string {
    return `${this.options.prefix}:staff-session:${createHash('sha256').update(id).digest('base64url')}`;
  }

  async create(staffId: string): Promise<StaffSession> {
    const session: StaffSession = {
      id: randomBytes(32).toString('base64url'), staffId, csrf: randomBytes(32).toString('base64url'), createdAt: Date.now(),
    };
    await this.redis.set(this.key(session.id), JSON.stringify(withoutId(session)), 'EX', this.idleSeconds);
    return session;
  }

  /** The live session for a cookie value, its idle clock reset; null when unknown, idle too long or too old. */
  async load(id: string): Promise<StaffSession | null> {
    if (!SESSION_ID.test(id)) return null;
    const key = this.key(id);
    const stored = await this.redis.get(key);
    if (!stored) return null;
    const session = { ...(JSON.parse(stored) as Omit<StaffSession, 'id'>), id };
    const left = session.createdAt + this.absoluteSeconds * 1000 - Date.now();
    if (left <= 0) {
      await this.redis.del(key);
      return null;
    }
    await this.redis.pexpire(key, Math.min(this.idleSeconds * 1000, left));
    return session;
  }

  async setFlash(session: StaffSession, flash: Flash | undefined): Promise<void> {
    session.flash = flash;
    await this.redis.set(this.key(session.id), JSON.stringify(withoutId(session)), 'KEEPTTL', 'XX');
  }

  /** Reads the flash message and clears it, so it shows once. */
  async takeFlash(session: StaffSession): Promise<Flash | undefined> {
    const flash = session.flash;
    if (flash !== undefined) await this.setFlash(session, undefined);
    return flash;
  }

  async destroy(id: string): Promise<void> {
    if (SESSION_ID.test(id)) await this.redis.del(this.key(id));
  }
}

function withoutId(session: StaffSession): Omit<StaffSession, 'id'> {
  const { id: _id, ...rest } = session;
  return rest;
}
