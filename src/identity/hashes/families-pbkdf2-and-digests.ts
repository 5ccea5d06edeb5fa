import type { HashFamily } from './hash-family.ts';
import { aspnetIdentityV2 } from './aspnet-identity-v2.ts';
import { aspnetIdentityV3 } from './aspnet-identity-v3.ts';
import { djangoPbkdf2 } from './django-pbkdf2.ts';
import { djangoSaltedDigest } from './django-salted-digest.ts';
import { pbkdf2Object } from './pbkdf2-object.ts';
import { pbkdf2String } from './pbkdf2-string.ts';
import { rawDigestObject } from './raw-digest-object.ts';
import { werkzeugPbkdf2 } from './werkzeug-pbkdf2.ts';

/**
 * Hash families of this group, in detection order (a more specific prefix before a more general one). Every
 * prefix here is distinct; ASP.NET v3 ("AQAAAA…") goes before v2, whose detect also excludes "AQ…".
 */
export const families: HashFamily[] = [
  djangoPbkdf2,
  djangoSaltedDigest,
  pbkdf2String,
  werkzeugPbkdf2,
  aspnetIdentityV3,
  aspnetIdentityV2,
  pbkdf2Object,
  rawDigestObject,
];
