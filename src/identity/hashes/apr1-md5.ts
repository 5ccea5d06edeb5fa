import { createMd5CryptFamily } from './md5-crypt.ts';

/**
 * Apache's "$apr1$" (htpasswd -m, apr_md5_encode in APR's apr_md5.c): md5crypt with the magic "$apr1$" in place
 * of "$1$"; APR says it is "otherwise identical" to the FreeBSD algorithm.
 */
export const apr1Md5Family = createMd5CryptFamily('apr1-md5', '$apr1$');
