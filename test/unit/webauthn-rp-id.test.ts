import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { rpIdProblem } from '../../src/config/check-rp-id.ts';
import { relyingParty } from '../../src/enrolment/relying-party.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cutover-rp-id-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env });

/** The one problem startup names, which must be about WEBAUTHN_RP_ID. */
function refusal(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.problems.length, 1, error.message);
    assert.match(error.problems[0]!, /^WEBAUTHN_RP_ID: /);
    return error.problems[0]!;
  }
  assert.fail(`startup accepted ${JSON.stringify(env)}`);
}

// The rules are the HTML Standard's "is a registrable domain suffix of or is equal to" (§7.2.3.1), which WebAuthn
// Level 2 §5.1.3 step 8 applies to the RP ID; public suffixes are the Public Suffix List's (ICANN and private).
describe('WEBAUTHN_RP_ID', () => {
  test('defaults to BASE_URL\'s host, and the relying party keeps BASE_URL\'s origin', () => {
    const config = load({ BASE_URL: 'https://migrate.example.com/' });
    assert.equal(config.WEBAUTHN_RP_ID, 'migrate.example.com');
    assert.equal(load({ PORT: '4000' }).WEBAUTHN_RP_ID, 'localhost');
    assert.deepEqual(relyingParty(load({ BASE_URL: 'https://migrate.example.com:8443', WEBAUTHN_RP_ID: 'example.com' })), {
      rpID: 'example.com', origin: 'https://migrate.example.com:8443',
    });
  });

  test('accepts the host itself and any registrable suffix of it', () => {
    for (const [base, rpId] of [
      ['https://migrate.example.com', 'migrate.example.com'],
      ['https://migrate.example.com', 'example.com'],
      ['https://a.b.migrate.example.co.uk', 'migrate.example.co.uk'],
      ['https://a.b.migrate.example.co.uk', 'example.co.uk'],
      ['https://login.acme.github.io', 'acme.github.io'],
      ['http://migrate.example.test:3000', 'example.test'],
      ['http://localhost:3000', 'localhost'],
      ['http://127.0.0.1:3000', '127.0.0.1'],
    ] as const) {
      assert.equal(load({ BASE_URL: base, WEBAUTHN_RP_ID: rpId }).WEBAUTHN_RP_ID, rpId, `${rpId} for ${base}`);
    }
  });

  test('refuses a domain that is not the host or a suffix of it at a dot', () => {
    assert.match(refusal({ BASE_URL: 'https://migrate.example.com', WEBAUTHN_RP_ID: 'other.com' }), /must be BASE_URL's host migrate\.example\.com or a suffix of it at a dot \(such as example\.com\) \(got "other\.com"\)/);
    // A suffix of the string but not at a label boundary: xample.com is somebody else's domain.
    assert.match(refusal({ BASE_URL: 'https://migrate.example.com', WEBAUTHN_RP_ID: 'xample.com' }), /suffix of it at a dot/);
    // A subdomain of the host is not a suffix of it either.
    assert.match(refusal({ BASE_URL: 'https://example.com', WEBAUTHN_RP_ID: 'login.example.com' }), /suffix of it at a dot/);
  });

  test('refuses an ICANN public suffix', () => {
    assert.match(refusal({ BASE_URL: 'https://migrate.example.com', WEBAUTHN_RP_ID: 'com' }), /com is a public suffix/);
    assert.match(refusal({ BASE_URL: 'https://migrate.example.co.uk', WEBAUTHN_RP_ID: 'co.uk' }), /co\.uk is a public suffix/);
    assert.match(refusal({ BASE_URL: 'https://migrate.example.co.uk', WEBAUTHN_RP_ID: 'uk' }), /uk is a public suffix/);
  });

  test('refuses a private public suffix such as github.io', () => {
    assert.match(refusal({ BASE_URL: 'https://acme.github.io', WEBAUTHN_RP_ID: 'github.io' }), /github\.io is a public suffix/);
    assert.match(refusal({ BASE_URL: 'https://shop.herokuapp.com', WEBAUTHN_RP_ID: 'herokuapp.com' }), /herokuapp\.com is a public suffix/);
  });

  test('an IP address or localhost: the RP ID must be the host itself', () => {
    assert.match(refusal({ BASE_URL: 'http://127.0.0.1:3000', WEBAUTHN_RP_ID: '0.0.1' }), /IP address: the RP ID must be that address itself/);
    assert.match(refusal({ BASE_URL: 'http://10.1.2.3', WEBAUTHN_RP_ID: 'example.com' }), /IP address/);
    assert.match(refusal({ BASE_URL: 'http://localhost:3000', WEBAUTHN_RP_ID: 'example.com' }), /host is localhost: the RP ID must be that host itself/);
    assert.match(refusal({ BASE_URL: 'http://app.localhost:3000', WEBAUTHN_RP_ID: 'localhost' }), /host is app\.localhost/);
  });

  test('refuses what is not a bare host name: a URL, a port, upper case, a trailing dot', () => {
    for (const value of ['https://example.com', 'example.com:443', 'Example.com', 'example.com.', '.example.com', 'exa mple.com']) {
      assert.match(refusal({ BASE_URL: 'https://migrate.example.com', WEBAUTHN_RP_ID: value }), /must be a host name as BASE_URL writes it/, value);
    }
  });

  test('the rule on its own, for a host that is itself a public suffix', () => {
    assert.equal(rpIdProblem('github.io', 'github.io'), null, 'equal to the host is always allowed (HTML Standard step 4 is skipped)');
    assert.match(rpIdProblem('io', 'github.io')!, /public suffix/);
  });
});
