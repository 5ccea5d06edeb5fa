import { md5Hex, saltedMd5Family } from './salted-md5-family.ts';

/**
 * MyBB 1.2 to 1.8, inc/functions_user.php: `salt_password(md5($password), $salt)` is
 * `md5(md5($salt) . md5($password))`, both inner digests as lowercase hex text (hashcat mode 2811).
 */
export function mybbDigest(password: Buffer, salt: Buffer): string {
  return md5Hex(md5Hex(salt), md5Hex(password));
}

export const mybbMd5 = saltedMd5Family({ algorithm: 'mybb', saltName: 'salt', digest: mybbDigest });
