import type { HashFamily } from './hash-family.ts';
import { argon2Matches, parseArgon2String } from './argon2-phc-string.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * Argon2 PHC strings, `$argon2id$…`, `$argon2i$…`, `$argon2d$…`, with or without `v=` (argon2-cffi, PHP's
 * password_hash, node-argon2, libsodium, the reference CLI, AdonisJS …). Read in the lenient dialect, since a bare
 * PHC string does not say which of those wrote it; see argon2-phc-string.ts.
 */
export const argon2: HashFamily = {
  name: 'argon2',

  detect: (input) => typeof input === 'string' && input.startsWith('$argon2'),

  parse(input) {
    if (typeof input !== 'string') throw malformedHash('argon2', `expected a string, got ${describeValue(input)}`);
    const text = input;
    parseArgon2String('argon2', text, 'lenient');
    return { scheme: 'argon2', format: 'argon2', encoded: text };
  },

  async verify(encoded, password) {
    return argon2Matches(parseArgon2String('argon2', encoded, 'lenient'), password);
  },
};
