import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { checkTemplates } from './check-templates.ts';
import { TEMPLATES_DIR, templateLocales } from './mail-templates.ts';

describe('checkTemplates', () => {
  const dirs: string[] = [];
  const copy = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-templates-'));
    cpSync(TEMPLATES_DIR, dir, { recursive: true });
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test('names a missing file, and that locale is no longer offered', () => {
    const dir = copy();
    rmSync(path.join(dir, 'de', 'reminder.text.hbs'));
    assert.throws(() => checkTemplates(dir), (error: Error) => error.message.includes(path.join(dir, 'de', 'reminder.text.hbs')));
    assert.deepEqual(templateLocales(dir), ['en']);
  });

  test('names a template that does not render (a misspelt field, in strict mode)', () => {
    const dir = copy();
    writeFileSync(path.join(dir, 'en', 'enrolled.subject.hbs'), 'Welcome to {{org.nmae}}');
    assert.throws(() => checkTemplates(dir), /en\/enrolled\.\* does not render: .*nmae/);
  });

  test('a folder that is not a language tag (templates/staff) is not a locale', () => {
    const dir = copy();
    cpSync(path.join(dir, 'en'), path.join(dir, 'staff'), { recursive: true });
    assert.deepEqual(templateLocales(dir), ['de', 'en']);
  });
});
