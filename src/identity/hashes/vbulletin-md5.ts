import { md5Hex, saltedMd5Family } from './salted-md5-family.ts';

/**
 * vBulletin 3 and 4 (salts of 3 characters before 3.8.5, 30 after; vBulletin 5 moved to bcrypt):
 * `md5(md5($password) . $salt)`, the inner digest as lowercase hex text (hashcat modes 2611 and 2711).
 */
export const vbulletinMd5 = saltedMd5Family({
  algorithm: 'vbulletin',
  saltName: 'salt',
  digest: (password, salt) => md5Hex(md5Hex(password), salt),
});
