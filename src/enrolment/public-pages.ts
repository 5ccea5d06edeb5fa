import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from '../observability/logger.ts';
import { loggablePath } from '../http/request-log.ts';
import { resolveMailLocale } from '../mail/resolve-mail-locale.ts';
import type { Views } from '../console/views.ts';
import { knownPageError } from '../console/console-error-page.ts';
import { loadCatalog, type MessageCatalog, type MessageValues } from '../i18n/message-catalog.ts';

/** A locale with a folder under locales/ ("en", "de"). */
export type PageLocale = string;

/** What the end-user pages share: the views, who to write to, and the language. */
export class PublicPages {
  constructor(private readonly views: Views, private readonly supportEmail: string, private readonly catalog: MessageCatalog = loadCatalog()) {}

  /**
   * The user's own locale when we ship it ("de-AT" → "de"), else the browser's Accept-Language ("fr-CA" matches
   * "fr"), else English.
   */
  locale(req: Request, userLocale?: string | null): PageLocale {
    if (userLocale) {
      const resolved = resolveMailLocale(userLocale, this.catalog.locales);
      if (!resolved.fellBack) return resolved.locale;
    }
    // English first: with no Accept-Language, express answers the first one offered.
    return req.acceptsLanguages('en', ...this.catalog.locales.filter((locale) => locale !== 'en')) || 'en';
  }

  /** One message from locales/<locale>/pages.json, ICU-formatted; for words made in code (errors, file contents). */
  t(locale: PageLocale, key: string, values?: MessageValues): string {
    return this.catalog.format(locale, key, values);
  }

  render(res: Response, locale: PageLocale, view: string, data: Record<string, unknown>, status = 200): void {
    const title = typeof data.titleKey === 'string' ? this.t(locale, data.titleKey) : data.title;
    const translate = (key: string, values?: MessageValues) => this.t(locale, key, values);
    res.status(status).type('html').set('Content-Language', locale).send(this.views.render(view, {
      lang: locale, translate, supportEmail: this.supportEmail, ...data, title,
    }, 'public'));
  }

  /**
   * The error boundary for /enrol and /signin: a page in the user's language for forms and links, JSON for the
   * passkey scripts. Nothing internal is ever shown.
   */
  errorHandler(logger: Logger): ErrorRequestHandler {
    return (error, req, res, _next) => {
      const known = knownPageError(error);
      if (!known || !known.expose) logger.error({ err: error, method: req.method, path: loggablePath(req.originalUrl.split('?')[0]!) }, 'end-user page failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = known?.expose ? known.status : 500;
      for (const [name, value] of Object.entries(known?.options.headers ?? {})) res.setHeader(name, value);
      if (req.path.includes('/passkey/')) {
        res.status(status).json({ error: known?.expose ? known.code : 'internal_error' });
        return;
      }
      const locale = this.locale(req);
      const key = known?.code === 'csrf_failed' ? 'error.csrf'
        : status === 413 ? 'error.too_large'
          : status === 404 ? 'error.not_found'
            : status === 429 ? 'error.rate_limited'
              : 'error.generic';
      const minutes = Math.max(1, Math.ceil(Number(known?.options.headers?.['Retry-After'] ?? 60) / 60));
      this.render(res, locale, 'enrol/error', {
        titleKey: known?.code === 'csrf_failed' ? 'error.csrf.title' : 'error.title', messageKey: key, minutes,
        home: req.path.startsWith('/signin') ? '/signin' : '/enrol',
      }, status);
    };
  }
}
