import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Replay window for every signed timestamp: older (or further ahead) than this is refused. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

/**
 * Constant-time comparison of two strings or byte strings of any length: both sides are hashed first, so neither
 * the content nor the length of the expected value leaks through timing.
 */
export function safeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && Buffer.byteLength(given) === Buffer.byteLength(expected);
}

export function hmac(algorithm: 'sha1' | 'sha256', secret: string, ...parts: Array<string | Buffer>): Buffer {
  const mac = createHmac(algorithm, secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** True when `atMs` is within REPLAY_WINDOW_MS of now, either way. */
export function isFresh(atMs: number, nowMs = Date.now()): boolean {
  return Number.isFinite(atMs) && Math.abs(nowMs - atMs) <= REPLAY_WINDOW_MS;
}

/** Why a webhook was refused (for the log line; the caller only ever sees 401). */
export type Refusal = string | null;
