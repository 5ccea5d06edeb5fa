import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, test } from 'node:test';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { coseAlgorithm, coseToJwk, coseToKeyObject, coseToPem, UnsupportedCoseKey } from './cose-key.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const coseKey = (entries: [number, number | Uint8Array][]) => Buffer.from(isoCBOR.encode(new Map(entries)));
const ec2 = (alg: number, crv: number, x: Buffer, y: Buffer) => coseKey([[1, 2], [3, alg], [-1, crv], [-2, x], [-3, y]]);

describe('COSE_Key → JWK / PEM', () => {
  test('RFC 6979 A.2.5: the P-256 key, and its deterministic ES256 signature of "sample", verify through the PEM', () => {
    // RFC 6979 appendix A.2.5 (ECDSA, 256 bits, prime field): private x, public Ux/Uy; "With SHA-256, message = sample".
    const Ux = hex('60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6');
    const Uy = hex('7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299');
    const key = ec2(-7, 1, Ux, Uy);
    assert.equal(coseAlgorithm(key), -7);
    assert.deepEqual(coseToJwk(key), { kty: 'EC', crv: 'P-256', x: Ux.toString('base64url'), y: Uy.toString('base64url'), alg: 'ES256' });
    // The RFC's private key derives to the same public key (node:crypto computes Ux, Uy from x).
    const derived = createPublicKey(createPrivateKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', d: hex('C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721').toString('base64url'), x: Ux.toString('base64url'), y: Uy.toString('base64url') } }));
    assert.equal(derived.export({ type: 'spki', format: 'pem' }), coseToPem(key));
    const r = 'EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716';
    const s = 'F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8';
    const pem = coseToPem(key);
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    assert.equal(verify('sha256', Buffer.from('sample'), { key: pem, dsaEncoding: 'ieee-p1363' }, hex(r + s)), true);
    assert.equal(verify('sha256', Buffer.from('samplf'), { key: pem, dsaEncoding: 'ieee-p1363' }, hex(r + s)), false);
  });

  test('RFC 8032 §7.1 TEST 1: the Ed25519 public key verifies the RFC\'s signature of the empty message', () => {
    const publicKey = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const signature = hex(`e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155
      5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b`);
    const key = coseKey([[1, 1], [3, -8], [-1, 6], [-2, publicKey]]);
    assert.equal(coseAlgorithm(key), -8);
    assert.deepEqual(coseToJwk(key), { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url'), alg: 'EdDSA' });
    assert.equal(verify(null, Buffer.alloc(0), coseToPem(key), signature), true);
    assert.equal(verify(null, Buffer.from('x'), coseToPem(key), signature), false);
  });

  test('RFC 8410 §10.1: an Ed25519 COSE key becomes exactly the RFC\'s SubjectPublicKeyInfo PEM', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n';
    const x = Buffer.from('MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=', 'base64').subarray(12); // after the 12-byte SPKI header
    assert.equal(coseToPem(coseKey([[1, 1], [3, -8], [-1, 6], [-2, x]])), pem);
  });

  test('WebAuthn Level 2 §6.5.1.1: the spec\'s example EC2 ES256 credentialPublicKey is a P-256 point node accepts', () => {
    // https://www.w3.org/TR/webauthn-2/#sctn-encoded-credPubKey-examples
    const x = hex('65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d');
    const y = hex('1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c');
    const key = ec2(-7, 1, x, y);
    assert.equal(coseToKeyObject(key).asymmetricKeyType, 'ec');
    assert.equal(coseToKeyObject(key).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    // The same x with a y off the curve is refused, not exported.
    const offCurve = Buffer.from(y);
    offCurve[31] = offCurve[31]! ^ 1;
    assert.throws(() => coseToPem(ec2(-7, 1, x, offCurve)), UnsupportedCoseKey);
  });

  for (const [curve, crv, alg, hash] of [['P-256', 1, -7, 'sha256'], ['P-384', 2, -35, 'sha384'], ['P-521', 3, -36, 'sha512']] as const) {
    test(`a signature by a node:crypto ${curve} key verifies with the key converted COSE → PEM and COSE → JWK`, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const jwk = publicKey.export({ format: 'jwk' });
      const key = ec2(alg, crv, Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url'));
      const data = Buffer.from('authenticatorData || sha256(clientDataJSON)');
      const signature = sign(hash, data, privateKey); // DER, as WebAuthn ES* assertions are
      assert.equal(verify(hash, data, coseToPem(key), signature), true);
      assert.equal(verify(hash, data, createPublicKey({ key: coseToJwk(key), format: 'jwk' }), signature), true);
      assert.equal(coseToPem(key), publicKey.export({ type: 'spki', format: 'pem' }));
    });
  }

  test('RSA (RS256 and PS256): node:crypto signatures verify with the converted key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const n = Buffer.from(jwk.n!, 'base64url');
    const e = Buffer.from(jwk.e!, 'base64url');
    const data = Buffer.from('signed data');
    const rs256 = coseKey([[1, 3], [3, -257], [-1, n], [-2, e]]);
    assert.equal(coseAlgorithm(rs256), -257);
    assert.equal(verify('sha256', data, coseToPem(rs256), sign('sha256', data, privateKey)), true);
    const ps256 = coseKey([[1, 3], [3, -37], [-1, n], [-2, e]]);
    const pss = { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 };
    assert.equal(verify('sha256', data, { key: coseToPem(ps256), ...pss }, sign('sha256', data, { key: privateKey, ...pss })), true);
    assert.equal(coseToJwk(ps256).alg, 'PS256');
  });

  test('keys that are not WebAuthn public keys are refused with what was found', () => {
    assert.throws(() => coseToJwk(Buffer.from('not cbor at all')), UnsupportedCoseKey);
    assert.throws(() => coseToJwk(coseKey([[1, 7], [3, -48], [-1, Buffer.alloc(32)]])), /unsupported COSE key type 7/);
    assert.throws(() => coseToJwk(coseKey([[1, 2], [3, -47], [-1, 8], [-2, Buffer.alloc(32)], [-3, Buffer.alloc(32)]])), /unsupported EC2 curve 8/);
    assert.throws(() => coseToJwk(coseKey([[1, 2], [3, -7], [-1, 1], [-2, Buffer.alloc(31)], [-3, Buffer.alloc(32)]])), /31 and 32 bytes, expected 32/);
    assert.throws(() => coseToJwk(coseKey([[1, 2], [3, -7], [-1, 1], [-2, Buffer.alloc(32)]])), /y \(label -3\) is missing/);
    assert.throws(() => coseAlgorithm(coseKey([[1, 2]])), /no algorithm/);
    assert.throws(() => coseToJwk(coseKey([[1, 1], [3, -8], [-1, 7], [-2, Buffer.alloc(57)]])), /unsupported OKP curve 7/);
  });
});
