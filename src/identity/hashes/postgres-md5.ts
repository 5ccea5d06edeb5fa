import { md5Hex, saltedMd5Family } from './salted-md5-family.ts';

/**
 * PostgreSQL's md5 passwords (pg_authid.rolpassword before SCRAM): "md5" + md5(password || rolname) in hex
 * (src/common/md5_common.c, pg_md5_encrypt). The salt is the role name, which the export gives in
 * password_hash_salt.
 */
export const postgresMd5 = saltedMd5Family({
  algorithm: 'postgres-md5',
  saltName: 'role name',
  prefix: 'md5',
  digest: (password, roleName) => md5Hex(password, roleName),
});
