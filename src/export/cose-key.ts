// A passkey's public key as stored at registration is a COSE_Key (RFC 9052 §7, RFC 9053 §7): a CBOR map whose
// labels are 1 kty, 3 alg, and per key type -1 crv, -2 x, -3 y (EC2, OKP) or -1 n, -2 e (RSA). Some platforms take
// it as it is (Auth0, Keycloak, Kratos); FusionAuth takes a PEM (SubjectPublicKeyInfo, RFC 5280 §4.1.2.7). These
// helpers turn one into the other through a JWK (RFC 7517/7518, RFC 8037 for OKP), which node:crypto reads.
// The CBOR is decoded by @simplewebauthn/server's helper (tiny-cbor underneath), the library that verified the key
// at registration, so the export reads it exactly as the sign-in check does.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { cose, decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';

/** A COSE key the export cannot turn into a platform's form, with what it holds and what was expected. */
export class UnsupportedCoseKey extends Error {
  override readonly name = 'UnsupportedCoseKey';
}

/** COSE algorithm ids (IANA "COSE Algorithms") and their JOSE names, for the ones WebAuthn authenticators use. */
const JOSE_NAMES = new Map<number, string>([
  [-7, 'ES256'], [-35, 'ES384'], [-36, 'ES512'], [-8, 'EdDSA'],
  [-257, 'RS256'], [-258, 'RS384'], [-259, 'RS512'], [-37, 'PS256'], [-38, 'PS384'], [-39, 'PS512'],
]);

/** IANA "COSE Elliptic Curves": 1 P-256, 2 P-384, 3 P-521 (EC2), 6 Ed25519 (OKP); with each EC2 coordinate's size. */
const EC2_CURVES = new Map<number, { crv: string; bytes: number }>([[1, { crv: 'P-256', bytes: 32 }], [2, { crv: 'P-384', bytes: 48 }], [3, { crv: 'P-521', bytes: 66 }]]);
const OKP_CURVES = new Map<number, { crv: string; bytes: number }>([[6, { crv: 'Ed25519', bytes: 32 }]]);

function decode(coseKey: Uint8Array): cose.COSEPublicKey {
  let key: unknown;
  try {
    key = decodeCredentialPublicKey(new Uint8Array(coseKey));
  } catch (error) {
    throw new UnsupportedCoseKey(`the COSE key is not valid CBOR (${(error as Error).message})`);
  }
  if (!(key instanceof Map)) throw new UnsupportedCoseKey('the COSE key is not a CBOR map');
  return key as cose.COSEPublicKey;
}

function bytesOf(key: cose.COSEPublicKey, label: number, name: string): Buffer {
  const value = (key as unknown as Map<number, unknown>).get(label);
  if (!(value instanceof Uint8Array)) throw new UnsupportedCoseKey(`the COSE key's ${name} (label ${label}) is ${value === undefined ? 'missing' : `a ${typeof value}, not a byte string`}`);
  return Buffer.from(value);
}

/** The COSE algorithm id (label 3) of a stored COSE_Key: -7 ES256, -8 EdDSA, -257 RS256, … */
export function coseAlgorithm(coseKey: Uint8Array): number {
  const alg = decode(coseKey).get(cose.COSEKEYS.alg);
  if (typeof alg !== 'number') throw new UnsupportedCoseKey(`the COSE key has no algorithm (label 3)`);
  return alg;
}

/** The JOSE name of a COSE algorithm id, or null for one this module does not know. */
export function joseAlgorithmName(alg: number): string | null {
  return JOSE_NAMES.get(alg) ?? null;
}

/** The public key as a JWK: EC (P-256/384/521), OKP (Ed25519) or RSA, with `alg` where the COSE key names one. */
export function coseToJwk(coseKey: Uint8Array): JsonWebKey {
  const key = decode(coseKey);
  const kty = key.get(cose.COSEKEYS.kty);
  const alg = key.get(cose.COSEKEYS.alg);
  const jose = typeof alg === 'number' ? JOSE_NAMES.get(alg) : undefined;
  const withAlg = (jwk: JsonWebKey): JsonWebKey => (jose ? { ...jwk, alg: jose } : jwk);
  if (kty === cose.COSEKTY.EC2) {
    const crvId = (key as cose.COSEPublicKeyEC2).get(cose.COSEKEYS.crv);
    const curve = typeof crvId === 'number' ? EC2_CURVES.get(crvId) : undefined;
    if (!curve) throw new UnsupportedCoseKey(`unsupported EC2 curve ${String(crvId)} (expected 1 P-256, 2 P-384 or 3 P-521)`);
    const x = bytesOf(key, cose.COSEKEYS.x, 'x');
    // RFC 9053 §7.1.1 allows y as a sign bit (point compression); WebAuthn keys carry the full coordinate.
    const y = bytesOf(key, cose.COSEKEYS.y, 'y');
    if (x.length !== curve.bytes || y.length !== curve.bytes) throw new UnsupportedCoseKey(`the ${curve.crv} coordinates are ${x.length} and ${y.length} bytes, expected ${curve.bytes}`);
    return withAlg({ kty: 'EC', crv: curve.crv, x: x.toString('base64url'), y: y.toString('base64url') });
  }
  if (kty === cose.COSEKTY.OKP) {
    const crvId = (key as cose.COSEPublicKeyOKP).get(cose.COSEKEYS.crv);
    const curve = typeof crvId === 'number' ? OKP_CURVES.get(crvId) : undefined;
    if (!curve) throw new UnsupportedCoseKey(`unsupported OKP curve ${String(crvId)} (expected 6 Ed25519)`);
    const x = bytesOf(key, cose.COSEKEYS.x, 'x');
    if (x.length !== curve.bytes) throw new UnsupportedCoseKey(`the ${curve.crv} key is ${x.length} bytes, expected ${curve.bytes}`);
    return withAlg({ kty: 'OKP', crv: curve.crv, x: x.toString('base64url') });
  }
  if (kty === cose.COSEKTY.RSA) {
    const n = bytesOf(key, cose.COSEKEYS.n, 'n');
    const e = bytesOf(key, cose.COSEKEYS.e, 'e');
    return withAlg({ kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') });
  }
  throw new UnsupportedCoseKey(`unsupported COSE key type ${String(kty)} (expected 1 OKP, 2 EC2 or 3 RSA)`);
}

/** The public key as node:crypto's KeyObject (which also checks that an EC point lies on its curve). */
export function coseToKeyObject(coseKey: Uint8Array): KeyObject {
  const jwk = coseToJwk(coseKey);
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    throw new UnsupportedCoseKey(`the ${jwk.kty} key is not a valid public key (${(error as Error).message})`);
  }
}

/** The public key as a PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`), the form FusionAuth imports. */
export function coseToPem(coseKey: Uint8Array): string {
  return coseToKeyObject(coseKey).export({ type: 'spki', format: 'pem' }).toString();
}
