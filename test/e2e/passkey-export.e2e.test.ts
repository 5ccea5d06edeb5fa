import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Browser } from 'playwright-core';
import { CHROMIUM_SKIP } from '../support/chromium.ts';
import type { InvitedUser } from '../support/invite.ts';
import { startInvitedBrowserBed, type InvitedBrowserBed } from '../support/invited-browser-bed.ts';
import type { TestServer } from '../support/test-server.ts';
import { coseAlgorithm, coseToJwk, coseToPem } from '../../src/export/cose-key.ts';
import type { ExportPasskey, ExportUser } from '../../src/export/export-user.ts';
import { fusionAuthWriter } from '../../src/export/targets/fusionauth.ts';
import { kratosWriter } from '../../src/export/targets/kratos.ts';

/**
 * A passkey made by Chromium's virtual authenticator (CDP WebAuthn domain) at cutover's enrolment, then used at
 * /signin: the assertion the browser sent is captured on its way to the server, and its signature over
 * authenticatorData || SHA-256(clientDataJSON) (WebAuthn §7.2 step 20) must verify with the public key as the
 * FusionAuth writer exports it (PEM), as COSE → JWK, and as the Kratos writer exports it (COSE bytes). Each test
 * enrols its own user.
 */
type Assertion = { id: string; response: { authenticatorData: string; clientDataJSON: string; signature: string; userHandle?: string } };

describe('a passkey enrolled in Chromium verifies with the exported public key', { skip: CHROMIUM_SKIP }, () => {
  let bed: InvitedBrowserBed;
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let users: InvitedUser[];
  before(async () => {
    bed = await startInvitedBrowserBed([{ id: 'px-0', email: 'pat@example.com', given_name: 'Pat' }, { id: 'px-1', email: 'sam@example.com', given_name: 'Sam' }],
      { ORG_NAME: 'Acme Bank', SUPPORT_EMAIL: 'help@acme.test' });
    ({ server, browser, base, users } = bed);
  });
  after(() => bed?.stop());

  /**
   * Enrols a passkey for the invited user in a fresh page with a virtual authenticator, offering it only the one COSE
   * algorithm given (the page narrows cutover's pubKeyCredParams, so the test does not depend on their order), then
   * signs in at /signin and returns the assertion the browser sent, with the stored credential as the export
   * pipeline hands it on.
   */
  async function enrolAndSignIn(invited: InvitedUser, alg: -7 | -8) {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await page.route('**/enrol/passkey/options', async (route) => {
      const response = await route.fetch();
      const options = await response.json();
      options.pubKeyCredParams = options.pubKeyCredParams.filter((p: { alg: number }) => p.alg === alg);
      assert.equal(options.pubKeyCredParams.length, 1, `cutover offers COSE algorithm ${alg}`);
      await route.fulfill({ response, json: options });
    });
    await page.goto(`${base}${invited.link}`);
    await page.waitForURL(/\/enrol$/);
    await page.locator('#passkey-option').waitFor({ state: 'visible' });
    await page.click('#passkey-start');
    await page.waitForURL(/\/enrol\/recovery-codes$/);
    await page.click('form[action="/enrol/recovery-codes"] button[type="submit"]');
    await page.waitForURL(/\/enrol\/done$/);

    // The assertion as the browser sends it to /signin/passkey/verify (SimpleWebAuthn's AuthenticationResponseJSON).
    const sent: Assertion[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/signin/passkey/verify') sent.push(request.postDataJSON());
    });
    await page.goto(`${base}/signin`);
    await page.waitForURL(/\/signin\/done$/); // the server accepted this very assertion
    await page.close();
    assert.equal(sent.length, 1);
    const assertion = sent[0]!;

    const [row] = await server.query(
      `SELECT c.id, c.public_key, c.counter, c.transports, c.aaguid, c.backed_up, c.device_type, c.rp_id, c.user_handle, c.created_at, u.id AS user_id
         FROM webauthn_credentials c JOIN users u ON u.id = c.user_id WHERE u.legacy_id = $1`, [invited.legacyId]);
    assert.equal(row.id, assertion.id);
    assert.equal(row.rp_id, 'localhost');
    // The user handle the browser returned is the one the export carries (UTF-8 of the user id).
    assert.equal(Buffer.from(assertion.response.userHandle!, 'base64url').toString('utf8'), row.user_id);
    assert.equal(row.user_handle.toString('utf8'), row.user_id);
    const passkey: ExportPasskey = {
      credentialId: row.id, publicKeyCose: row.public_key, counter: Number(row.counter), transports: row.transports,
      aaguid: row.aaguid, backedUp: row.backed_up, deviceType: row.device_type, rpId: row.rp_id, userHandle: row.user_handle, createdAt: row.created_at,
    };
    const exportUser: ExportUser = {
      id: row.user_id, legacyId: invited.legacyId, email: invited.email, emailVerified: true, name: null, givenName: null, familyName: null,
      locale: null, timezone: null, phone: null, state: 'enrolled', path: 'reset', passwordHash: null, totpSecretBase32: null,
      passkeys: [passkey], updatedAt: new Date(),
    };
    const authenticatorData = Buffer.from(assertion.response.authenticatorData, 'base64url');
    const clientDataJSON = Buffer.from(assertion.response.clientDataJSON, 'base64url');
    assert.equal(JSON.parse(clientDataJSON.toString()).type, 'webauthn.get');
    const signed = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]);
    return { assertion, passkey, exportUser, signed, signature: Buffer.from(assertion.response.signature, 'base64url') };
  }

  const context = { baseUrlHost: 'localhost', targetRpId: 'localhost', omit: new Set<'totp' | 'passkey'>() };

  function verifiesWithKratosKey(exportUser: ExportUser, assertion: Assertion, hash: string | null, signed: Buffer, signature: Buffer): boolean {
    const kratos = kratosWriter.write(exportUser, context).records[0]!.record as { create: { credentials: { passkey: { config: { user_handle: string; credentials: { id: string; public_key: string }[] } } } } };
    const config = kratos.create.credentials.passkey.config;
    assert.equal(Buffer.from(config.user_handle, 'base64').toString('base64url'), assertion.response.userHandle);
    assert.equal(Buffer.from(config.credentials[0]!.id, 'base64').toString('base64url'), assertion.id);
    return verify(hash, signed, createPublicKey({ key: coseToJwk(Buffer.from(config.credentials[0]!.public_key, 'base64')), format: 'jwk' }), signature);
  }

  test('an ES256 passkey: the assertion verifies with the FusionAuth PEM, the COSE → JWK key and the Kratos COSE key', async () => {
    const { assertion, passkey, exportUser, signed, signature } = await enrolAndSignIn(users[0]!, -7);
    assert.equal(coseAlgorithm(passkey.publicKeyCose), -7);
    const exported = fusionAuthWriter.write(exportUser, context);
    const fusionPasskeys = exported.records.filter((r) => r.file === 'passkeys').map((r) => r.record as { publicKey: string; credentialId: string; algorithm: number });
    assert.equal(fusionPasskeys.length, 1, JSON.stringify(exported.refusals));
    assert.deepEqual([fusionPasskeys[0]!.credentialId, fusionPasskeys[0]!.algorithm], [assertion.id, -7]);

    assert.equal(verify('sha256', signed, fusionPasskeys[0]!.publicKey, signature), true, 'the FusionAuth PEM verifies the signature');
    assert.equal(verify('sha256', signed, createPublicKey({ key: coseToJwk(passkey.publicKeyCose), format: 'jwk' }), signature), true, 'the COSE → JWK key verifies it');
    assert.equal(verifiesWithKratosKey(exportUser, assertion, 'sha256', signed, signature), true, 'the Kratos COSE key verifies it');
    const tampered = Buffer.from(signed);
    tampered[32] = tampered[32]! ^ 0x04; // flip the UV flag in authenticatorData
    assert.equal(verify('sha256', tampered, fusionPasskeys[0]!.publicKey, signature), false);

    // Exported for a platform under another RP ID, the same passkey is refused with the reason, not written.
    const elsewhere = fusionAuthWriter.write(exportUser, { ...context, targetRpId: 'example.com' });
    assert.equal(elsewhere.records.filter((r) => r.file === 'passkeys').length, 0);
    assert.match(elsewhere.refusals.find((r) => r.credential === 'passkey')!.reason, /made under RP ID "localhost" and FusionAuth uses "example\.com"/);
  });

  test('an Ed25519 passkey (what Chromium picks from cutover\'s default offer): the PEM and JWK verify it, FusionAuth refuses it with the reason', async () => {
    // cutover offers SimpleWebAuthn's default order (-8, -7, -257), and Chromium's virtual authenticator takes EdDSA.
    const { assertion, passkey, exportUser, signed, signature } = await enrolAndSignIn(users[1]!, -8);
    assert.equal(coseAlgorithm(passkey.publicKeyCose), -8);
    assert.equal(verify(null, signed, coseToPem(passkey.publicKeyCose), signature), true, 'the PEM verifies the Ed25519 signature');
    assert.equal(verify(null, signed, createPublicKey({ key: coseToJwk(passkey.publicKeyCose), format: 'jwk' }), signature), true);
    assert.equal(verifiesWithKratosKey(exportUser, assertion, null, signed, signature), true, 'the Kratos COSE key verifies it');
    const exported = fusionAuthWriter.write(exportUser, context);
    assert.equal(exported.records.filter((r) => r.file === 'passkeys').length, 0);
    assert.match(exported.refusals.find((r) => r.credential === 'passkey')!.reason, new RegExp(`passkey ${passkey.credentialId} uses COSE algorithm -8, which FusionAuth does not verify`));
  });
});
