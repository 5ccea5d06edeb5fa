import type { HashFamily } from './hash-family.ts';
import { argon2Matches, parseArgon2String } from './argon2-phc-string.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * Django's Argon2PasswordHasher: `argon2` + the argon2-cffi string, so `argon2$argon2id$v=19$m=102400,t=2,p=8$…`
 * (Django 1.10's first version wrote `argon2$argon2i$…`, same shape). Django verifies with
 * `argon2.PasswordHasher().verify('$' + rest, password)`, that is the reference decoder: strict dialect.
 */
const PREFIX = 'argon2$';

function parseDjangoArgon2(text: string) {
  if (!text.startsWith(`${PREFIX}argon2`)) {
    throw malformedHash('django-argon2', 'must start with "argon2$argon2id$", "argon2$argon2i$" or "argon2$argon2d$"');
  }
  return parseArgon2String('django-argon2', `$${text.slice(PREFIX.length)}`, 'reference');
}

export const djangoArgon2: HashFamily = {
  name: 'django-argon2',

  detect: (input) => typeof input === 'string' && input.startsWith(PREFIX),

  parse(input) {
    if (typeof input !== 'string') {
      throw malformedHash('django-argon2', `expected a string, got ${describeValue(input)}`);
    }
    const text = input;
    parseDjangoArgon2(text);
    return { scheme: 'django-argon2', format: 'django-argon2', encoded: text };
  },

  async verify(encoded, password) {
    return argon2Matches(parseDjangoArgon2(encoded), password);
  },
};
