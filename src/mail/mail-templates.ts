import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { LOCALES_DIR, loadCatalog, type MessageCatalog, type MessageValues } from '../i18n/message-catalog.ts';

export const MAIL_KINDS = ['invitation', 'reminder', 'enrolled'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** Where the shipped templates live: `templates/` at the project root (the same path from src/ and dist/). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * One set for every language: the layout, the button, the greeting and footer, and each kind's subject, HTML and
 * text. Their words come from `locales/<locale>/mail.json` through `{{t "key" name=value}}`.
 */
export const TEMPLATE_FILES = [
  'layout.html.hbs', 'layout.text.hbs', 'button.html.hbs', 'greeting.hbs', 'footer.html.hbs', 'footer.text.hbs',
  ...MAIL_KINDS.flatMap((kind) => [`${kind}.subject.hbs`, `${kind}.html.hbs`, `${kind}.text.hbs`]),
];

type Template = Handlebars.TemplateDelegate;

export interface TemplateSet {
  dir: string;
  catalog: MessageCatalog;
  layoutHtml: Template;
  layoutText: Template;
  subject: Record<MailKind, Template>;
  html: Record<MailKind, Template>;
  text: Record<MailKind, Template>;
  htmlPartials: Record<string, Template>;
  textPartials: Record<string, Template>;
  /** The locales mail is written in (every folder under locales/), sorted. */
  locales: string[];
  /** Files that are missing, relative to `dir` ("reminder.text.hbs"). */
  missing: string[];
}

const cache = new Map<string, TemplateSet>();

/** Reads and compiles every template under `dir` once; later calls answer from the cache. */
export function loadMailTemplates(dir: string = TEMPLATES_DIR, localesDir: string = LOCALES_DIR): TemplateSet {
  const id = `${dir}\u0000${localesDir}`;
  const cached = cache.get(id);
  if (cached) return cached;
  const catalog = loadCatalog(localesDir);
  const missing = TEMPLATE_FILES.filter((file) => !existsSync(path.join(dir, file)));
  // Text parts and subjects are not HTML: escaping there would print "&amp;" into a link.
  const html = Handlebars.create();
  const text = Handlebars.create();
  registerHelpers(html, catalog, 'html');
  registerHelpers(text, catalog, 'text');
  const compileWith = (instance: typeof Handlebars, noEscape: boolean) => (file: string): Template =>
    missing.includes(file) ? missingTemplate(file) : instance.compile(readFileSync(path.join(dir, file), 'utf8'), { strict: true, noEscape });
  const htmlCompile = compileWith(html, false);
  const textCompile = compileWith(text, true);
  const perKind = (compile: (file: string) => Template, part: string) =>
    Object.fromEntries(MAIL_KINDS.map((kind) => [kind, compile(`${kind}.${part}.hbs`)])) as Record<MailKind, Template>;
  const set: TemplateSet = {
    dir,
    catalog,
    layoutHtml: htmlCompile('layout.html.hbs'),
    layoutText: textCompile('layout.text.hbs'),
    subject: perKind(textCompile, 'subject'),
    html: perKind(htmlCompile, 'html'),
    text: perKind(textCompile, 'text'),
    htmlPartials: { greeting: htmlCompile('greeting.hbs'), footer: htmlCompile('footer.html.hbs'), button: htmlCompile('button.html.hbs') },
    textPartials: { greeting: textCompile('greeting.hbs'), footer: textCompile('footer.text.hbs') },
    locales: catalog.locales,
    missing,
  };
  cache.set(id, set);
  return set;
}

/** The locales mail can be written in, sorted; a user whose locale is not among them falls back. */
export function templateLocales(dir: string = TEMPLATES_DIR, localesDir: string = LOCALES_DIR): string[] {
  return loadMailTemplates(dir, localesDir).locales;
}

export interface RenderedParts {
  subject: string;
  html: string;
  text: string;
}

/** Renders one kind in one locale: the kind's body inside the shared layout, with the greeting and footer. */
export function renderMailParts(set: TemplateSet, locale: string, kind: MailKind, view: { locale: string } & object): RenderedParts {
  if (!set.locales.includes(locale)) throw new Error(`No mail messages for locale "${locale}", expected one of ${set.locales.join(', ')}`);
  const withLocale = { ...view, locale };
  // Subjects are one header line: newlines from a template or a name must not reach it. (Not \s: French keeps its
  // no-break space before ":" and "?".)
  const subject = set.subject[kind](withLocale).replace(/[ \t\r\n\f\v\u2028\u2029]+/g, ' ').trim();
  const withSubject = { ...withLocale, subject };
  const htmlBody = set.html[kind](withSubject, { partials: set.htmlPartials });
  const textBody = set.text[kind](withSubject, { partials: set.textPartials });
  return {
    subject,
    html: set.layoutHtml({ ...withSubject, body: htmlBody }, { partials: set.htmlPartials }),
    text: tidyText(set.layoutText({ ...withSubject, body: textBody }, { partials: set.textPartials })),
  };
}

const LINK_STYLE = 'color:#1d4ed8;';

/**
 * `{{t "key" name=value}}` formats the message in the view's `locale`. In HTML, every value is escaped before it
 * goes in, and the only markup is the messages' own tags: <b>, <mail> (a mailto: link to `email`) and <web> (a
 * link to `url`). The locale check refuses <, > and & in a message's own text, so nothing else can be markup.
 */
function registerHelpers(instance: typeof Handlebars, catalog: MessageCatalog, mode: 'html' | 'text'): void {
  instance.registerHelper('yesNo', (value: unknown) => (value ? 'yes' : 'no'));
  instance.registerHelper('orEmpty', (value: unknown) => (value == null ? '' : value));
  instance.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => {
    const locale = (options.data?.root as { locale?: string } | undefined)?.locale;
    if (!locale) throw new Error(`{{t "${key}"}} needs the view's locale`);
    const hash = options.hash as Record<string, unknown>;
    // Strict mode does not reach helper arguments: a misspelt field would print "undefined" in every mail.
    const unset = Object.keys(hash).filter((name) => hash[name] === undefined);
    if (unset.length > 0) throw new Error(`{{t "${key}"}} got nothing for ${unset.join(', ')}: is a field misspelt?`);
    if (mode === 'text') {
      const plain = (chunks: string[]) => chunks.join('');
      return catalog.format(locale, key, { ...(hash as MessageValues), b: plain, mail: plain, web: plain });
    }
    const escape = (value: unknown) => Handlebars.escapeExpression(value == null ? '' : String(value));
    const values: MessageValues = {};
    for (const [name, value] of Object.entries(hash)) values[name] = typeof value === 'number' ? value : escape(value);
    values.b = (chunks) => `<strong>${chunks.join('')}</strong>`;
    values.mail = (chunks) => `<a href="mailto:${escape(hash.email)}" style="${LINK_STYLE}">${chunks.join('')}</a>`;
    values.web = (chunks) => `<a href="${escape(hash.url)}" style="${LINK_STYLE}">${chunks.join('')}</a>`;
    return new instance.SafeString(catalog.format(locale, key, values));
  });
}

function tidyText(text: string): string {
  return `${text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function missingTemplate(file: string): Template {
  return () => {
    throw new Error(`The mail template ${file} is missing`);
  };
}
