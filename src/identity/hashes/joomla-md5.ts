import { md5Hex, saltedMd5Family } from './salted-md5-family.ts';

/**
 * Joomla 1.5 to 3.1 (before its switch to phpass and bcrypt in 3.2): "<hex>:<salt>" with
 * JUserHelper::getCryptedPassword('md5-hex'): `md5($plaintext . $salt)`, and a 32-character salt.
 */
export const joomlaMd5 = saltedMd5Family({
  algorithm: 'joomla-md5',
  saltName: 'salt',
  digest: (password, salt) => md5Hex(password, salt),
});
