import type { HashFamily } from './hash-family.ts';
import { md5CryptFamily } from './md5-crypt.ts';
import { apr1Md5Family } from './apr1-md5.ts';
import { sha256CryptFamily } from './sha256-crypt.ts';
import { sha512CryptFamily } from './sha512-crypt.ts';
import { ldapCryptFamily } from './ldap-crypt.ts';
import { ldapDigestFamily } from './ldap-digest.ts';
import { phpassFamily } from './phpass.ts';
import { drupal7Family } from './drupal7.ts';
import { traditionalDesCryptFamily } from './traditional-des-crypt.ts';
import { bsdiDesCryptFamily } from './bsdi-des-crypt.ts';

/** Hash families of this group, in detection order (a more specific prefix before a more general one). */
export const families: HashFamily[] = [
  md5CryptFamily,
  apr1Md5Family,
  sha256CryptFamily,
  sha512CryptFamily,
  ldapCryptFamily,
  ldapDigestFamily,
  phpassFamily,
  drupal7Family,
  bsdiDesCryptFamily, // "_" + 19
  traditionalDesCryptFamily, // exactly 13 characters of ./0-9A-Za-z, no magic
];
