import { createHash } from 'node:crypto';
import { djangoBcryptFamily } from './django-bcrypt.ts';

/**
 * Django's BCryptSHA256PasswordHasher, `bcrypt_sha256$$2b$12$…`: "Hash the password prior to using bcrypt to prevent
 * password truncation" — bcrypt gets `binascii.hexlify(hashlib.sha256(password.encode()).digest())`, the 64
 * lowercase hex characters of the SHA-256 of the UTF-8 password.
 */
export const djangoBcryptSha256 = djangoBcryptFamily({
  name: 'django-bcrypt-sha256',
  algorithm: 'bcrypt_sha256',
  bcryptInput: (password) => Buffer.from(createHash('sha256').update(password).digest('hex'), 'ascii'),
});
