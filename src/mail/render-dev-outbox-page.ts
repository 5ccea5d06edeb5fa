import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

const VIEWS = fileURLToPath(new URL('../../views/dev/', import.meta.url));
const handlebars = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function view(name: string): Handlebars.TemplateDelegate {
  let template = compiled.get(name);
  if (!template) {
    template = handlebars.compile(readFileSync(path.join(VIEWS, `${name}.hbs`), 'utf8'), { strict: true });
    compiled.set(name, template);
  }
  return template;
}

/** A dev outbox page: views/dev/<name>.hbs inside views/dev/layout.hbs. Every value is escaped. */
export function renderDevOutboxPage(name: 'outbox-list' | 'outbox-mail', title: string, context: object): string {
  return view('layout')({ title, body: view(name)(context) });
}
