import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../support/chromium.ts';
import { startWorkers, type Workers } from '../../src/worker.ts';
import { inviteUsers, type InvitedUser } from '../support/invite.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { codeFor } from '../support/staff-helpers.ts';
import { freePort, startTestServer, type TestServer } from '../support/test-server.ts';

const skip = CHROMIUM_SKIP;
const SHOTS = 'test-results/screenshots';
const PASSWORD = 'violet kettle harbour';

/**
 * From the invitation mail (received by a real SMTP server) to a sign-in with the new credential, in Chromium.
 * Passkeys use Chromium's virtual authenticator over CDP. Every page is photographed at 1280 and 360 px wide
 * into test-results/screenshots/ (ignored by git) for people to look at.
 */
describe('re-enrolment and sign-in in Chromium', { skip }, () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let browser: Browser;
  let base: string;
  let users: InvitedUser[];
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = await startTestServer({ port, env: { SMTP_URL: await smtp.start(), BASE_URL: base, ORG_NAME: 'Acme Bank', SUPPORT_EMAIL: 'help@acme.test' } });
    await server.url();
    workers = await startWorkers(server.container);
    ({ users } = await inviteUsers(server, smtp, [
      { id: 'b-0', email: 'ada@example.com', given_name: 'Ada' },
      { id: 'b-1', email: 'bo@example.com', given_name: 'Bo', locale: 'de' },
      { id: 'b-2', email: 'cy@example.com', given_name: 'Cy' },
      { id: 'b-3', email: 'di@example.com', given_name: 'Di' },
    ]));
    // localhost is a secure context for WebAuthn; keep name resolution off the network.
    browser = await launchChromium([`--host-resolver-rules=MAP localhost 127.0.0.1`]);
  });
  after(async () => {
    await browser?.close();
    await workers?.stop();
    await server?.close();
    await smtp.stop();
  });

  async function newPage(): Promise<{ page: Page; cspViolations: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const cspViolations: string[] = [];
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text()); });
    return { page, cspViolations };
  }

  /** A virtual platform authenticator with user verification, answering at once (CDP WebAuthn domain). */
  async function addAuthenticator(page: Page): Promise<void> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    authenticators.set(page, authenticatorId);
  }

  /**
   * The user closes the browser's passkey dialog. Chromium's virtual authenticator cannot refuse (its
   * isUserConsenting option is ignored, checked on Chromium 156), and with no authenticator the request just waits,
   * so the page gets what Chromium hands it on a cancel: a NotAllowedError from navigator.credentials.create().
   */
  async function cancelNextPasskeyDialog(page: Page): Promise<void> {
    await page.evaluate(() => {
      const real = navigator.credentials.create.bind(navigator.credentials);
      navigator.credentials.create = () => {
        navigator.credentials.create = real;
        return Promise.reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
      };
    });
  }

  const authenticators = new Map<Page, string>();

  async function shoot(page: Page, name: string): Promise<void> {
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
      if (width === 360) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${name} scrolls sideways at 360 px (${overflow} px)`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  async function saveCodes(page: Page): Promise<string[]> {
    await page.waitForURL(/\/enrol\/recovery-codes$/);
    const codes = await page.locator('#recovery-codes code').allTextContents();
    assert.equal(codes.length, 10);
    await shoot(page, '05-recovery-codes');
    await page.click('form[action="/enrol/recovery-codes"] button[type="submit"]');
    await page.waitForURL(/\/enrol\/done$/);
    return codes;
  }

  test('passkey: from the mail to enrolment, then a passkey sign-in', async () => {
    const { page, cspViolations } = await newPage();
    await addAuthenticator(page);
    await page.goto(`${base}${users[0]!.link}`);
    await page.waitForURL(/\/enrol$/);
    assert.equal(await page.locator('h1').textContent(), 'Set up your new sign-in');
    await page.locator('#passkey-option').waitFor({ state: 'visible' });
    await shoot(page, '01-choose');
    await page.click('#passkey-start');
    await saveCodes(page);
    assert.equal(await page.locator('h1').textContent(), 'You’re all set');
    await shoot(page, '06-done');

    // The sign-in page offers the passkey twice: as autofill on the email field (conditional UI), which Chromium's
    // virtual authenticator answers at once with the only passkey it holds, and as a button.
    await page.click('a[href="/signin"]');
    await page.waitForURL(/\/signin\/done$/);
    await page.goto(`${base}/signin?change=1`);
    await page.waitForURL(/\/signin\/done$/);
    // And the button, in a tab whose authenticator (holding a copy of the passkey) waits for the click.
    const { page: buttonPage } = await newPage();
    const cdp = await buttonPage.context().newCDPSession(buttonPage);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: false },
    });
    const { credentials } = await (await page.context().newCDPSession(page)).send('WebAuthn.getCredentials', { authenticatorId: authenticators.get(page)! });
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: credentials[0]! });
    await buttonPage.goto(`${base}/signin`);
    await buttonPage.locator('#passkey-signin').waitFor({ state: 'visible' });
    await shoot(buttonPage, '07-signin');
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    await buttonPage.click('#passkey-signin-start');
    await buttonPage.waitForURL(/\/signin\/done$/);
    await buttonPage.close();
    assert.match((await page.locator('main').textContent())!, /Signing in as ada@example\.com[\s\S]*Your passkey works/);
    await shoot(page, '09-signin-done');
    const stages = await server.query("SELECT stage, method FROM funnel_events f JOIN users u ON u.id = f.user_id WHERE u.legacy_id = 'b-0' ORDER BY f.id");
    assert.deepEqual(stages.map((s: { stage: string }) => s.stage), ['targeted', 'sent', 'clicked', 'started', 'enrolled', 'verified']);
    const [invitation] = await server.query("SELECT platform, method FROM invitations i JOIN users u ON u.id = i.user_id WHERE u.legacy_id = 'b-0'");
    assert.deepEqual([invitation.method, invitation.platform], ['passkey', 'Linux']);
    assert.deepEqual(cspViolations, []);
    await page.close();
  });

  test('a cancelled passkey ceremony offers a retry and the app; the app path then enrols (German pages) and signs in', async () => {
    const { page, cspViolations } = await newPage();
    await addAuthenticator(page);
    await page.goto(`${base}${users[1]!.link}`);
    await page.waitForURL(/\/enrol$/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    await cancelNextPasskeyDialog(page);
    await page.click('#passkey-start');
    await page.locator('#passkey-error').waitFor({ state: 'visible' });
    assert.match((await page.locator('#passkey-error').textContent())!, /Der Passkey wurde nicht erstellt/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'passkey-error', 'focus moves to the message');
    assert.equal(await page.locator('#passkey-start').textContent(), 'Passkey noch einmal versuchen');
    await shoot(page, '02-passkey-cancelled');

    await page.click('#app-start');
    await page.waitForURL(/\/enrol\/app$/);
    await shoot(page, '03-app');
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
    await page.fill('#password', 'passwort1');
    await page.fill('#confirm', 'passwort1');
    await page.fill('#code', '000000');
    await page.click('button[type="submit"]');
    await page.locator('#error-summary').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'focus moves to the errors');
    assert.match((await page.locator('#password-error').textContent())!, /verbreitet/);
    await shoot(page, '04-app-errors');
    await page.fill('#password', PASSWORD);
    await page.fill('#confirm', PASSWORD);
    await page.fill('#code', await codeFor(secret));
    await page.click('button[type="submit"]');
    const codes = await saveCodes(page);
    assert.equal(await page.locator('h1').textContent(), 'Alles erledigt');

    await page.goto(`${base}/signin`);
    await page.fill('#email', 'bo@example.com');
    await page.click('#signin-email button[type="submit"]');
    await page.waitForURL(/\/signin\/password$/);
    await page.fill('#password', PASSWORD);
    await page.fill('#code', await codeFor(secret, 30));
    await shoot(page, '08-signin-password');
    await page.click('form[action="/signin/password"] button[type="submit"]');
    await page.waitForURL(/\/signin\/done$/);

    // A recovery code signs in too, once.
    const { page: other } = await newPage();
    await other.goto(`${base}/signin/recovery`);
    await other.fill('#email', 'bo@example.com');
    await other.fill('#recovery-code', codes[0]!);
    await shoot(other, '10-signin-recovery');
    await other.click('button[type="submit"]');
    await other.waitForURL(/\/signin\/done$/);
    assert.match((await other.locator('main').textContent())!, /(You have|Sie haben noch) 9/);
    assert.deepEqual(cspViolations, []);
    await page.close();
    await other.close();
  });

  test('expired and reused links get a plain page with a way to ask for a new one', async () => {
    const { page } = await newPage();
    await server.query("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE legacy_id = 'b-2')");
    await page.goto(`${base}${users[2]!.link}`);
    assert.equal(await page.locator('h1').textContent(), 'This link has expired or was already used');
    await shoot(page, '11-link-expired');
    await page.fill('#email', 'cy@example.com');
    await page.click('text=Email me a new link');
    assert.equal(await page.locator('h1').textContent(), 'Check your email');
    await shoot(page, '12-link-sent');

    await page.goto(`${base}${users[0]!.link}`); // Ada enrolled with this link already
    assert.equal(await page.locator('h1').textContent(), 'This link has expired or was already used');
    await page.close();
  });
});
