import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

export interface ViewsOptions {
  orgName: string;
  assetUrl(name: string): string;
  /** Recompile on each render, for editing views while the server runs. @defaultValue false */
  reload?: boolean;
  dir?: string;
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const numbers = new Intl.NumberFormat('en-GB');

/**
 * Server-rendered pages: views/<name>.hbs inside views/layouts/<layout>.hbs, with views/partials/*.hbs. Handlebars
 * escapes every {{value}}; only `{{{body}}}` and trusted markup made in code (SVG charts, QR codes) use triple
 * braces.
 */
export class Views {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly dir: string;

  constructor(private readonly options: ViewsOptions) {
    this.dir = options.dir ?? VIEWS_DIR;
    const h = this.handlebars;
    // Safe as is: url() answers only for files in public/, as /assets/<name>?v=<hex>.
    h.registerHelper('asset', (name: string) => new h.SafeString(options.assetUrl(name)));
    h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).find(Boolean));
    h.registerHelper('subtract', (a: unknown, b: unknown) => Number(a) - Number(b));
    h.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
    h.registerHelper('date', (value: unknown) => (value ? `${dateTime.format(new Date(String(value)))} UTC` : '–'));
    h.registerHelper('number', (value: unknown) => (typeof value === 'number' ? numbers.format(value) : '–'));
    // End-user pages: {{t "key" name=value}} formats locales/<lang>/pages.json's message through the page's
    // `translate` (PublicPages.render); the result is escaped like any value.
    h.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => {
      const translate = (options.data?.root as { translate?: (key: string, values: object) => string } | undefined)?.translate;
      if (!translate) throw new Error(`{{t "${key}"}} on a page rendered without a translate function`);
      return translate(key, options.hash);
    });
    h.registerHelper('percent', (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(1).replace(/\.0$/, '')}%` : '–'));
    this.registerPartials();
  }

  /** The whole page: the view rendered into the layout, with the org name and anything the layout needs. */
  render(view: string, context: Record<string, unknown>, layout = 'console'): string {
    const data = { orgName: this.options.orgName, ...context };
    const body = this.template(view)(data);
    return this.template(`layouts/${layout}`)({ ...data, body });
  }

  private template(name: string): Handlebars.TemplateDelegate {
    if (this.options.reload) this.registerPartials();
    let template = this.options.reload ? undefined : this.compiled.get(name);
    if (!template) {
      template = this.handlebars.compile(readFileSync(path.join(this.dir, `${name}.hbs`), 'utf8'), { strict: false });
      this.compiled.set(name, template);
    }
    return template;
  }

  private registerPartials(): void {
    const partials = path.join(this.dir, 'partials');
    for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
      this.handlebars.registerPartial(file.slice(0, -4), readFileSync(path.join(partials, file), 'utf8'));
    }
  }
}
