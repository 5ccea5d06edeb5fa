import type { Request, Response } from 'express';

/** One cookie from the Cookie header (RFC 6265 §5.4), or undefined. Values are not URL-decoded: ours are base64url. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

export interface CookieSecurity {
  /** Send only over https: true when BASE_URL is https. */
  secure: boolean;
}

/** HttpOnly and SameSite=Lax always; no Max-Age, so the browser forgets it on close (the server expires it sooner). */
export function setCookie(res: Response, name: string, value: string, options: CookieSecurity & { path?: string }): void {
  res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: options.path ?? '/' });
}

export function clearCookie(res: Response, name: string, options: CookieSecurity & { path?: string }): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: options.path ?? '/' });
}
