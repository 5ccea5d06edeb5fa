import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const MAIL_KINDS = ['invitation', 'reminder', 'enrolled'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** Where the shipped templates live: `templates/` at the repository root. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Shared by every locale: the frame around each mail and the button. */
const SHARED_FILES = ['layout.html.hbs', 'layout.text.hbs', 'button.html.hbs'];
/** Every locale folder must hold all of these to be used. */
export const LOCALE_FILES = [
  ...MAIL_KINDS.flatMap((kind) => [`${kind}.subject.hbs`, `${kind}.html.hbs`, `${kind}.text.hbs`]),
  'greeting.hbs', 'footer.html.hbs', 'footer.text.hbs',
];

type Template = Handlebars.TemplateDelegate;

interface LocaleTemplates {
  subject: Record<MailKind, Template>;
  html: Record<MailKind, Template>;
  text: Record<MailKind, Template>;
  htmlPartials: { greeting: Template; footer: Template };
  textPartials: { greeting: Template; footer: Template };
}

export interface TemplateSet {
  dir: string;
  layoutHtml: Template;
  layoutText: Template;
  /** Only the locales with every file. */
  locales: Map<string, LocaleTemplates>;
  /** Files that are missing, relative to `dir` ("de/reminder.text.hbs"). */
  missing: string[];
}

const cache = new Map<string, TemplateSet>();

/** Reads and compiles every template under `dir` once; later calls answer from the cache. */
export function loadMailTemplates(dir: string = TEMPLATES_DIR): TemplateSet {
  const cached = cache.get(dir);
  if (cached) return cached;
  const missing = SHARED_FILES.filter((file) => !existsSync(path.join(dir, file)));
  const sharedPresent = missing.length === 0;
  // Text parts and subjects are not HTML: escaping there would print "&amp;" into a link.
  const html = Handlebars.create();
  const text = Handlebars.create();
  const htmlCompile = (file: string) => html.compile(read(dir, file), { strict: true });
  const textCompile = (file: string) => text.compile(read(dir, file), { strict: true, noEscape: true });
  if (sharedPresent) html.registerPartial('button', htmlCompile('button.html.hbs'));

  const locales = new Map<string, LocaleTemplates>();
  for (const locale of localeFolders(dir)) {
    const absent = LOCALE_FILES.filter((file) => !existsSync(path.join(dir, locale, file)));
    missing.push(...absent.map((file) => `${locale}/${file}`));
    if (absent.length > 0 || !sharedPresent) continue;
    const perKind = (compile: (file: string) => Template, part: string) =>
      Object.fromEntries(MAIL_KINDS.map((kind) => [kind, compile(`${locale}/${kind}.${part}.hbs`)])) as Record<MailKind, Template>;
    locales.set(locale, {
      subject: perKind(textCompile, 'subject'),
      html: perKind(htmlCompile, 'html'),
      text: perKind(textCompile, 'text'),
      htmlPartials: { greeting: htmlCompile(`${locale}/greeting.hbs`), footer: htmlCompile(`${locale}/footer.html.hbs`) },
      textPartials: { greeting: textCompile(`${locale}/greeting.hbs`), footer: textCompile(`${locale}/footer.text.hbs`) },
    });
  }
  const set: TemplateSet = {
    dir,
    layoutHtml: sharedPresent ? htmlCompile('layout.html.hbs') : missingLayout,
    layoutText: sharedPresent ? textCompile('layout.text.hbs') : missingLayout,
    locales,
    missing,
  };
  cache.set(dir, set);
  return set;
}

/** The locales that have a full set of templates, sorted; a user whose locale is not among them falls back. */
export function templateLocales(dir: string = TEMPLATES_DIR): string[] {
  return [...loadMailTemplates(dir).locales.keys()].sort();
}

export interface RenderedParts {
  subject: string;
  html: string;
  text: string;
}

/** Renders one kind in one locale: the kind's body inside the shared layout, with the locale's partials. */
export function renderMailParts(set: TemplateSet, locale: string, kind: MailKind, view: object): RenderedParts {
  const templates = set.locales.get(locale);
  if (!templates) throw new Error(`No mail templates for locale "${locale}", expected one of ${[...set.locales.keys()].join(', ')}`);
  // Subjects are one header line: newlines from a template or a name must not reach it.
  const subject = templates.subject[kind](view).replace(/\s+/g, ' ').trim();
  const withSubject = { ...view, subject };
  const htmlBody = templates.html[kind](withSubject, { partials: templates.htmlPartials });
  const textBody = templates.text[kind](withSubject, { partials: templates.textPartials });
  return {
    subject,
    html: set.layoutHtml({ ...withSubject, body: htmlBody }, { partials: templates.htmlPartials }),
    text: tidyText(set.layoutText({ ...withSubject, body: textBody }, { partials: templates.textPartials })),
  };
}

function tidyText(text: string): string {
  return `${text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

// Locale folders are named by a language tag with a two- or three-letter language ("en", "de-AT"); other folders
// under templates/ (staff/) hold other mail.
const LOCALE_FOLDER = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

function localeFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => LOCALE_FOLDER.test(name) && statSync(path.join(dir, name)).isDirectory()).sort();
}

const missingLayout: Template = () => {
  throw new Error('The shared mail layout is missing');
};
