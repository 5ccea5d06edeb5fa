// An enrolled user as the export pipeline hands it to a writer, with real credentials: an argon2id hash made by
// cutover's own hasher, a fresh TOTP secret, and passkeys whose private keys the test holds, so that what a writer
// exports can be checked by signing and verifying, not by comparing strings.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { ExportPasskey, ExportUser } from '../export-user.ts';
import type { ExportContext } from '../target-writer.ts';
import { hashPassword } from '../../identity/argon2id-password.ts';
import { newTotpSecret } from '../../identity/totp.ts';

export const SAMPLE_PASSWORD = 'violet kettle harbour';
export const RP_ID = 'example.com';

export interface SamplePasskey { passkey: ExportPasskey; privateKey: KeyObject; hash: string | null }

/** A passkey made under `rpId` with a key of the given kind, COSE-encoded as an authenticator would. */
export function samplePasskey(userId: string, kind: 'es256' | 'ed25519' = 'es256', rpId = RP_ID): SamplePasskey {
  const pair = kind === 'es256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const jwk = pair.publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const cose = kind === 'es256'
    ? new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, Buffer.from(jwk.y!, 'base64url')]])
    : new Map<number, number | Uint8Array>([[1, 1], [3, -8], [-1, 6], [-2, x]]);
  return {
    privateKey: pair.privateKey,
    hash: kind === 'es256' ? 'sha256' : null,
    passkey: {
      credentialId: randomBytes(16).toString('base64url'),
      publicKeyCose: Buffer.from(isoCBOR.encode(cose)),
      counter: 3, transports: ['internal', 'hybrid'], aaguid: 'adce0002-35bc-c60a-648b-0b25f1f05503',
      backedUp: true, deviceType: 'multiDevice', rpId,
      userHandle: Buffer.from(userId, 'utf8'),
      createdAt: new Date('2026-11-20T10:00:00Z'),
    },
  };
}

/** What an authenticator signs at sign-in (WebAuthn §7.2 step 20): authenticatorData || SHA-256(clientDataJSON). */
export function sampleAssertion(sample: SamplePasskey, rpId = RP_ID): { signedData: Buffer; signature: Buffer } {
  const authData = Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([0x05]), Buffer.from([0, 0, 0, 4])]);
  const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: randomBytes(32).toString('base64url'), origin: `https://login.${rpId}` }));
  const signedData = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
  return { signedData, signature: sign(sample.hash, signedData, sample.privateKey) };
}

export async function sampleUser(overrides: Partial<ExportUser> = {}): Promise<ExportUser> {
  const id = randomUUID();
  return {
    id, legacyId: `legacy-${id.slice(0, 8)}`,
    email: 'ada@example.com', emailVerified: true,
    name: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace',
    locale: 'en-GB', timezone: 'Europe/London', phone: null,
    state: 'enrolled', path: 'reset',
    passwordHash: await hashPassword(SAMPLE_PASSWORD),
    totpSecretBase32: newTotpSecret(),
    passkeys: [],
    updatedAt: new Date('2026-11-20T10:00:00Z'),
    ...overrides,
  };
}

export function context(overrides: Partial<ExportContext> = {}): ExportContext {
  return { baseUrlHost: `migrate.${RP_ID}`, targetRpId: RP_ID, omit: new Set(), ...overrides };
}
