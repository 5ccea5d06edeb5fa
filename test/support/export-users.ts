import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { cbor } from './soft-authenticator.ts';
import type { TestServer } from './test-server.ts';

/** An ES256 passkey made in the test: its COSE_Key (RFC 9052 §7, as authenticators send it) and a way to sign. */
export function makePasskeyKey(): { cose: Buffer; sign(data: Buffer): Buffer; privateKey: KeyObject } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = pair.publicKey.export({ format: 'jwk' });
  const cose = cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  return { cose, privateKey: pair.privateKey, sign: (data) => sign('sha256', data, pair.privateKey) };
}

/** Stores a passkey as enrolment would (src/enrolment/enrolment.service.ts), with the given RP ID and user handle. */
export async function addPasskey(server: TestServer, userId: string, options: { id: string; cose: Buffer; rpId: string | null; userHandle: Buffer }): Promise<void> {
  await server.query("UPDATE users SET state = 'enrolled', enrolled_method = 'passkey', enrolled_at = now() WHERE id = $1", [userId]);
  await server.query(
    `INSERT INTO webauthn_credentials (id, user_id, public_key, counter, transports, device_type, backed_up, aaguid, platform, rp_id, user_handle)
     VALUES ($1, $2, $3, 7, '{internal,hybrid}', 'multiDevice', true, 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd', 'macOS', $4, $5)`,
    [options.id, userId, options.cose, options.rpId, options.userHandle],
  );
}

/** The NDJSON lines of an export answer. */
export function ndjson(text: string): Array<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
