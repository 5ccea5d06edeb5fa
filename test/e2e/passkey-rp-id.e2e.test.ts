import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../support/chromium.ts';
import { startWorkers, type Workers } from '../../src/worker.ts';
import { inviteUsers, waitFor, type InvitedUser } from '../support/invite.ts';
import { runCli } from '../support/run-cli.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { freePort, startTestServer, type TestServer } from '../support/test-server.ts';

const skip = CHROMIUM_SKIP;
const RP_ID = 'example.test';

/**
 * Issue 13, "Passkeys that can move": cutover at migrate.example.test makes passkeys under the parent RP ID
 * example.test, so that a platform at another host of example.test can take them over. Chromium resolves
 * *.example.test to loopback (--host-resolver-rules), and treats the http origin as secure (WebAuthn needs a secure
 * context); Chromium's own check that the RP ID is a registrable suffix of the origin's host runs for real.
 */
describe('passkeys under a parent RP ID, in Chromium', { skip }, () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let browser: Browser;
  let base: string;
  let port: number;
  let users: InvitedUser[];

  before(async () => {
    port = await freePort();
    base = `http://migrate.example.test:${port}`;
    server = await startTestServer({ port, env: { SMTP_URL: await smtp.start(), BASE_URL: base, WEBAUTHN_RP_ID: RP_ID } });
    await server.url();
    workers = await startWorkers(server.container);
    ({ users } = await inviteUsers(server, smtp, [{ id: 'rp-0', email: 'ada@example.com', given_name: 'Ada' }]));
    // The mail can arrive a moment before the send job marks its invitation sent; the link works from then on.
    await waitFor('the invitation sent', async () => (await server.query("SELECT count(*)::int AS n FROM invitations WHERE state = 'sent'"))[0].n === 1);
    browser = await launchChromium([`--host-resolver-rules=MAP *.example.test 127.0.0.1`, `--unsafely-treat-insecure-origin-as-secure=${base}`]);
  });
  after(async () => {
    await browser?.close();
    await workers?.stop();
    await server?.close();
    await smtp.stop();
  });

  /** A virtual platform authenticator with user verification (CDP WebAuthn domain). */
  async function addAuthenticator(page: Page, automaticPresenceSimulation: boolean): Promise<{ cdp: CDPSession; authenticatorId: string }> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation },
    });
    return { cdp, authenticatorId };
  }

  test('enrol at migrate.example.test under RP ID example.test, then sign in with that passkey at /signin', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const { cdp, authenticatorId } = await addAuthenticator(page, true);
    await page.goto(`${base}${users[0]!.link}`);
    await page.waitForURL(/\/enrol$/);
    await page.locator('#passkey-option').waitFor({ state: 'visible' });
    // Chromium's own RP ID check runs here (the flags only make the origin secure): a host outside the origin's
    // domain is refused with a SecurityError before any authenticator is asked.
    const foreign = await page.evaluate(() => navigator.credentials.create({ publicKey: {
      rp: { id: 'other.test', name: 'x' }, user: { id: new Uint8Array(16), name: 'x', displayName: 'x' },
      challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    } }).then(() => 'created', (error: Error) => error.name));
    assert.equal(foreign, 'SecurityError');
    await page.click('#passkey-start');
    await page.waitForURL(/\/enrol\/recovery-codes$/);
    await page.click('form[action="/enrol/recovery-codes"] button[type="submit"]');
    await page.waitForURL(/\/enrol\/done$/);

    // What the authenticator holds, and what cutover stored, name the parent RP ID and the UTF-8 user id.
    const [user] = await server.query("SELECT id FROM users WHERE legacy_id = 'rp-0'");
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]!.rpId, RP_ID, 'Chromium made the passkey under the parent domain');
    assert.equal(Buffer.from(credentials[0]!.userHandle!, 'base64').toString('utf8'), user.id);
    const [stored] = await server.query('SELECT id, rp_id, user_handle, counter FROM webauthn_credentials WHERE user_id = $1', [user.id]);
    assert.equal(stored.rp_id, RP_ID);
    assert.equal(Buffer.from(stored.user_handle).toString('utf8'), user.id, 'the stored user handle is the UTF-8 of the user id');
    assert.equal(Buffer.from(stored.user_handle).length, 36);
    assert.equal(stored.id, Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url'));

    /** /signin with the button, in a tab whose authenticator holds a copy of that passkey and waits for the click. */
    const signInWithButton = async (): Promise<Page> => {
      const signInPage = await browser.newPage();
      signInPage.on('pageerror', (error) => errors.push(error.message));
      const second = await addAuthenticator(signInPage, false);
      await second.cdp.send('WebAuthn.addCredential', { authenticatorId: second.authenticatorId, credential: credentials[0]! });
      await signInPage.goto(`${base}/signin`);
      await signInPage.locator('#passkey-signin').waitFor({ state: 'visible' });
      await second.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: second.authenticatorId, enabled: true });
      await signInPage.click('#passkey-signin-start');
      return signInPage;
    };

    // Chromium's authenticator returns the user handle: with a stored handle in the old 16-byte form it no longer
    // matches, and the sign-in is refused. This shows that the check sees what a real browser sends.
    await server.query("UPDATE webauthn_credentials SET user_handle = decode(replace(user_id::text, '-', ''), 'hex') WHERE id = $1", [stored.id]);
    const refused = await signInWithButton();
    await refused.locator('#passkey-error').waitFor({ state: 'visible' });
    assert.match(refused.url(), /\/signin$/);
    assert.equal((await server.query('SELECT last_used_at FROM webauthn_credentials WHERE id = $1', [stored.id]))[0].last_used_at, null);
    await refused.close();
    await server.query('UPDATE webauthn_credentials SET user_handle = $2 WHERE id = $1', [stored.id, Buffer.from(user.id, 'utf8')]);

    const signInPage = await signInWithButton();
    await signInPage.waitForURL(/\/signin\/done$/);
    assert.match((await signInPage.locator('main').textContent())!, /ada@example\.com[\s\S]*Your passkey works/);
    const [used] = await server.query('SELECT counter, last_used_at FROM webauthn_credentials WHERE id = $1', [stored.id]);
    assert.ok(used.last_used_at, 'the sign-in used the stored credential');
    const verified = await server.query("SELECT method FROM funnel_events WHERE user_id = $1 AND stage = 'verified'", [user.id]);
    assert.deepEqual(verified.map((row: { method: string }) => row.method), ['passkey']);
    assert.deepEqual(errors, []);
    await signInPage.close();
    await page.close();
  });

  test('startup refuses WEBAUTHN_RP_ID=other.test for that BASE_URL, naming the key and the reason', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-rp-refuse-'));
    try {
      const result = await runCli(['serve'], { BASE_URL: base, WEBAUTHN_RP_ID: 'other.test', DATA_DIR: dataDir, NODE_ENV: 'test', PORT: String(await freePort()) });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stderr, new RegExp(`WEBAUTHN_RP_ID: must be BASE_URL's host migrate\\.example\\.test or a suffix of it at a dot \\(such as example\\.test\\) \\(got "other\\.test"\\)`));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(result.stdout, /listening/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
