import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../src/config/load-config.ts';
import { createMailTransport } from '../src/mail/create-mail-transport.ts';
import { PermanentMailError, TemporaryMailError, type MailTransport } from '../src/mail/mail-transport.ts';
import { checkTemplates, renderMail, templateLocales, type MailContext, type MailKind } from '../src/mail/render-mail.ts';
import { createSmtpMailTransport } from '../src/mail/smtp-mail-transport.ts';
import { createLogger } from '../src/observability/logger.ts';
import type { Queryable } from '../src/storage/db.ts';
import { parseRawMail } from './support/parse-raw-mail.ts';
import { SmtpSink } from './support/smtp-sink.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const LINK = 'https://cutover.example/enrol/Zm9vYmFyYmF6';
const context: MailContext = {
  org: { name: 'Acme Energy', supportEmail: 'help@acme.example', supportUrl: 'https://acme.example/support' },
  user: { givenName: 'Ann', name: 'Ann Smith', email: 'ann@example.com' },
  link: LINK,
  expiresAt: new Date('2026-12-04T16:00:00Z'),
  timezone: 'Europe/Berlin',
  reminderNumber: 2,
  method: 'passkey',
};
const EXPIRY = {
  en: 'Friday, 4 December 2026 at 17:00 CET', de: 'Freitag, 4. Dezember 2026 um 17:00 MEZ', fr: 'vendredi 4 décembre 2026 à 17:00 UTC+1',
  es: 'viernes, 4 de diciembre de 2026, 17:00 CET', it: 'venerdì 4 dicembre 2026 alle ore 17:00 CET', nl: 'vrijdag 4 december 2026 om 17:00 CET',
};
const logger = createLogger('silent');
const noDb: Queryable = { query: async () => { throw new Error('no database in this test'); } };

describe('mail templates', () => {
  test('every shipped locale has every kind and part', () => {
    assert.doesNotThrow(() => checkTemplates());
    assert.deepEqual(templateLocales(), ['de', 'en', 'es', 'fr', 'it', 'nl']);
  });

  for (const locale of ['en', 'de', 'fr', 'es', 'it', 'nl'] as const) {
    for (const kind of ['invitation', 'reminder', 'enrolled'] as MailKind[]) {
      test(`${kind} in ${locale}: org, support, link and expiry in every part; nothing remote`, () => {
        const mail = renderMail(kind, locale, context);
        assert.equal(mail.locale, locale);
        assert.equal(mail.fellBack, false);
        assert.match(mail.subject, /Acme Energy/);
        for (const part of [mail.html, mail.text]) {
          assert.match(part, /Acme Energy/);
          assert.match(part, /help@acme\.example/);
          assert.match(part, /https:\/\/acme\.example\/support/);
          if (kind !== 'enrolled') {
            assert.ok(part.includes(LINK), `${kind} ${locale} has the link`);
            assert.ok(part.includes(EXPIRY[locale]), `${kind} ${locale} has the expiry, got ${part}`);
          }
        }
        if (kind !== 'enrolled') assert.ok(mail.text.split('\n').includes(LINK), 'the link stands on its own line in the text part');
        assert.doesNotMatch(mail.html, /<img|<script|<link|<style|url\(|@import|https?:\/\/[^"]*\.(png|gif|jpe?g)/i);
        assert.doesNotMatch(mail.html, /\{\{|\}\}/);
      });
    }
  }

  test('reminders say which one they are; enrolled names the method and what to do if it was not you', () => {
    assert.match(renderMail('reminder', 'en', { ...context, reminderNumber: 1 }).text, /A reminder: your link .* expires on Friday/);
    assert.match(renderMail('reminder', 'en', context).text, /Reminder 2: your link/);
    assert.match(renderMail('reminder', 'de', context).text, /Unsere 2\. Erinnerung: Ihr Link/);
    assert.match(renderMail('reminder', 'en', context).subject, /by 4 December$/);
    assert.match(renderMail('enrolled', 'en', context).text, /your passkey/);
    assert.match(renderMail('enrolled', 'en', { ...context, method: 'totp' }).text, /authenticator app/);
    assert.match(renderMail('enrolled', 'de', context).text, /Waren Sie das nicht\? .*help@acme\.example/);
  });

  test('names are escaped in HTML and kept to one line', () => {
    const mail = renderMail('invitation', 'en', { ...context, user: { givenName: '<script>alert(1)</script>\nBcc: x', email: 'a@b.example' } });
    assert.ok(!mail.html.includes('<script>'));
    assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; Bcc: x'));
    assert.match(mail.text, /^Hello <script>alert\(1\)<\/script> Bcc: x,$/m);
  });

  test('locale fallback: de-AT → de, fr-CA → fr, pt → en (fellBack), none → en; dates follow the user', () => {
    const austrian = renderMail('invitation', 'de-AT', { ...context, timezone: 'Europe/Vienna' });
    assert.deepEqual([austrian.locale, austrian.fellBack], ['de', false]);
    const canadian = renderMail('invitation', 'fr_CA', context);
    assert.deepEqual([canadian.locale, canadian.fellBack], ['fr', false]);
    const portuguese = renderMail('invitation', 'pt', context);
    assert.deepEqual([portuguese.locale, portuguese.fellBack], ['en', true]);
    assert.ok(portuguese.text.includes(EXPIRY.en));
    assert.deepEqual([renderMail('invitation', null, context).locale, renderMail('invitation', null, context).fellBack], ['en', false]);
    assert.ok(renderMail('invitation', 'en-US', { ...context, timezone: 'America/New_York' }).text.includes('Friday, December 4, 2026 at 11:00 AM EST'));
    assert.ok(renderMail('invitation', 'en', { ...context, timezone: null }).text.includes('Friday, 4 December 2026 at 16:00 UTC'));
  });

  test('a context without what the kind needs is refused, naming the field', () => {
    assert.throws(() => renderMail('invitation', 'en', { ...context, link: undefined }), /needs context\.link/);
    assert.throws(() => renderMail('invitation', 'en', { ...context, link: 'javascript:alert(1)' }), /http\(s\) URL/);
    assert.throws(() => renderMail('reminder', 'en', { ...context, reminderNumber: undefined }), /reminderNumber/);
    assert.throws(() => renderMail('enrolled', 'en', { ...context, method: undefined }), /method/);
  });
});

describe('SMTP transport against a real SMTP server', () => {
  const smtp = new SmtpSink();
  let smtpUrl: string;
  let transport: MailTransport;
  before(async () => {
    smtpUrl = await smtp.start();
    transport = createSmtpMailTransport({ smtpUrl, from: 'Acme Energy <no-reply@acme.example>', poolSize: 2, logger });
  });
  after(async () => {
    await transport.close();
    await smtp.stop();
  });

  test('delivers From, To, Subject, the HTML and the text part', async () => {
    const mail = renderMail('invitation', 'en', context);
    const { messageId } = await transport.send({ to: 'ann@example.com', subject: mail.subject, html: mail.html, text: mail.text, headers: { 'X-Invitation': 'inv-1' } });
    assert.match(messageId, /^<.+@.+>$/);
    const received = smtp.mails.at(-1)!;
    assert.deepEqual([received.from, received.to], ['no-reply@acme.example', ['ann@example.com']]);
    const parsed = parseRawMail(received.raw);
    assert.equal(parsed.headers.get('from'), 'Acme Energy <no-reply@acme.example>');
    assert.equal(parsed.headers.get('to'), 'ann@example.com');
    assert.equal(parsed.headers.get('subject'), mail.subject);
    assert.equal(parsed.headers.get('x-invitation'), 'inv-1');
    const lf = (part: string | undefined) => part?.replace(/\r\n/g, '\n').trim(); // SMTP lines end in CRLF
    assert.equal(lf(parsed.parts.get('text/plain')), mail.text.trim());
    assert.equal(lf(parsed.parts.get('text/html')), mail.html.trim());
    assert.equal(await transport.verify(), true);
  });

  test('550 from the server is a PermanentMailError, 451 a TemporaryMailError', async (t) => {
    t.after(() => { smtp.reject = () => null; });
    const message = { to: 'nobody@example.com', subject: 's', html: '<p>h</p>', text: 't' };
    smtp.reject = () => 'permanent';
    await assert.rejects(transport.send(message), (error) => error instanceof PermanentMailError && error.responseCode === 550);
    smtp.reject = () => 'temporary';
    await assert.rejects(transport.send(message), (error) => error instanceof TemporaryMailError && error.responseCode === 451);
  });

  test('a stopped server is a TemporaryMailError, and verify() says false', async () => {
    const stopped = new SmtpSink();
    const stoppedUrl = await stopped.start();
    await stopped.stop();
    const dead = createSmtpMailTransport({ smtpUrl: stoppedUrl, from: 'x@acme.example', poolSize: 1, logger });
    try {
      await assert.rejects(dead.send({ to: 'ann@example.com', subject: 's', html: 'h', text: 't' }), TemporaryMailError);
      assert.equal(await dead.verify(), false);
    } finally {
      await dead.close();
    }
  });

  test('production without SMTP_URL is a config error, never the dev outbox', () => {
    assert.throws(() => createMailTransport({ from: 'x@acme.example', poolSize: 1, nodeEnv: 'production', db: noDb, logger }), ConfigError);
    assert.equal(createMailTransport({ from: 'x@acme.example', poolSize: 1, nodeEnv: 'test', db: noDb, logger }).kind, 'dev-outbox');
  });

  test('/readyz reports the relay in checks.smtp, and there is no /dev/outbox with SMTP', async () => {
    const server = await startTestServer({ env: { SMTP_URL: smtpUrl } });
    try {
      assert.equal(server.container.mail.kind, 'smtp');
      const ready = await server.api.get('/readyz');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body.checks, { postgres: 'ok', ...(server.container.redis ? { redis: 'ok' } : {}), queue: 'ok', smtp: 'ok' });
      assert.equal((await server.api.get('/dev/outbox')).status, 404);
    } finally {
      await server.close();
    }
  });
});

describe('dev outbox (no SMTP_URL)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('stores a mail; /dev/outbox lists it, /dev/outbox/:id shows it with the link clickable', async () => {
    assert.equal(server.container.mail.kind, 'dev-outbox');
    const mail = renderMail('invitation', 'de', context);
    await server.container.mail.send({ to: 'Ann@Example.com', subject: mail.subject, html: mail.html, text: mail.text });
    const [row] = await server.query('SELECT id, to_address, subject FROM dev_outbox ORDER BY id DESC LIMIT 1');
    assert.deepEqual([row.to_address, row.subject], ['Ann@Example.com', mail.subject]);

    const list = await server.api.get('/dev/outbox');
    assert.equal(list.status, 200);
    assert.match(list.get('Content-Type') ?? '', /text\/html/);
    assert.ok(list.text.includes(`href="/dev/outbox/${row.id}"`) && list.text.includes('Ann@Example.com'));

    const page = await server.api.get(`/dev/outbox/${row.id}`);
    assert.equal(page.status, 200);
    assert.match(page.get('Content-Security-Policy') ?? '', /default-src 'none'/);
    assert.doesNotMatch(page.get('Content-Security-Policy') ?? '', /script-src/);
    assert.ok(!page.text.includes('<script'));
    assert.ok(page.text.includes(`<a href="${LINK}"`), 'the link is clickable');
    assert.match(page.text, new RegExp(`<iframe src="/dev/outbox/${row.id}/html" sandbox="allow-popups`));

    const html = await server.api.get(`/dev/outbox/${row.id}/html`);
    assert.match(html.get('Content-Security-Policy') ?? '', /^sandbox /);
    assert.ok(html.text.includes(LINK));
    assert.equal((await server.api.get('/dev/outbox/999999999')).status, 404);
    assert.equal((await server.api.get('/dev/outbox/nope')).status, 400);
  });

  test('/dev/outbox.json?to= answers the latest mails to one address, with their links', async () => {
    const mail = renderMail('reminder', 'en', context);
    await server.container.mail.send({ to: 'bo@example.com', subject: mail.subject, html: mail.html, text: mail.text });
    const response = await server.api.get('/dev/outbox.json').query({ to: 'BO@example.com' });
    assert.equal(response.status, 200);
    assert.equal(response.body.mails.length, 1);
    const [latest] = response.body.mails;
    assert.deepEqual([latest.to, latest.subject, latest.text], ['bo@example.com', mail.subject, mail.text]);
    assert.deepEqual(latest.links, [LINK, 'https://acme.example/support']);
    assert.equal(latest.headers.From, 'cutover <no-reply@localhost>');
  });
});
