import type { HashFamily } from './hash-family.ts';
import { argon2 } from './argon2.ts';
import { bcrypt } from './bcrypt.ts';
import { djangoArgon2 } from './django-argon2.ts';
import { djangoBcrypt } from './django-bcrypt.ts';
import { djangoBcryptSha256 } from './django-bcrypt-sha256.ts';
import { firebaseScrypt } from './firebase-scrypt.ts';
import { scrypt } from './scrypt.ts';
import { werkzeugScrypt } from './werkzeug-scrypt.ts';

/** Hash families of this group, in detection order (a more specific prefix before a more general one). */
export const families: HashFamily[] = [
  djangoBcryptSha256, // bcrypt_sha256$$2b$…, before Django's plain bcrypt$
  djangoBcrypt, // bcrypt$$2b$…
  djangoArgon2, // argon2$argon2id$…
  bcrypt, // $2a$ $2b$ $2x$ $2y$
  argon2, // $argon2id$ $argon2i$ $argon2d$
  scrypt, // $scrypt$ln=… / $scrypt$n=…
  werkzeugScrypt, // scrypt:N:r:p$… / scrypt$…
  firebaseScrypt, // {"algorithm":"firebase-scrypt", …}
];
