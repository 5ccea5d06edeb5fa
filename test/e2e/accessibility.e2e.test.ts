import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../support/chromium.ts';
import { loadCatalog } from '../../src/i18n/message-catalog.ts';
import { startWorkers, type Workers } from '../../src/worker.ts';
import { assertAccessible } from '../support/axe.ts';
import { inviteUsers, type InvitedUser } from '../support/invite.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { addStaff, codeFor, finishSetupInBrowser, STAFF_PASSWORD } from '../support/staff-helpers.ts';
import { freePort, startTestServer, type TestServer } from '../support/test-server.ts';

const skip = CHROMIUM_SKIP;
const PASSWORD = 'violet kettle harbour';
const LANGUAGES = ['en', 'de', 'fr', 'es', 'nl', 'it'];
const catalog = loadCatalog();

/**
 * Languages and accessibility in Chromium: the invitation in every language on a phone-sized screen; axe-core
 * (WCAG 2.1 A and AA) on every end-user page in every state and on every console page, at 360 and 1280 px; and the
 * enrolment flow with the keyboard alone.
 */
describe('languages and accessibility in Chromium', { skip }, () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let browser: Browser;
  let base: string;
  let users: InvitedUser[];
  let campaignId: string;
  let waveId: string;
  const cspViolations: string[] = [];

  before(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = await startTestServer({ port, env: { SMTP_URL: await smtp.start(), BASE_URL: base, ORG_NAME: 'Acme Bank', SUPPORT_EMAIL: 'help@acme.test' } });
    await server.url();
    workers = await startWorkers(server.container);
    ({ users, campaignId, waveId } = await inviteUsers(server, smtp, [
      ...LANGUAGES.map((locale) => ({ id: `lang-${locale}`, email: `${locale}@example.com`, given_name: 'Sam', locale })),
      { id: 'a11y-app', email: 'app@example.com', given_name: 'Ada' },
      { id: 'a11y-keys', email: 'keys@example.com', given_name: 'Kim' },
      { id: 'a11y-expired', email: 'expired@example.com', given_name: 'Eve' },
    ]));
    browser = await launchChromium(['--host-resolver-rules=MAP localhost 127.0.0.1']);
  });
  after(async () => {
    await browser?.close();
    await workers?.stop();
    await server?.close();
    await smtp.stop();
  });

  async function newPage(width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: width === 360 ? 780 : 900 } });
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`); });
    return page;
  }
  const user = (legacyId: string) => users.find((u) => u.legacyId === legacyId)!;

  test('the invitation in each language at 360 px: lang, a translated heading, the mail in that language, no sideways scroll', async () => {
    for (const locale of LANGUAGES) {
      const page = await newPage(360);
      await page.goto(`${base}${user(`lang-${locale}`).link}`);
      await page.waitForURL(/\/enrol$/);
      assert.equal(await page.locator('html').getAttribute('lang'), locale);
      const heading = (await page.locator('h1').textContent())!.trim();
      assert.equal(heading, catalog.format(locale, 'choose.title'), `${locale} heading`);
      if (locale !== 'en') assert.notEqual(heading, catalog.format('en', 'choose.title'), `${locale} heading is translated`);
      assert.equal(await page.locator('#app-start').textContent(), catalog.format(locale, 'choose.app'));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the ${locale} invitation page scrolls sideways at 360 px (${overflow} px)`);
      const mail = smtp.to(`${locale}@example.com`).at(-1)!;
      assert.equal(mail.subject, catalog.format(locale, 'mail.invitation.subject', { org: 'Acme Bank' }), `${locale} mail subject`);
      await page.close();
    }
  });

  test('axe-core finds nothing serious on any end-user page, in any state, at 360 and 1280 px', async () => {
    let page = await newPage();
    await page.goto(`${base}${user('a11y-app').link}`);
    await page.waitForURL(/\/enrol$/);
    await page.locator('#passkey-option').waitFor({ state: 'visible' });
    await assertAccessible(page, 'choose');

    // The browser's passkey dialog closed by the user: Chromium hands the page a NotAllowedError.
    await page.evaluate(() => {
      navigator.credentials.create = () => Promise.reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
    });
    await page.click('#passkey-start');
    await page.locator('#passkey-error').waitFor({ state: 'visible' });
    await assertAccessible(page, 'choose, passkey cancelled');

    await page.click('#app-start');
    await page.waitForURL(/\/enrol\/app$/);
    await assertAccessible(page, 'app');
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
    await page.fill('#password', 'password1');
    await page.fill('#confirm', 'password2');
    await page.fill('#code', '000000');
    await page.click('button[type="submit"]');
    await page.locator('#error-summary').waitFor();
    await assertAccessible(page, 'app with errors');

    await page.fill('#password', PASSWORD);
    await page.fill('#confirm', PASSWORD);
    await page.fill('#code', await codeFor(secret));
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/enrol\/recovery-codes$/);
    await assertAccessible(page, 'recovery codes');
    const codes = await page.locator('#recovery-codes code').allTextContents();
    await page.click('form[action="/enrol/recovery-codes"] button[type="submit"]');
    await page.waitForURL(/\/enrol\/done$/);
    await assertAccessible(page, 'done');

    await page.goto(`${base}/signin`);
    await assertAccessible(page, 'sign-in');
    await page.fill('#email', 'not an address');
    await page.evaluate(() => document.querySelector('#signin-email')!.setAttribute('novalidate', '')); // reach the server's check
    await page.click('#signin-email button[type="submit"]');
    await page.locator('#email-error').waitFor();
    await assertAccessible(page, 'sign-in, bad email');
    await page.fill('#email', 'app@example.com');
    await page.click('#signin-email button[type="submit"]');
    await page.waitForURL(/\/signin\/password$/);
    await assertAccessible(page, 'sign-in password');
    await page.fill('#password', 'not the password');
    await page.click('form[action="/signin/password"] button[type="submit"]');
    await page.locator('[role="alert"]').first().waitFor();
    await assertAccessible(page, 'sign-in password, refused');
    await page.fill('#password', PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await page.click('form[action="/signin/password"] button[type="submit"]');
    await page.waitForURL(/\/signin\/done$/);
    await assertAccessible(page, 'signed in');

    await page.goto(`${base}/signin/recovery`);
    await assertAccessible(page, 'sign-in with a recovery code');
    await page.fill('#email', 'app@example.com');
    await page.fill('#recovery-code', 'AAAAA-BBBBB');
    await page.click('button[type="submit"]');
    await page.locator('[role="alert"]').first().waitFor();
    await assertAccessible(page, 'recovery code, refused');
    await page.fill('#email', 'app@example.com');
    await page.fill('#recovery-code', codes[0]!);
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/signin\/done$/);
    await assertAccessible(page, 'signed in with a recovery code');

    await server.query("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE legacy_id = 'a11y-expired')");
    await page.goto(`${base}${user('a11y-expired').link}`);
    assert.equal(await page.locator('h1').textContent(), 'This link has expired or was already used');
    await assertAccessible(page, 'link expired');
    await page.fill('#email', 'expired@example.com');
    await page.click('text=Email me a new link');
    await page.waitForURL(/\/enrol\/new-link$|\/enrol/);
    await assertAccessible(page, 'new link sent');

    // The error page, as a form whose CSRF token went stale gets it.
    await page.close();
    page = await newPage();
    await page.goto(`${base}/signin`);
    await page.evaluate(() => { document.querySelector<HTMLInputElement>('#signin-email input[name="_csrf"]')!.value = 'stale'; });
    await page.fill('#email', 'app@example.com');
    await page.click('#signin-email button[type="submit"]');
    await page.locator('h1', { hasText: 'This page has expired' }).waitFor();
    await assertAccessible(page, 'error page');
    assert.deepEqual(cspViolations, []);
    await page.close();
  });

  /** What the focus should reach: an element with this id, this text, or this href. */
  type FocusTarget = { id?: string; text?: string; href?: string };

  /** Presses Tab until the focused element matches `target`; every stop on the way must be visible. */
  async function tabTo(page: Page, target: FocusTarget): Promise<void> {
    for (let presses = 0; presses < 40; presses += 1) {
      await page.keyboard.press('Tab');
      const state = await page.evaluate((want) => {
        const element = document.activeElement;
        if (!element || element === document.body) return { done: false, visible: true, name: 'body' };
        const box = element.getBoundingClientRect();
        const done = (want.id === undefined || element.id === want.id)
          && (want.text === undefined || element.textContent?.trim() === want.text)
          && (want.href === undefined || element.getAttribute('href') === want.href);
        return { done, visible: box.width > 0 && box.height > 0, name: `${element.tagName.toLowerCase()}#${element.id}` };
      }, target);
      assert.ok(state.visible, `focus stop ${state.name} is visible`);
      if (state.done) return;
    }
    assert.fail(`${JSON.stringify(target)} is not reachable with Tab`);
  }

  test('the keyboard alone goes from the invitation to "Finish setup" and on to the end', async () => {
    const page = await newPage();
    await page.goto(`${base}${user('a11y-keys').link}`);
    await page.waitForURL(/\/enrol$/);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip', 'the first stop is the skip link');
    await tabTo(page, { id: 'app-start' });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/enrol\/app$/);

    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
    await tabTo(page, { id: 'password' });
    await page.keyboard.type(PASSWORD);
    await tabTo(page, { id: 'confirm' });
    await page.keyboard.type(PASSWORD);
    await tabTo(page, { id: 'code' });
    await page.keyboard.type(await codeFor(secret));
    await tabTo(page, { text: 'Finish setup' });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/enrol\/recovery-codes$/);

    await tabTo(page, { text: 'I have saved my codes' });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/enrol\/done$/);
    await tabTo(page, { href: '/signin' });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/signin$/);
    await page.close();
  });

  test('axe-core finds nothing serious on any console page, at 360 and 1280 px', async () => {
    const created = await addStaff(server, 'a11y-admin@example.com', 'admin');
    const page = await newPage();
    const secret = await finishSetupInBrowser(page, base, created.setup_url, (setup) => assertAccessible(setup, 'staff setup'));
    await assertAccessible(page, 'console login');
    await page.fill('#email', 'a11y-admin@example.com');
    await page.fill('#password', 'wrong password entirely');
    await page.fill('#code', '000000');
    await page.click('button[type="submit"]');
    await page.locator('[role="alert"]').first().waitFor();
    await assertAccessible(page, 'console login, refused');
    await page.fill('#email', 'a11y-admin@example.com');
    await page.fill('#password', STAFF_PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/console\/campaigns$/);

    // Some history for the pages to show: a contact in the audit log, with a reason as people paste them (a ticket
    // reference does not wrap, so the audit table scrolls sideways at 360 px: the case axe's
    // scrollable-region-focusable is about).
    const [story] = await server.query("SELECT id FROM users WHERE legacy_id = 'a11y-app'");
    await server.api.post(`/api/v1/support/users/${story.id}/contacts`).set('authorization', `Bearer ${server.adminToken}`)
      .send({ reason: 'ZENDESK_TICKET_4829301928374659102938475610293847561', channel: 'phone', note: 'could not find the mail' }).expect(201);

    const pages = [
      '/console/campaigns', '/console/campaigns/new', `/console/campaigns/${campaignId}`, `/console/waves/${waveId}`,
      `/console/campaigns/${campaignId}/funnel`, `/console/waves/${waveId}/funnel`, '/console/progress', '/console/imports',
      '/console/staff', '/support', '/support?q=app', `/support/users/${story.id}`, `/support/users/${story.id}/reset-enrolment`,
      '/console/audit', '/console/audit?action=support', '/console/audit?action=staff', '/console/no-such-page',
    ];
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await page.locator('main').waitFor();
      await assertAccessible(page, path);
    }
    await page.setViewportSize({ width: 360, height: 780 });
    // The case found by hand: a new admin's audit log (staff entries, no links inside) scrolls sideways at 360 px,
    // and without tabindex on its wrapper axe reports scrollable-region-focusable (serious).
    await page.goto(`${base}/console/audit?action=staff`);
    const scrolls = await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth > wrap.clientWidth);
    assert.ok(scrolls, 'the audit table scrolls sideways at 360 px, so the focusable-region check above was real');
    assert.deepEqual(cspViolations, []);
    await page.close();
  });
});
