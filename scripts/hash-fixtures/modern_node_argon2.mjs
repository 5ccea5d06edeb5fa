// Prints JSON lines made by node-argon2 (the `argon2` npm package), which writes ",data=<B64>" into the PHC string
// when a hash used associated data, and reads it back on verify. Run from the repository root (see modern.sh).
import { createRequire } from 'node:module';

const require = createRequire(`${process.cwd()}/package.json`);
const argon2 = require('argon2');
const { version } = require('argon2/package.json');

const password = 'pässwörd ✓';
for (const type of [argon2.argon2id, argon2.argon2i]) {
  const hash = await argon2.hash(password, {
    type, memoryCost: 256, timeCost: 2, parallelism: 1, associatedData: Buffer.from('cutover tenant 42'),
  });
  if (!(await argon2.verify(hash, password))) throw new Error(`tool disagrees: ${hash}`);
  console.log(JSON.stringify({ format: 'argon2', tool: `node-argon2 ${version} hash with associatedData`, password,
    password_hash: hash }));
}
