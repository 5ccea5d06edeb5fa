import path from 'node:path';
import { LOCALES_DIR } from '../i18n/message-catalog.ts';
import type { MailContext } from './mail-context.ts';
import { loadMailTemplates, MAIL_KINDS, renderMailParts, TEMPLATES_DIR } from './mail-templates.ts';
import { mailView } from './mail-view.ts';
import { DEFAULT_MAIL_LOCALE } from './resolve-mail-locale.ts';

const SAMPLE: MailContext = {
  org: { name: 'Example Ltd', supportEmail: 'support@example.com', supportUrl: 'https://example.com/help' },
  user: { givenName: 'Ann', name: 'Ann Smith', email: 'ann@example.com' },
  link: 'https://example.com/enrol#sample',
  expiresAt: new Date('2026-12-04T16:00:00Z'),
  timezone: 'Europe/Berlin',
  reminderNumber: 2,
  method: 'passkey',
};

/**
 * Startup check: every template file is there, and every kind renders in every locale (the locale files
 * themselves are checked by checkLocales). Throws naming the missing files or the template that failed, so a
 * broken deploy stops at once rather than at the first send job.
 */
export function checkTemplates(dir: string = TEMPLATES_DIR, localesDir: string = LOCALES_DIR): void {
  const templates = loadMailTemplates(dir, localesDir);
  if (templates.missing.length > 0) {
    throw new Error(`Mail templates missing: ${templates.missing.map((file) => path.join(dir, file)).join(', ')}`);
  }
  if (!templates.locales.includes(DEFAULT_MAIL_LOCALE)) {
    throw new Error(`No "${DEFAULT_MAIL_LOCALE}" messages under ${localesDir}: every other locale falls back to them`);
  }
  for (const locale of templates.locales) {
    for (const kind of MAIL_KINDS) {
      for (const method of ['passkey', 'totp'] as const) {
        try {
          renderMailParts(templates, locale, kind, mailView(kind, { ...SAMPLE, method }, locale, [locale]));
        } catch (error) {
          throw new Error(`Mail ${path.join(dir, kind)}.* does not render in ${locale}: ${(error as Error).message}`);
        }
      }
    }
  }
}
