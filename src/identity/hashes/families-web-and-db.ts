import type { HashFamily } from './hash-family.ts';
import { atlassianPkcs5s2 } from './atlassian-pkcs5s2.ts';
import { djangoScrypt } from './django-scrypt.ts';
import { ipbMd5 } from './ipb-md5.ts';
import { joomlaMd5 } from './joomla-md5.ts';
import { mybbMd5 } from './mybb-md5.ts';
import { mysql41 } from './mysql41.ts';
import { postgresMd5 } from './postgres-md5.ts';
import { vbulletinMd5 } from './vbulletin-md5.ts';
import { werkzeugHmac } from './werkzeug-hmac.ts';

/**
 * Web-framework and database hashes. Listed before the other groups: Django's "scrypt$N$salt$r$p$…" must be seen
 * before Werkzeug's "scrypt$…" and "{PKCS5S2}" before the LDAP schemes. The salted-MD5 families and werkzeug-hmac
 * only claim {"algorithm": …} objects that hash-dialects.ts makes once the dialect or the row names them.
 */
export const families: HashFamily[] = [
  djangoScrypt,
  atlassianPkcs5s2,
  mysql41,
  werkzeugHmac,
  postgresMd5,
  joomlaMd5,
  vbulletinMd5,
  mybbMd5,
  ipbMd5,
];
