import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { MailMessage } from '../mail/mail-transport.ts';

const TEMPLATES = new URL('../../templates/staff/', import.meta.url);
const handlebars = Handlebars.create();
const compile = (name: string, noEscape: boolean) =>
  handlebars.compile(readFileSync(new URL(name, TEMPLATES), 'utf8'), { strict: true, noEscape });
const html = compile('setup.html.hbs', false);
const text = compile('setup.txt.hbs', true); // plain text: escaping would turn & into &amp;

export interface SetupMailInput {
  to: string;
  role: string;
  orgName: string;
  invitedBy: string;
  setupUrl: string;
  expiresAt: Date;
}

/** The staff setup invitation (English only: staff share the operator's language). */
export function renderSetupMail(input: SetupMailInput): MailMessage {
  const context = {
    ...input,
    expires: input.expiresAt.toUTCString().replace(/:\d\d GMT$/, ' UTC'),
  };
  return { to: input.to, subject: `Set up your ${input.orgName} console account`, html: html(context), text: text(context) };
}
