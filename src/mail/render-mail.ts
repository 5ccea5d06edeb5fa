import { LOCALES_DIR } from '../i18n/message-catalog.ts';
import type { MailContext, MailKind, RenderedMail } from './mail-context.ts';
import { loadMailTemplates, renderMailParts, TEMPLATES_DIR } from './mail-templates.ts';
import { mailView } from './mail-view.ts';
import { canonicalLocale, resolveMailLocale } from './resolve-mail-locale.ts';

export type { MailContext, MailKind, RenderedMail };
export { templateLocales } from './mail-templates.ts';
export { checkTemplates } from './check-templates.ts';

/**
 * Renders one mail in the user's locale (its words from locales/<locale>/mail.json): exact tag, then language, then
 * English (`fellBack`). Dates are formatted in the user's own locale when its language matched ("de-AT"), else
 * in the messages' locale.
 * Throws when `context` lacks what `kind` needs (a link, an expiry, a reminder number, a method).
 */
export function renderMail(kind: MailKind, locale: string | null, context: MailContext, templatesDir: string = TEMPLATES_DIR, localesDir: string = LOCALES_DIR): RenderedMail {
  const templates = loadMailTemplates(templatesDir, localesDir);
  const resolved = resolveMailLocale(locale, templates.locales);
  const requested = canonicalLocale(locale);
  const formatLocales = !resolved.fellBack && requested && requested !== 'und' ? [requested, resolved.locale] : [resolved.locale];
  const view = mailView(kind, context, resolved.locale, formatLocales);
  return { ...renderMailParts(templates, resolved.locale, kind, view), locale: resolved.locale, fellBack: resolved.fellBack };
}
