import { Router, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../http/app-error.ts';
import { loopbackOnly } from '../http/loopback-only.ts';
import { validate } from '../http/validate.ts';
import type { Queryable } from '../storage/db.ts';
import { findOutboxMail, latestOutboxMails, listOutboxMails } from './dev-outbox.repository.ts';
import { findLinks, splitLinks } from './find-links.ts';
import { renderDevOutboxPage } from './render-dev-outbox-page.ts';

const PAGE_SIZE = 50;
const id = z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a mail id').transform(Number);
const params = z.object({ id });
const listQuery = z.object({ before: id.optional() });
const jsonQuery = z.object({
  to: z.string().trim().min(1).max(320).optional(),
  limit: z.coerce.number().int().min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').default(10),
});

// No script may run on these pages; the mail's own HTML is further sandboxed in its frame.
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAIL_CSP = "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

function sendPage(res: Response, html: string): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('Referrer-Policy', 'no-referrer'); // mail links carry tokens
  res.type('html').send(html);
}

const utc = (date: Date) => date.toISOString().replace('T', ' ').slice(0, 16);

/**
 * The dev outbox, mounted only when mail goes there (never in production): a list of stored mail, each mail with
 * its HTML part in a sandboxed frame and its text part with clickable links, and JSON for tests and scripts.
 * The mail holds staff setup links and invitation links, so only a client on this machine may read it, unless
 * DEV_OUTBOX_PUBLIC=true.
 */
export function devOutboxRoutes(db: Queryable, options: { public: boolean }): Router {
  const router = Router();
  if (!options.public) {
    router.use(['/dev/outbox', '/dev/outbox.json'], loopbackOnly('The dev outbox answers only clients on this machine; set DEV_OUTBOX_PUBLIC=true to open it'));
  }

  router.get('/dev/outbox', async (req, res) => {
    const { before } = validate(listQuery, req.query);
    const rows = await listOutboxMails(db, { before, limit: PAGE_SIZE + 1 });
    const mails = rows.slice(0, PAGE_SIZE).map((mail) => ({ ...mail, createdAt: utc(mail.created_at) }));
    const olderThan = rows.length > PAGE_SIZE ? mails.at(-1)!.id : null;
    sendPage(res, renderDevOutboxPage('outbox-list', 'Outbox', { mails, olderThan, newerThan: before ?? null }));
  });

  router.get('/dev/outbox.json', async (req, res) => {
    const query = validate(jsonQuery, req.query);
    const mails = await latestOutboxMails(db, query);
    res.json({ mails: mails.map((mail) => ({ ...mail, links: findLinks(mail.text) })) });
  });

  router.get('/dev/outbox/:id', async (req, res) => {
    const mail = await findOutboxMail(db, validate(params, req.params).id);
    if (!mail) throw new NotFoundError('Mail');
    sendPage(res, renderDevOutboxPage('outbox-mail', mail.subject, {
      mail,
      headers: Object.entries(mail.headers).map(([name, value]) => ({ name, value })),
      createdAt: utc(mail.created_at),
      links: findLinks(mail.text),
      textParts: splitLinks(mail.text),
    }));
  });

  router.get('/dev/outbox/:id/html', async (req, res) => {
    const mail = await findOutboxMail(db, validate(params, req.params).id);
    if (!mail) throw new NotFoundError('Mail');
    res.setHeader('Content-Security-Policy', MAIL_CSP);
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Links in the preview open a new tab instead of the small frame.
    res.type('html').send(mail.html.replace(/<head>/i, '<head><base target="_blank">'));
  });

  return router;
}
