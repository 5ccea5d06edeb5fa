import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { LOCALES_DIR } from '../i18n/message-catalog.ts';
import { checkTemplates } from './check-templates.ts';
import { TEMPLATES_DIR, templateLocales } from './mail-templates.ts';

describe('checkTemplates', () => {
  const dirs: string[] = [];
  const copy = (from: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-templates-'));
    cpSync(from, dir, { recursive: true });
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test('the shipped templates render in every locale', () => {
    assert.doesNotThrow(() => checkTemplates());
  });

  test('names a missing file', () => {
    const dir = copy(TEMPLATES_DIR);
    rmSync(path.join(dir, 'reminder.text.hbs'));
    assert.throws(() => checkTemplates(dir), (error: Error) => error.message.includes(path.join(dir, 'reminder.text.hbs')));
  });

  test('names a template that does not render (a misspelt field, in strict mode)', () => {
    const dir = copy(TEMPLATES_DIR);
    writeFileSync(path.join(dir, 'enrolled.subject.hbs'), '{{t "mail.enrolled.subject" org=org.nmae}}');
    assert.throws(() => checkTemplates(dir), /enrolled\.\* does not render in de: .*got nothing for org/);
  });

  test('names a message that needs a value the template does not give', () => {
    const locales = copy(LOCALES_DIR);
    writeFileSync(path.join(locales, 'nl', 'extra.json'), '{}');
    const dir = copy(TEMPLATES_DIR);
    writeFileSync(path.join(dir, 'invitation.subject.hbs'), '{{t "mail.invitation.subject"}}');
    assert.throws(() => checkTemplates(dir, locales), /invitation\.\* does not render in de: .*"org" was not provided/);
  });

  test('the locales of mail are the folders under locales/; a folder that is not a language tag is not one', () => {
    const locales = copy(LOCALES_DIR);
    cpSync(path.join(locales, 'en'), path.join(locales, 'staff'), { recursive: true });
    cpSync(path.join(locales, 'en'), path.join(locales, 'pt-BR'), { recursive: true });
    assert.deepEqual(templateLocales(TEMPLATES_DIR, locales), ['de', 'en', 'es', 'fr', 'it', 'nl', 'pt-BR']);
  });
});
