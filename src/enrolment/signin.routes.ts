import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ShortLivedStore } from '../storage/short-lived/short-lived-store.ts';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { AppError } from '../http/app-error.ts';
import { readCookie, setCookie, type CookieSecurity } from '../http/cookies.ts';
import { CsrfError, csrfMatches, presentedCsrfToken, SAFE_METHODS } from '../http/csrf.ts';
import type { VerifyService } from '../migration/verify/verify.service.ts';
import { InvalidCredentialsError, LegacyUnavailableAnswer, TooManyFailuresError, TotpRequiredError } from '../migration/verify/verify-errors.ts';
import type { SignInMethod } from './record-first-verification.ts';
import { ChallengeStore, SessionStore, type SessionBase } from '../http/session-store.ts';
import type { PublicPages } from './public-pages.ts';
import type { SignInService } from './signin.service.ts';

interface SignInSession extends SessionBase {
  email?: string;
  /** The last successful sign-in, for the confirmation page. */
  result?: { email: string | null; method: SignInMethod; codesLeft?: number };
}

const SIGNIN_COOKIE = 'cutover_signin';
const COOKIE_PATH = '/signin';

export interface SignInRoutesDeps {
  /** Sessions and WebAuthn challenges. */
  store: ShortLivedStore;
  prefix: string;
  verify: VerifyService;
  signIn: SignInService;
  pages: PublicPages;
  cookies: CookieSecurity;
}

const passwordForm = z.object({
  password: z.string().max(4096).default(''),
  code: z.string().max(20).default(''),
});

const DONE_KEYS = { passkey: 'signin.done.passkey', totp: 'signin.done.totp', password: 'signin.done.password', recovery_code: 'signin.done.recovery_code' } as const;

/**
 * /signin: how a user (or support, on the phone with them) confirms that the new sign-in works. Email first, then
 * a passkey, or the password (with the authenticator code for those who have one), or a recovery code. Passwords
 * go through the same verification service as /api/v1/verify, so bulk_hash and jit users sign in here too. Every
 * page answers the same for an unknown address: it asks for the same things and fails with the same words.
 */
export function signInRoutes(deps: SignInRoutesDeps): Router {
  const { pages } = deps;
  const sessions = new SessionStore<SignInSession>(deps.store, { prefix: deps.prefix, kind: 'signin', idleSeconds: 1800, absoluteSeconds: 3600 });
  const challenges = new ChallengeStore(deps.store, deps.prefix);
  const router = Router();
  router.use('/signin', express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }));

  /** Every sign-in page has a session, made on first visit, for its CSRF token and the passkey challenge. */
  const session = async (req: Request, res: Response, next: NextFunction) => {
    let current = await sessions.load(readCookie(req, SIGNIN_COOKIE));
    if (!current) {
      if (!SAFE_METHODS.has(req.method)) throw new CsrfError();
      current = await sessions.create({});
      setCookie(res, SIGNIN_COOKIE, current.id, { ...deps.cookies, path: COOKIE_PATH });
    }
    if (!SAFE_METHODS.has(req.method) && !csrfMatches(current.csrf, presentedCsrfToken(req))) throw new CsrfError();
    res.locals.signin = current;
    next();
  };
  const current = (res: Response) => res.locals.signin as SignInSession;
  const scripts = ['simplewebauthn-browser.js', 'signin-passkey.js'];

  const succeed = async (res: Response, s: SignInSession, result: SignInSession['result']) => {
    s.result = result;
    await sessions.save(s);
    res.redirect(303, '/signin/done');
  };

  router.get('/signin', session, async (req, res) => {
    const s = current(res);
    if (req.query.change !== undefined && s.email) {
      delete s.email;
      await sessions.save(s);
    }
    if (s.email && req.query.change === undefined) return res.redirect(303, '/signin/password');
    pages.render(res, pages.locale(req), 'enrol/signin', { titleKey: 'signin.title', csrf: s.csrf, scripts });
  });

  router.post('/signin', session, async (req, res) => {
    const s = current(res);
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().slice(0, 320) : '';
    if (!z.email().safeParse(email).success) {
      return pages.render(res, pages.locale(req), 'enrol/signin', { titleKey: 'signin.title', csrf: s.csrf, email, emailError: true, scripts }, 400);
    }
    s.email = email;
    await sessions.save(s);
    res.redirect(303, '/signin/password');
  });

  const showPassword = (req: Request, res: Response, errorKey?: string, status = 200, minutes?: number) => {
    const s = current(res);
    pages.render(res, pages.locale(req), 'enrol/signin-password', { titleKey: 'signin.title', csrf: s.csrf, email: s.email, errorKey, minutes, scripts }, status);
  };

  router.get('/signin/password', session, async (req, res) => {
    if (!current(res).email) return res.redirect(303, '/signin');
    showPassword(req, res);
  });

  router.post('/signin/password', session, async (req, res) => {
    const s = current(res);
    if (!s.email) return res.redirect(303, '/signin');
    const parsed = passwordForm.safeParse(req.body ?? {});
    const form = parsed.success ? parsed.data : { password: '', code: '' };
    const code = form.code.replace(/\s+/g, '');
    if (!form.password) return showPassword(req, res, 'signin.invalid', 400);
    try {
      const result = await deps.verify.verify({ login: s.email, password: form.password, ...(code ? { totp: code } : {}), ip: req.ip });
      return succeed(res, s, { email: result.user.email, method: result.method });
    } catch (error) {
      if (error instanceof TotpRequiredError) return showPassword(req, res, 'signin.totp_required', 401);
      if (error instanceof InvalidCredentialsError) return showPassword(req, res, 'signin.invalid', 401);
      if (error instanceof TooManyFailuresError) return showPassword(req, res, 'error.rate_limited', 429, Math.ceil(Number(error.options.headers?.['Retry-After'] ?? 60) / 60));
      if (error instanceof LegacyUnavailableAnswer) return showPassword(req, res, 'signin.unavailable', 503);
      throw error;
    }
  });

  router.post('/signin/passkey/options', session, async (_req, res) => {
    const s = current(res);
    const options = await deps.signIn.passkeyOptions();
    await challenges.put('signin', s.id, options.challenge);
    res.json(options);
  });

  router.post('/signin/passkey/verify', session, async (req, res) => {
    const s = current(res);
    const challenge = await challenges.take('signin', s.id, req.body);
    if (!challenge) throw new AppError('passkey_expired', 'The passkey request timed out: start again', 400);
    const result = await deps.signIn.completePasskey(req.body as AuthenticationResponseJSON, challenge, req.ip);
    if ('failed' in result) {
      if (result.failed === 'rate_limited') throw new AppError('too_many_attempts', 'Too many attempts', 429, { headers: { 'Retry-After': String(result.retryAfter) } });
      throw new AppError('passkey_failed', 'That passkey did not work here', 400);
    }
    s.result = { email: result.email, method: 'passkey' };
    s.email = result.email ?? s.email;
    await sessions.save(s);
    res.json({ next: '/signin/done' });
  });

  const showRecovery = (req: Request, res: Response, errorKey?: string, status = 200, minutes?: number) => {
    const s = current(res);
    pages.render(res, pages.locale(req), 'enrol/signin-recovery', { titleKey: 'signin.recovery_title', csrf: s.csrf, email: s.email, errorKey, minutes }, status);
  };

  router.get('/signin/recovery', session, async (req, res) => showRecovery(req, res));

  router.post('/signin/recovery', session, async (req, res) => {
    const s = current(res);
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().slice(0, 320) : '';
    const code = typeof req.body?.code === 'string' ? req.body.code.slice(0, 64) : '';
    s.email = email || s.email;
    if (!email || !code) return showRecovery(req, res, 'signin.recovery_invalid', 400);
    const result = await deps.signIn.withRecoveryCode(email, code, req.ip);
    if ('failed' in result) {
      return result.failed === 'rate_limited'
        ? showRecovery(req, res, 'error.rate_limited', 429, Math.ceil(result.retryAfter / 60))
        : showRecovery(req, res, 'signin.recovery_invalid', 401);
    }
    return succeed(res, s, { email: result.email, method: 'recovery_code', codesLeft: result.codesLeft });
  });

  router.get('/signin/done', session, async (req, res) => {
    const result = current(res).result;
    if (!result) return res.redirect(303, '/signin');
    pages.render(res, pages.locale(req), 'enrol/signin-done', {
      titleKey: 'signin.done_title', email: result.email, method: result.method, codesLeft: result.codesLeft, doneKey: DONE_KEYS[result.method],
    });
  });

  return router;
}
