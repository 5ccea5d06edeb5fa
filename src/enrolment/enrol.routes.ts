import { createHmac } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ShortLivedStore } from '../storage/short-lived/short-lived-store.ts';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { AppError } from '../http/app-error.ts';
import { clearCookie, readCookie, setCookie, type CookieSecurity } from '../http/cookies.ts';
import { CsrfError, csrfMatches, FormTokens, presentedCsrfToken, SAFE_METHODS } from '../http/csrf.ts';
import { deriveKey, type SecretBox } from '../identity/secret-box.ts';
import type { VerifyFailureLimiter } from '../migration/verify/verify-failure-limiter.ts';
import type { Db } from '../storage/db.ts';
import type { AttemptCounter } from '../storage/attempt-counter.ts';
import { addressBlock } from '../http/address-block.ts';
import type { QueueSystem } from '../queue/queue-system.ts';
import type { Logger } from '../observability/logger.ts';
import { detectPlatform } from './detect-platform.ts';
import { isTimeZone } from '../identity/is-time-zone.ts';
import { USER_PASSWORD_MIN, type EnrolmentService, type LiveInvitation } from './enrolment.service.ts';
import { ChallengeStore, SessionStore, type SessionBase } from '../http/session-store.ts';
import type { PageLocale, PublicPages } from './public-pages.ts';
import { requestNewLink } from './request-new-link.ts';

export interface EnrolSession extends SessionBase {
  invitationId: string;
  userId: string;
  /** Which mail's link opened it: invitation, reminder_1 … */
  mail: string;
  startedMethods: string[];
  /** The authenticator secret offered on /enrol/app (sealed), so that a reload shows the same QR code. */
  totpSecret?: string;
  /** Set when enrolment is done: the method, and the recovery codes (sealed) until the user says they saved them. */
  completed?: { method: 'passkey' | 'totp'; email: string; locale: PageLocale; codes?: string };
}

export const ENROL_COOKIE = 'cutover_enrol';
const COOKIE_PATH = '/enrol';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Forms hold a few short fields; WebAuthn responses are JSON of a few KiB (the app's JSON parser caps them). */
const FORM_LIMIT = '8kb';
/** New-link requests: per address per hour (then a 429 page), and per email a day (then silently nothing). */
const NEW_LINK_PER_IP_HOUR = 10;
const NEW_LINK_PER_EMAIL_DAY = 3;

export interface EnrolRoutesDeps {
  db: Db;
  /** Sessions and WebAuthn challenges. */
  store: ShortLivedStore;
  /** Counts new-link requests (per address, per email). */
  attempts: AttemptCounter;
  prefix: string;
  enrolment: EnrolmentService;
  pages: PublicPages;
  box: SecretBox;
  cookies: CookieSecurity;
  secret: string;
  /**
   * Unknown or dead links per address (an IPv6 client by its /64): guessing is hopeless (256-bit tokens), but it
   * should not be free. Only misses count, and a live link always opens.
   */
  linkLimiter: VerifyFailureLimiter;
  orgName: string;
  queues: QueueSystem;
  logger: Logger;
}

declare module 'express-serve-static-core' {
  interface Request {
    enrol?: { session: EnrolSession; invitation: LiveInvitation | null };
  }
}

const appForm = z.object({
  password: z.string().max(1024).default(''),
  confirm: z.string().max(1024).default(''),
  code: z.string().max(20).default(''),
});

/**
 * The hosted re-enrolment flow an invitation mail links to:
 *   GET  /enrol/:token          the mail's link: a session for its invitation, then 303 to /enrol (the token
 *                               leaves the address bar and is never sent as a Referer)
 *   GET  /enrol                 greeting, and the choice of passkey or authenticator app
 *   POST /enrol/passkey/options the WebAuthn creation options (JSON, X-CSRF-Token)
 *   POST /enrol/passkey/verify  the browser's answer; enrols on success
 *   POST /enrol/method          "use an authenticator app" (records started; works without JavaScript)
 *   GET|POST /enrol/app         new password, QR code and the first code
 *   GET|POST /enrol/recovery-codes, GET /enrol/recovery-codes.txt, GET /enrol/done
 *   POST /enrol/new-link        "email me a new link" from the expired-link page
 */
export function enrolRoutes(deps: EnrolRoutesDeps): Router {
  const { enrolment, pages } = deps;
  const sessions = new SessionStore<EnrolSession>(deps.store, { prefix: deps.prefix, kind: 'enrol', idleSeconds: 3600, absoluteSeconds: 4 * 3600 });
  const challenges = new ChallengeStore(deps.store, deps.prefix);
  // The per-email count of new-link requests is kept under a keyed digest: whoever reads the store cannot tell, nor
  // confirm by hashing a guess, who asked for a link.
  const emailKeyKey = deriveKey(deps.secret, 'cutover new-link email key v1');
  const emailKey = (email: string) => createHmac('sha256', emailKeyKey).update(email.toLowerCase()).digest('base64url').slice(0, 22);
  const linkForms = new FormTokens(deps.secret, { secure: deps.cookies.secure, path: COOKIE_PATH, name: 'cutover_link_form' });
  const router = Router();
  router.use('/enrol', express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 20 }));

  const localeOf = (req: Request, invitation?: LiveInvitation | null) => pages.locale(req, invitation?.locale ?? invitation?.campaignLocale);

  const linkInvalid = (req: Request, res: Response, status = 410, extra: Record<string, unknown> = {}) => {
    pages.render(res, localeOf(req), 'enrol/link-invalid', { titleKey: 'link.title', formToken: linkForms.issue(req, res), ...extra }, status);
  };

  /** Loads the session; with `live`, also the invitation, which must still be open (support may have revoked it). */
  const withSession = (live: boolean) => async (req: Request, res: Response, next: NextFunction) => {
    const session = await sessions.load(readCookie(req, ENROL_COOKIE));
    if (!session) return linkInvalid(req, res);
    if (!SAFE_METHODS.has(req.method) && !csrfMatches(session.csrf, presentedCsrfToken(req))) throw new CsrfError();
    const invitation = live ? await enrolment.live(session.invitationId) : null;
    if (live && !invitation) {
      if (session.completed) return res.redirect(303, '/enrol/done');
      await sessions.destroy(session.id);
      clearCookie(res, ENROL_COOKIE, { ...deps.cookies, path: COOKIE_PATH });
      if (req.path.includes('/passkey/')) throw new AppError('link_invalid', 'This link has expired or was already used', 410);
      return linkInvalid(req, res);
    }
    req.enrol = { session, invitation };
    next();
  };
  const live = withSession(true);
  const done = withSession(false);

  const started = async (session: EnrolSession, invitation: LiveInvitation, method: 'passkey' | 'totp') => {
    if (session.startedMethods.includes(method)) return;
    await enrolment.recordStarted(invitation, method, session.mail);
    session.startedMethods.push(method);
    await sessions.save(session);
  };

  router.get('/enrol', live, async (req, res) => {
    const { session, invitation } = req.enrol!;
    const inv = invitation!;
    const locale = localeOf(req, inv);
    pages.render(res, locale, 'enrol/choose', {
      titleKey: 'choose.title', csrf: session.csrf, name: inv.givenName ?? inv.name, email: inv.email,
      expires: formatDate(inv.expiresAt, locale, inv.timezone), offerPasskey: inv.methods.includes('passkey'), offerApp: inv.methods.includes('totp'),
      scripts: inv.methods.includes('passkey') ? ['simplewebauthn-browser.js', 'enrol-passkey.js'] : [],
    });
  });

  router.post('/enrol/method', live, async (req, res) => {
    const { session, invitation } = req.enrol!;
    const method = req.body?.method === 'passkey' ? 'passkey' : 'totp';
    if (!invitation!.methods.includes(method)) throw new AppError('invalid_request', 'This method is not offered', 400);
    await started(session, invitation!, method);
    res.redirect(303, method === 'totp' ? '/enrol/app' : '/enrol');
  });

  router.post('/enrol/passkey/options', live, async (req, res) => {
    const { session, invitation } = req.enrol!;
    if (!invitation!.methods.includes('passkey')) throw new AppError('invalid_request', 'Passkeys are not offered', 400);
    await started(session, invitation!, 'passkey');
    const options = await enrolment.passkeyOptions(invitation!);
    await challenges.put('enrol', session.id, options.challenge);
    res.json(options);
  });

  router.post('/enrol/passkey/verify', live, async (req, res) => {
    const { session, invitation } = req.enrol!;
    const challenge = await challenges.take('enrol', session.id, req.body);
    if (!challenge) throw new AppError('passkey_expired', 'The passkey request timed out: start again', 400);
    const codes = await enrolment.completePasskey(invitation!, req.body as RegistrationResponseJSON, challenge, detectPlatform(req.get('user-agent')), session.mail);
    await complete(req, session, invitation!, 'passkey', codes);
    res.json({ next: '/enrol/recovery-codes' });
  });

  const complete = async (req: Request, session: EnrolSession, invitation: LiveInvitation, method: 'passkey' | 'totp', codes: string[]) => {
    // After the commit; if the process dies in between, only this notice is lost, never the enrolment.
    await deps.queues.add('enrolment.confirm', { invitationId: invitation.invitationId }, { jobId: `enrolled-${invitation.invitationId}` })
      .catch((error: unknown) => deps.logger.warn({ err: error, invitation: invitation.invitationId }, 'could not queue the enrolled notice'));
    session.completed = { method, email: invitation.email, locale: localeOf(req, invitation), codes: deps.box.encrypt(codes.join('\n'), `codes:${session.id}`) };
    delete session.totpSecret;
    await sessions.save(session);
  };

  const showApp = async (req: Request, res: Response, errors: Record<string, string> = {}, status = 200) => {
    const { session, invitation } = req.enrol!;
    const inv = invitation!;
    if (!session.totpSecret) {
      session.totpSecret = enrolment.newSealedTotpSecret(inv);
      await sessions.save(session);
    }
    const { secret, qrSvg } = await enrolment.totpPage(inv, session.totpSecret);
    pages.render(res, localeOf(req, inv), 'enrol/app', {
      titleKey: 'app.title', csrf: session.csrf, email: inv.email, qrSvg, secret: secret.match(/.{1,4}/g)!.join(' '),
      minLength: USER_PASSWORD_MIN, errors, hasErrors: Object.keys(errors).length > 0, offerPasskey: inv.methods.includes('passkey'),
    }, status);
  };

  router.get('/enrol/app', live, async (req, res) => {
    const { session, invitation } = req.enrol!;
    if (!invitation!.methods.includes('totp')) return res.redirect(303, '/enrol');
    await started(session, invitation!, 'totp'); // also when the page is opened straight, without the choice page
    await showApp(req, res);
  });

  router.post('/enrol/app', live, async (req, res) => {
    const { session, invitation } = req.enrol!;
    const inv = invitation!;
    if (!session.totpSecret || !inv.methods.includes('totp')) return res.redirect(303, '/enrol/app');
    const parsed = appForm.safeParse(req.body ?? {});
    const form = parsed.success ? parsed.data : { password: '', confirm: '', code: '' };
    const result = await enrolment.completeTotp(inv, session.totpSecret, form, detectPlatform(req.get('user-agent')), session.mail);
    if ('codes' in result) {
      await complete(req, session, inv, 'totp', result.codes);
      return res.redirect(303, '/enrol/recovery-codes');
    }
    const locale = localeOf(req, inv);
    const errors: Record<string, string> = {};
    if (result.password) errors.password = pages.t(locale, 'app.password_invalid', { reason: pages.t(locale, `password.${result.password.code}`, result.password) });
    if (result.problems.confirm) errors.confirm = pages.t(locale, 'app.confirm_mismatch');
    if (result.problems.code) errors.code = pages.t(locale, result.problems.code === 'locked' ? 'app.code_locked' : 'app.code_invalid');
    await showApp(req, res, errors, result.problems.code === 'locked' ? 429 : 400);
  });

  const codesOf = (session: EnrolSession): string[] | null =>
    session.completed?.codes ? deps.box.decrypt(session.completed.codes, `codes:${session.id}`).split('\n') : null;

  router.get('/enrol/recovery-codes', done, async (req, res) => {
    const { session } = req.enrol!;
    const codes = codesOf(session);
    if (!session.completed) return res.redirect(303, '/enrol');
    if (!codes) return res.redirect(303, '/enrol/done');
    pages.render(res, session.completed.locale, 'enrol/recovery-codes', { titleKey: 'codes.title', csrf: session.csrf, codes, scripts: ['recovery-codes.js'] });
  });

  router.get('/enrol/recovery-codes.txt', done, async (req, res) => {
    const { session } = req.enrol!;
    const codes = codesOf(session);
    if (!codes || !session.completed) return res.redirect(303, '/enrol/done');
    const heading = pages.t(session.completed.locale, 'codes.file_heading', { email: session.completed.email, org: deps.orgName });
    res.type('text/plain').attachment('recovery-codes.txt').send(`${heading}\n\n${codes.join('\n')}\n`);
  });

  router.post('/enrol/recovery-codes', done, async (req, res) => {
    const { session } = req.enrol!;
    if (session.completed) {
      delete session.completed.codes;
      await sessions.save(session);
    }
    res.redirect(303, '/enrol/done');
  });

  router.get('/enrol/done', done, async (req, res) => {
    const { session } = req.enrol!;
    if (!session.completed) return res.redirect(303, '/enrol');
    if (session.completed.codes) return res.redirect(303, '/enrol/recovery-codes');
    pages.render(res, session.completed.locale, 'enrol/done', { titleKey: 'done.title', method: session.completed.method });
  });

  router.post('/enrol/new-link', linkForms.check, async (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().slice(0, 320) : '';
    if (!z.email().safeParse(email).success) return linkInvalid(req, res, 400, { email, emailError: true });
    // Counted first; an address that must wait does not count against the email too.
    const perIp = await deps.attempts.countAttempt(`${deps.prefix}:new-link:ip:${addressBlock(req.ip ?? '')}`, 3600);
    if (perIp.count > NEW_LINK_PER_IP_HOUR) throw new AppError('too_many_attempts', 'Too many requests', 429, { headers: { 'Retry-After': String(Math.max(60, perIp.ttl)) } });
    const perEmail = await deps.attempts.countAttempt(`${deps.prefix}:new-link:email:${emailKey(email)}`, 86_400);
    // The answer is the same whether or not anything is sent.
    if (perEmail.count <= NEW_LINK_PER_EMAIL_DAY) await requestNewLink(deps.db, email);
    pages.render(res, pages.locale(req), 'enrol/link-sent', { titleKey: 'link.sent.title', email });
  });

  // Last: the mail's link itself. Anything else under /enrol/ that is not a well-formed token is an unknown link.
  // A live link opens whatever anyone else has asked for: its lookup is one indexed read, so it needs no limit,
  // and a miss counts against the asking address alone (never one key for everybody).
  router.get('/enrol/:token', async (req, res) => {
    const token = String(req.params.token);
    const opened = TOKEN.test(token) ? await enrolment.openLink(token) : null;
    if (!opened) {
      const retryAfter = await deps.linkLimiter.attempt(null, req.ip);
      if (retryAfter > 0) throw new AppError('too_many_attempts', 'Too many requests', 429, { headers: { 'Retry-After': String(retryAfter) } });
      return linkInvalid(req, res);
    }
    const previous = await sessions.load(readCookie(req, ENROL_COOKIE));
    if (previous) await sessions.destroy(previous.id);
    const session = await sessions.create({ invitationId: opened.invitationId, userId: opened.userId, mail: opened.mail, startedMethods: [] });
    setCookie(res, ENROL_COOKIE, session.id, { ...deps.cookies, path: COOKIE_PATH });
    res.redirect(303, '/enrol');
  });

  return router;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "4 December 2026 at 17:00 CET", in the user's time zone when we know a valid one. Formatters are cached: making one costs more than the rest of the page. */
function formatDate(date: Date, locale: string, timeZone: string | null): string {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : 'UTC';
  const key = `${locale}|${zone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, {
      day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone: zone,
    });
    if (dateFormats.size < 1000) dateFormats.set(key, format);
  }
  return format.format(date);
}

