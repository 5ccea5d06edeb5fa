import type { Logger } from './logger.ts';

/** Error codes and messages that mean "the server is not there", as opposed to a bad command. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', '57P01', '57P03']);

export function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && CONNECTION_CODES.has(code)) return true;
  return /connection is closed|connection terminated|connect ECONNREFUSED|getaddrinfo|socket hang up|Connection lost|timeout exceeded when trying to connect|max retries per request|Stream isn't writeable|enableOfflineQueue/i.test(message ?? '');
}

/**
 * Logs a store's connection problems once per change of state: one warning when it goes away (with the address,
 * credentials masked, and the reason), one line when it is back. ioredis and pg retry on their own, and each retry
 * would otherwise log a stack.
 */
export class ConnectionWatch {
  private down = false;

  constructor(private readonly logger: Logger, private readonly what: string, private readonly address: string) {}

  lost(error: unknown): void {
    if (this.down) return;
    this.down = true;
    const reason = (error as { code?: string; message?: string })?.code ?? (error as Error)?.message ?? String(error);
    this.logger.warn({ store: this.what, address: this.address || undefined, reason }, `${this.where} is unreachable (${reason}); retrying in the background`);
  }

  back(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info({ store: this.what, address: this.address || undefined }, `${this.where} is reachable again`);
  }

  private get where(): string {
    return this.address ? `${this.what} at ${this.address}` : this.what;
  }

  get isDown(): boolean {
    return this.down;
  }
}
