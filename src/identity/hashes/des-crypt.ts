import { CRYPT_ALPHABET, cryptCharValue } from './crypt-base64.ts';
import { desEncrypt, keySchedule, saltMask, type Block } from './des-core.ts';

/*
 * crypt(3)'s DES schemes, after FreeSec's crypt-des.c (glibc and libxcrypt carry the same code):
 *   traditional  "ss" + 11 chars: key = the first 8 bytes of the password, each shifted left by one; the zero
 *                block encrypted 25 times with the 12-bit salt.
 *   BSDi         "_" + 4 chars count + 4 chars salt + 11 chars (both 24 bits, least significant character first):
 *                the key starts as for traditional, then while password bytes remain it is DES-encrypted with
 *                itself and XORed with the next 8 of them (shifted left by one); then `count` encryptions.
 * Password bytes are UTF-8, as the legacy system's crypt() saw them from a UTF-8 form.
 */
const ZERO: Block = { hi: 0, lo: 0 };

function keyBlock(bytes: Uint8Array): Block {
  const key = Buffer.alloc(8);
  for (let i = 0; i < 8 && i < bytes.length; i++) key[i] = (bytes[i]! << 1) & 0xff;
  return { hi: key.readUInt32BE(0), lo: key.readUInt32BE(4) };
}

/** ascii_to_bin over `length` characters, least significant first: the count and salt of the BSDi form. */
export function cryptNumber(text: string): number {
  let value = 0;
  for (let i = text.length - 1; i >= 0; i--) value = value * 64 + cryptCharValue(text[i]!);
  return value;
}

/** The 64-bit result as crypt-des.c writes it: 11 characters, most significant 6 bits first, 2 zero bits at the end. */
function encodeBlock({ hi, lo }: Block): string {
  const groups = [hi >>> 8, ((hi << 16) | (lo >>> 16)) & 0xffffff, (lo << 2) & 0x3ffff];
  let out = '';
  for (const [index, group] of groups.entries()) {
    for (let shift = index === 2 ? 12 : 18; shift >= 0; shift -= 6) out += CRYPT_ALPHABET[(group >>> shift) & 0x3f];
  }
  return out;
}

/** crypt(password, salt) for the traditional form; `salt` is two characters of ./0-9A-Za-z. */
export function traditionalDesCrypt(password: Buffer, salt: string): string {
  const value = cryptCharValue(salt[0]!) | (cryptCharValue(salt[1]!) << 6);
  return salt + encodeBlock(desEncrypt(ZERO, keySchedule(keyBlock(password)), saltMask(value), 25));
}

/** crypt(password, setting) for the BSDi form; `setting` is "_" + 4 count + 4 salt characters. */
export function bsdiDesCrypt(password: Buffer, setting: string): string {
  const count = cryptNumber(setting.slice(1, 5));
  const salt = cryptNumber(setting.slice(5, 9));
  let key = keyBlock(password);
  for (let used = Math.min(8, password.length); used < password.length; ) { // the first 8 bytes are in the key
    const encrypted = desEncrypt(key, keySchedule(key), 0, 1);
    const next = Buffer.alloc(8);
    next.writeUInt32BE(encrypted.hi, 0);
    next.writeUInt32BE(encrypted.lo, 4);
    for (let i = 0; i < 8 && used < password.length; i++) next[i]! ^= (password[used++]! << 1) & 0xff;
    key = { hi: next.readUInt32BE(0), lo: next.readUInt32BE(4) };
  }
  return setting.slice(0, 9) + encodeBlock(desEncrypt(ZERO, keySchedule(key), saltMask(salt), count));
}
