import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CliError } from './api-client.ts';

/**
 * `--passphrase-file`: each export file is sealed on its own, as
 *
 *     "CUTOVER-EXPORT-1\n" (17 bytes) | salt (16) | iv (12) | AES-256-GCM ciphertext | tag (16)
 *
 * The key is scrypt(passphrase, salt, N=2^15, r=8, p=1, 32 bytes) (RFC 7914); the 45 header bytes are the GCM
 * additional data, so a changed header does not open either. One salt per export run, one random IV per file.
 * `cutover export decrypt` undoes it; so does any AES-GCM tool given these offsets.
 */
export const MAGIC = Buffer.from('CUTOVER-EXPORT-1\n', 'ascii');
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES + IV_BYTES;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export function readPassphrase(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`cannot read the passphrase file ${path}`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.length < 12) throw new CliError(`the passphrase in ${path} is ${passphrase.length} characters; use at least 12`);
  return passphrase;
}

/** scrypt costs ~100 ms: one derivation per (passphrase, salt), since all files of one export share the salt. */
const keys = new Map<string, Buffer>();
function keyFor(passphrase: string, salt: Buffer): Buffer {
  const id = createHash('sha256').update(salt).update(passphrase, 'utf8').digest('hex');
  let key = keys.get(id);
  if (!key) {
    key = scryptSync(passphrase, salt, 32, SCRYPT);
    keys.set(id, key);
  }
  return key;
}

/** Seals one file as it is written: `begin()` gives the header, `update()` each chunk, `end()` the last bytes and tag. */
export class FileSealer {
  private readonly salt = randomBytes(SALT_BYTES);
  constructor(private readonly passphrase: string) {}

  open(): { header: Buffer; update(chunk: Buffer): Buffer; end(): Buffer } {
    const iv = randomBytes(IV_BYTES);
    const header = Buffer.concat([MAGIC, this.salt, iv]);
    const cipher = createCipheriv('aes-256-gcm', keyFor(this.passphrase, this.salt), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(header);
    return {
      header,
      update: (chunk) => cipher.update(chunk),
      end: () => Buffer.concat([cipher.final(), cipher.getAuthTag()]),
    };
  }
}

/** Opens a sealed file's bytes, or says why not. */
export function openSealed(bytes: Buffer, passphrase: string, name: string): Buffer {
  if (bytes.length < HEADER_BYTES + TAG_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CliError(`${name} is not a file sealed by cutover export (it does not start with "CUTOVER-EXPORT-1")`);
  }
  const header = bytes.subarray(0, HEADER_BYTES);
  const salt = header.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const iv = header.subarray(MAGIC.length + SALT_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', keyFor(passphrase, Buffer.from(salt)), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(header);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CliError(`${name} does not open with this passphrase (or it was changed)`);
  }
}
