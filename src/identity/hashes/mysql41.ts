import { createHash } from 'node:crypto';
import type { HashFamily } from './hash-family.ts';
import { bytesEqual, decodeHex, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';

/*
 * MySQL 4.1+ PASSWORD() and mysql_native_password: "*" + hex(SHA1(SHA1(password))), upper case as MySQL writes
 * it (sql/auth/password.cc, make_scrambled_password). MySQL decodes the hex either case (hex2octet), so both are read.
 */
const LABEL = 'mysql41';
const PATTERN = /^\*[0-9A-Fa-f]{40}$/;

function digestOf(text: string): Buffer {
  const digest = PATTERN.test(text) ? decodeHex(text.slice(1), 'any-case') : undefined;
  if (!digest) throw malformedHash(LABEL, `expected "*" and 40 hex characters, got ${describeValue(text)}`);
  return digest;
}

export const mysql41: HashFamily = {
  name: LABEL,
  detect: (input) => typeof input === 'string' && input.startsWith('*') && input.length === 41,
  parse(input) {
    if (typeof input !== 'string') throw malformedHash(LABEL, 'expected a string');
    digestOf(input);
    return { scheme: LABEL, format: LABEL, encoded: input };
  },
  async verify(encoded, password) {
    const stage1 = createHash('sha1').update(passwordBytes(password)).digest();
    return bytesEqual(createHash('sha1').update(stage1).digest(), digestOf(encoded));
  },
};
