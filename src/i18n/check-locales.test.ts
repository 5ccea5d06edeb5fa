import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { checkLocales, localeProblems } from './check-locales.ts';
import { LOCALES_DIR, loadCatalog } from './message-catalog.ts';
import { explainThrottle, learnContactRate } from '../campaigns/send-rate.ts';

describe('the shipped locale files', () => {
  test('every locale has every key, every message parses, and placeholders match English', () => {
    assert.deepEqual(localeProblems(loadCatalog()), []);
    assert.deepEqual(loadCatalog().locales, ['de', 'en', 'es', 'fr', 'it', 'nl']);
  });

  test('every message formats in every locale with sample values', () => {
    const catalog = loadCatalog();
    for (const locale of catalog.locales) {
      for (const [key, { file }] of catalog.sources.get('en')!) {
        if (file === 'console.json') continue;
        const values = { name: 'Ann', email: 'a@b.example', org: 'Acme', date: 'D', minutes: 2, min: 8, max: 4096, length: 3, left: 1, reason: 'r',
          expires: 'E', host: 'h.example', day: 'd', number: 2, method: 'passkey', hasGiven: 'yes', givenName: 'Ann', hasName: 'no', hasUrl: 'yes',
          url: 'https://x.example', address: 'a@b.example', b: (c: string[]) => c.join(''), mail: (c: string[]) => c.join(''), web: (c: string[]) => c.join('') };
        const text = catalog.format(locale, key, values);
        assert.ok(text.length > 0 && !text.includes('{'), `${locale} ${key}: ${text}`);
      }
    }
  });

  test('every key a view or mail template asks for is in English', () => {
    const english = loadCatalog().sources.get('en')!;
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const files = [
      ...readdirSync(path.join(root, 'views/enrol')).map((file) => path.join(root, 'views/enrol', file)),
      path.join(root, 'views/layouts/public.hbs'),
      ...readdirSync(path.join(root, 'templates')).filter((file) => file.endsWith('.hbs')).map((file) => path.join(root, 'templates', file)),
    ];
    const asked = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/(?:\{\{|\()t "([^"]+)"/g)].map((m) => [file, m[1]!] as const));
    assert.ok(asked.length > 100, `found ${asked.length} keys`);
    for (const [file, key] of asked) assert.ok(english.has(key), `${file} asks for "${key}", which locales/en/ lacks`);
  });

  test('plural rules follow the language', () => {
    const catalog = loadCatalog();
    assert.equal(catalog.format('en', 'error.rate_limited', { minutes: 1 }), 'Too many attempts. Please wait 1 minute and try again.');
    assert.match(catalog.format('en', 'error.rate_limited', { minutes: 5 }), /wait 5 minutes/);
    assert.match(catalog.format('fr', 'error.rate_limited', { minutes: 1 }), /patienter 1 minute,/);
    assert.match(catalog.format('fr', 'error.rate_limited', { minutes: 2 }), /patienter 2 minutes,/);
    assert.match(catalog.format('de', 'signin.done.recovery_code', { left: 1 }), /noch 1 Code\./);
  });
});

describe('checkLocales', () => {
  const dirs: string[] = [];
  const copy = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-locales-'));
    cpSync(LOCALES_DIR, dir, { recursive: true });
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const edit = (dir: string, file: string, change: (messages: Record<string, string>) => void) => {
    const messages = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, string>;
    change(messages);
    writeFileSync(path.join(dir, file), JSON.stringify(messages));
  };

  test('names a missing key, a message that does not parse, and a placeholder that differs from English', () => {
    const dir = copy();
    edit(dir, 'fr/pages.json', (m) => {
      delete m['choose.title'];
      m['choose.why'] = '{org} {email';
      m['signin.as'] = 'Connexion en tant que {mail}.';
    });
    assert.throws(() => checkLocales(dir), (error: Error) =>
      error.message.includes(`${path.join(dir, 'fr', 'pages.json')} lacks "choose.title"`)
      && /fr\/pages\.json: "choose\.why" does not parse/.test(error.message)
      && error.message.includes('"signin.as" takes {mail}, English takes {email}'));
  });

  test('a new language is one folder; a missing file, a straight apostrophe and markup in text are refused', () => {
    const dir = copy();
    cpSync(path.join(dir, 'fr'), path.join(dir, 'pt'), { recursive: true });
    assert.ok(loadCatalog(dir).locales.includes('pt'));
    assert.deepEqual(localeProblems(loadCatalog(dir)), []);
    const broken = copy();
    rmSync(path.join(broken, 'it', 'mail.json'));
    edit(broken, 'nl/pages.json', (m) => { m['skip'] = 'Ga naar de inhoud van \'t artikel'; });
    edit(broken, 'es/mail.json', (m) => { m['mail.open_link'] = 'Abra <script>este enlace</script> & ya'; });
    const problems = localeProblems(loadCatalog(broken)).join('\n');
    assert.match(problems, /it\/mail\.json is missing/);
    assert.match(problems, /nl\/pages\.json: "skip" has a straight apostrophe/);
    assert.match(problems, /es\/mail\.json: "mail\.open_link" has <, > or & outside a tag/);
  });

  test('the staff console messages are English only and are not required elsewhere', () => {
    const catalog = loadCatalog();
    assert.ok(catalog.has('en', 'console.throttle'));
    assert.ok(!catalog.has('de', 'console.throttle'));
    const desk: Parameters<typeof explainThrottle>[0] = { capacity_per_hour: 1, contact_rate: 0.05, timezone: 'UTC', hours: [] };
    assert.match(explainThrottle(desk, learnContactRate(0.05, 0, 0, 0), 1, null), /^1 ticket an hour .* is 1 invitation an hour,/);
    assert.match(explainThrottle({ ...desk, capacity_per_hour: 2000 }, learnContactRate(0.05, 0, 0, 0), 40000, 1000), /^2000 tickets an hour .* is 40,000 invitations an hour, capped at 1000,/);
  });
});
