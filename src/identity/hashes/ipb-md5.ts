import { saltedMd5Family } from './salted-md5-family.ts';
import { mybbDigest } from './mybb-md5.ts';

/**
 * Invision Power Board 2.x and 3.x (members_pass_hash and members_pass_salt): `md5(md5($salt) . md5($password))`,
 * the scheme MyBB uses too (hashcat mode 2811 covers both); a family of its own so the summary counts it apart.
 */
export const ipbMd5 = saltedMd5Family({ algorithm: 'ipb', saltName: 'salt', digest: mybbDigest });
