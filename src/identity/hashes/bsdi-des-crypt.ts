import { noteCheckCost } from './check-cost.ts';
import { createCryptFamily } from './crypt-family.ts';
import { bsdiDesCrypt, cryptNumber } from './des-crypt.ts';
import { desTailProblem } from './traditional-des-crypt.ts';
import { passwordBytes } from './hash-bytes.ts';
import { dangerousHash, describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * BSDi extended DES crypt(3) ("_" + 4 count + 4 salt + 11 hash characters; BSD/OS, FreeBSD, NetBSD, libxcrypt's
 * bsdicrypt). Every byte of the password counts. The count is 24 bits; FreeBSD's default is 725 ("_J9..").
 */
const NAME = 'bsdi-crypt';
const SHAPE = /^_[./0-9A-Za-z]{19}$/;
/** One DES block costs about 3 µs here, so 65,536 rounds is about 0.2 s; 2^24 − 1 would be most of a minute. */
export const BSDI_MAX_COUNT = 65_536;

export const bsdiDesCryptFamily = createCryptFamily({
  name: NAME,
  prefixes: ['_'],
  check(input) {
    if (!SHAPE.test(input)) throw malformedHash(NAME, `expected "_" and 19 characters of ./0-9A-Za-z, got ${describeValue(input)}`);
    const problem = desTailProblem(input);
    if (problem) throw malformedHash(NAME, problem);
    const count = cryptNumber(input.slice(1, 5));
    // crypt-des.c implementations disagree about a count of 0 (FreeSec fails, libxcrypt runs 1): not guessed.
    if (count === 0) throw malformedHash(NAME, 'the count must be at least 1');
    if (count > BSDI_MAX_COUNT) throw dangerousHash(NAME, `count ${count} is above the ceiling of ${BSDI_MAX_COUNT}`);
    noteCheckCost({ kernel: 'bsdi-des', work: count, parameter: `count ${count}` });
  },
  crypt: (password, stored) => bsdiDesCrypt(passwordBytes(password), stored.slice(0, 9)),
});
