import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Browser } from 'playwright-core';
import { verifySignature } from '@simplewebauthn/server/helpers';
import { CHROMIUM_SKIP } from '../support/chromium.ts';
import type { InvitedUser } from '../support/invite.ts';
import { startInvitedBrowserBed, type InvitedBrowserBed } from '../support/invited-browser-bed.ts';
import { ndjson } from '../support/export-users.ts';
import type { TestServer } from '../support/test-server.ts';

const bytes = (b: Buffer) => new Uint8Array(b);

/**
 * The passkey round trip of issue 13: a passkey made by Chromium's virtual authenticator at /enrol, exported for
 * Keycloak and Auth0, and the exported COSE public key checks the signature the same authenticator made at /signin
 * (WebAuthn Level 3 §7.2 step 21: the signature is over authenticatorData || SHA-256(clientDataJSON)). The user
 * handle the authenticator returns is the UTF-8 of the user id, which Keycloak needs.
 */
describe('an exported passkey verifies a real sign-in signature (Chromium)', { skip: CHROMIUM_SKIP }, () => {
  let bed: InvitedBrowserBed;
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let users: InvitedUser[];
  before(async () => {
    bed = await startInvitedBrowserBed([{ id: 'pk-0', email: 'ada@example.com', given_name: 'Ada' }]);
    ({ server, browser, base, users } = bed);
  });
  after(() => bed?.stop());

  test('enrol, sign in, export: the COSE key from the Keycloak and Auth0 files verifies the /signin signature', async () => {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await page.goto(`${base}${users[0]!.link}`);
    await page.waitForURL(/\/enrol$/);
    await page.click('#passkey-start');
    await page.waitForURL(/\/enrol\/recovery-codes$/);
    await page.click('form[action="/enrol/recovery-codes"] button[type="submit"]');
    await page.waitForURL(/\/enrol\/done$/);

    const assertion = page.waitForRequest((r) => r.url().endsWith('/signin/passkey/verify'));
    await page.goto(`${base}/signin`);
    const body = JSON.parse((await assertion).postData()!) as { id: string; response: { authenticatorData: string; clientDataJSON: string; signature: string; userHandle: string } };
    await page.waitForURL(/\/signin\/done$/);
    await page.close();
    const [{ id: userId }] = await server.query("SELECT id FROM users WHERE legacy_id = 'pk-0'");
    assert.equal(Buffer.from(body.response.userHandle, 'base64url').toString('utf8'), userId);
    const signed = Buffer.concat([Buffer.from(body.response.authenticatorData, 'base64url'), createHash('sha256').update(Buffer.from(body.response.clientDataJSON, 'base64url')).digest()]);
    const signature = Buffer.from(body.response.signature, 'base64url');

    const get = async (target: string) => ndjson((await server.api.get(`/api/v1/exports/${target}`).set('authorization', `Bearer ${server.adminToken}`)).text);
    const keycloak = await get('keycloak');
    const user = keycloak.find((l) => l.record?.id === userId)!.record;
    const credential = user.credentials.find((c: { type: string }) => c.type === 'webauthn-passwordless');
    const data = JSON.parse(credential.credentialData);
    assert.equal(data.credentialId, Buffer.from(body.id, 'base64url').toString('base64'));
    assert.equal(await verifySignature({ signature: bytes(signature), data: bytes(signed), credentialPublicKey: bytes(Buffer.from(data.credentialPublicKey, 'base64url')) }), true);
    const tampered = Buffer.from(signed);
    tampered[0] = tampered[0]! ^ 1;
    assert.equal(await verifySignature({ signature: bytes(signature), data: bytes(tampered), credentialPublicKey: bytes(Buffer.from(data.credentialPublicKey, 'base64url')) }), false);
    assert.equal(keycloak.at(-1)!.summary.refusals.length, 0);

    const auth0 = await get('auth0');
    const call = auth0.find((l) => l.file === 'passkeys')!.record;
    assert.equal(call.body.key_id, body.id);
    assert.equal(call.body.user_handle, body.response.userHandle);
    assert.equal(call.body.relying_party_identifier, 'localhost');
    assert.equal(await verifySignature({ signature: bytes(signature), data: bytes(signed), credentialPublicKey: bytes(Buffer.from(call.body.public_key, 'base64url')) }), true);
  });
});
