import type { ShortLivedStore } from '../storage/short-lived/short-lived-store.ts';
import { SessionStore } from './session-store.ts';

export interface StaffSession {
  /** The cookie value: 256 random bits. Store keys hold only its hash, so a dump of the store opens no session. */
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

/** Staff sessions: the shared session store, expiring after the idle timeout (renewed on each use) or the absolute limit, with a flash message. */
export class StaffSessionStore extends SessionStore<StaffSession> {
  constructor(store: ShortLivedStore, options: StaffSessionOptions) {
    super(store, { prefix: options.prefix, kind: 'staff', idleSeconds: options.idleSeconds ?? 1800, absoluteSeconds: options.absoluteSeconds ?? 43_200 });
  }

  /** A new session for a staff member who just signed in. */
  override create(staff: string | { staffId: string }): Promise<StaffSession> {
    return super.create(typeof staff === 'string' ? { staffId: staff } : staff);
  }

  async setFlash(session: StaffSession, flash: Flash | undefined): Promise<void> {
    session.flash = flash;
    const { id, ...rest } = session;
    await this.store.replace(this.key(id), JSON.stringify(rest));
  }

  /** Reads the flash message and clears it, so it shows once. */
  async takeFlash(session: StaffSession): Promise<Flash | undefined> {
    const flash = session.flash;
    if (flash !== undefined) await this.setFlash(session, undefined);
    return flash;
  }
}
