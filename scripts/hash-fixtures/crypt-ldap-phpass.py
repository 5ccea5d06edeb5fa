#!/usr/bin/python3
"""Writes test/fixtures/hashes/crypt-ldap-phpass.jsonl: crypt(3), LDAP and phpass/Drupal hashes made by the
formats' own tools, each checked again by a second implementation before it is written.

Run with Debian's /usr/bin/python3 (it has passlib 1.7.4), from the repository root:

    /usr/bin/python3 scripts/hash-fixtures/crypt-ldap-phpass.py > test/fixtures/hashes/crypt-ldap-phpass.jsonl

Needs: openssl (passwd), apache2-utils (htpasswd), slapd (slappasswd and its pw-sha2 module), php-cli (crypt()),
and two PHP sources given by path:
  WORDPRESS_PHPASS      wp-includes/class-phpass.php (phpass 0.5 / WordPress; `apt-get download wordpress`,
                        then `dpkg -x`: /usr/share/wordpress/wp-includes/class-phpass.php)
  DRUPAL7_PASSWORD_INC  includes/password.inc from a Drupal 7 release
Tools that pick their own salt (htpasswd, slappasswd, phpass HashPassword) give new lines on every run.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

from passlib import hash as passlib_hash

UNICODE = 'pässwörd ✓'
PASSWORDS = ['password', UNICODE, 'correct horse battery staple', 'émoji 🔐 密码',
             'a long password that is longer than one sixty-four byte SHA-512 block, to test the block loop ✓✓']
SLAPD_MODULES = ['-o', 'module-path=/usr/lib/ldap', '-o', 'module-load=pw-sha2.la']

lines = []


def emit(fmt, tool, password, password_hash, setting=None):
    line = {'format': fmt, 'tool': tool, 'password': password, 'password_hash': password_hash}
    if setting is not None:
        line['setting'] = setting
    lines.append(line)


def run(*args):
    return subprocess.run([a.encode() if isinstance(a, str) else a for a in args],
                          check=True, capture_output=True).stdout.decode().strip()


def passlib_checked(handler, password, password_hash):
    if not handler.verify(password, password_hash) or handler.verify(password + 'x', password_hash):
        sys.exit(f'passlib {handler.name} disagrees with {password_hash}')
    return password_hash


# --- crypt(3): OpenSSL, PHP crypt(), Apache htpasswd, passlib; every one re-checked by passlib -------------
OPENSSL = run('openssl', 'version').split()[1]
CRYPT_HANDLERS = {'md5-crypt': passlib_hash.md5_crypt, 'apr1-md5': passlib_hash.apr_md5_crypt,
                  'sha256-crypt': passlib_hash.sha256_crypt, 'sha512-crypt': passlib_hash.sha512_crypt}
for i, password in enumerate(PASSWORDS):
    salt = f'fixture{i}'
    for fmt, flag in [('md5-crypt', '-1'), ('apr1-md5', '-apr1'), ('sha256-crypt', '-5'), ('sha512-crypt', '-6')]:
        out = run('openssl', 'passwd', flag, '-salt', salt, password)
        emit(fmt, f'openssl {OPENSSL} passwd {flag}', password, passlib_checked(CRYPT_HANDLERS[fmt], password, out))
    for fmt, flag in [('sha256-crypt', '-5'), ('sha512-crypt', '-6')]:
        out = run('openssl', 'passwd', flag, '-salt', f'rounds=1000${salt}', password)
        emit(fmt, f'openssl {OPENSSL} passwd {flag} (rounds=1000)', password,
             passlib_checked(CRYPT_HANDLERS[fmt], password, out))
    out = run('htpasswd', '-nbm', 'user', password).split(':', 1)[1]
    emit('apr1-md5', 'htpasswd -nbm (Apache 2.4)', password, passlib_checked(passlib_hash.apr_md5_crypt, password, out))

for password in ['', UNICODE]:
    for fmt, handler in CRYPT_HANDLERS.items():
        out = handler.using(salt='passlib7', **({'rounds': 1234} if 'sha' in fmt else {})).hash(password)
        emit(fmt, 'passlib 1.7.4', password, passlib_checked(handler, password, out))

# "Unix crypt using SHA-256 and SHA-512" (Drepper), the vectors printed in the spec; php-src carries them as
# ext/standard/tests/strings/crypt_sha256.phpt and crypt_sha512.phpt. `setting` is the spec's salt argument.
DREPPER = [
    ('$5$saltstring', 'Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'),
    ('$5$rounds=10000$saltstringsaltstring', 'Hello world!',
     '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA'),
    ('$5$rounds=5000$toolongsaltstring', 'This is just a test',
     '$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5'),
    ('$5$rounds=1400$anotherlongsaltstring',
     'a very much longer text to encrypt.  This one even stretches over morethan one line.',
     '$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1'),
    ('$5$rounds=77777$short', 'we have a short salt string but not a short password',
     '$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/'),
    ('$5$rounds=123456$asaltof16chars..', 'a short string',
     '$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD'),
    ('$5$rounds=10$roundstoolow', 'the minimum number is still observed',
     '$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC'),
    ('$6$saltstring', 'Hello world!',
     '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'),
    ('$6$rounds=10000$saltstringsaltstring', 'Hello world!',
     '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'),
    ('$6$rounds=5000$toolongsaltstring', 'This is just a test',
     '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0'),
    ('$6$rounds=1400$anotherlongsaltstring',
     'a very much longer text to encrypt.  This one even stretches over morethan one line.',
     '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1'),
    ('$6$rounds=77777$short', 'we have a short salt string but not a short password',
     '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0'),
    ('$6$rounds=123456$asaltof16chars..', 'a short string',
     '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1'),
    ('$6$rounds=10$roundstoolow', 'the minimum number is still observed',
     '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.'),
]
for setting, password, expected in DREPPER:
    fmt = 'sha256-crypt' if setting.startswith('$5$') else 'sha512-crypt'
    emit(fmt, 'Drepper SHA-crypt spec test vector', password, passlib_checked(CRYPT_HANDLERS[fmt], password, expected),
         setting)
# FreeBSD's lib/libcrypt/tests/crypt_tests.c (md5 case).
emit('md5-crypt', 'FreeBSD libcrypt test vector', '0.s0.l33t',
     passlib_checked(passlib_hash.md5_crypt, '0.s0.l33t', '$1$deadbeef$0Huu6KHrKLVWfqa4WljDE0'))

# --- LDAP: OpenLDAP slappasswd (with the pw-sha2 module slapd ships), re-checked with hashlib ---------------
DIGESTS = {'SHA': 'sha1', 'SHA256': 'sha256', 'SHA384': 'sha384', 'SHA512': 'sha512', 'MD5': 'md5'}


def ldap_checked(scheme, password, password_hash):
    import base64
    name, body = password_hash[1:].split('}', 1)
    algorithm = DIGESTS[name[1:] if name.startswith(('SS', 'SM')) else name]
    raw = base64.b64decode(body)
    size = hashlib.new(algorithm).digest_size
    if hashlib.new(algorithm, password.encode() + raw[size:]).digest() != raw[:size]:
        sys.exit(f'hashlib disagrees with {password_hash}')
    return password_hash


bcrypt_lines = []  # checked with PHP's crypt() below
for password in PASSWORDS[:4]:
    for scheme in ['SHA', 'SSHA', 'SHA256', 'SSHA256', 'SHA384', 'SSHA384', 'SHA512', 'SSHA512', 'MD5', 'SMD5']:
        out = run('slappasswd', *SLAPD_MODULES, '-h', f'{{{scheme}}}', '-s', password)
        emit(f'ldap-{scheme.lower()}', f'slappasswd -h {{{scheme}}} (OpenLDAP 2.5)', password,
             ldap_checked(scheme, password, out))
    for crypt_format, fmt in [('$1$%.8s', 'md5-crypt'), ('$5$%.16s', 'sha256-crypt'),
                              ('$6$rounds=1000$%.16s', 'sha512-crypt')]:
        out = run('slappasswd', '-h', '{CRYPT}', '-c', crypt_format, '-s', password)
        passlib_checked(CRYPT_HANDLERS[fmt], password, out.removeprefix('{CRYPT}'))
        emit('ldap-crypt', f"slappasswd -h {{CRYPT}} -c '{crypt_format}' (system crypt(3))", password, out)
    out = run('slappasswd', '-h', '{CRYPT}', '-c', '$2b$04$%.22s', '-s', password)
    bcrypt_lines.append(("slappasswd -h {CRYPT} -c '$2b$04$%.22s' (libxcrypt bcrypt)", password, out))

for handler, fmt in [(passlib_hash.ldap_salted_sha256, 'ldap-ssha256'), (passlib_hash.ldap_salted_sha512, 'ldap-ssha512'),
                     (passlib_hash.ldap_salted_sha1, 'ldap-ssha'), (passlib_hash.ldap_salted_md5, 'ldap-smd5')]:
    emit(fmt, 'passlib 1.7.4 (8-byte salt)', UNICODE, passlib_checked(handler, UNICODE, handler.using(salt_size=8).hash(UNICODE)))
# Lower-case scheme names: slapd compares them case-insensitively.
out = run('slappasswd', '-h', '{SSHA}', '-s', UNICODE)
emit('ldap-ssha', 'slappasswd -h {SSHA}, prefix written as {ssha}', UNICODE, '{ssha}' + out[6:])
out = run('slappasswd', '-h', '{CRYPT}', '-c', '$6$%.16s', '-s', UNICODE)
emit('ldap-crypt', "slappasswd -h {CRYPT} -c '$6$%.16s', prefix written as {crypt}", UNICODE, '{crypt}' + out[7:])

# --- phpass (WordPress's class-phpass.php), Drupal 7 (password.inc), PHP crypt(); checked in PHP and passlib -
PHP = r'''<?php
require getenv('WORDPRESS_PHPASS');
require getenv('DRUPAL7_PASSWORD_INC');
$wp = new PasswordHash(8, true);
$out = [];
foreach (json_decode(stream_get_contents(STDIN), true) as $job) {
  $pw = $job['password'];
  switch ($job['op']) {
    case 'crypt': $h = crypt($pw, $job['setting']); $check = fn($p) => hash_equals($h, crypt($p, $h)); break;
    case 'wp-hash': $h = $wp->HashPassword($pw); $check = fn($p) => $wp->CheckPassword($p, $h); break;
    case 'wp-setting': $h = $wp->crypt_private($pw, $job['setting']); $check = fn($p) => $wp->CheckPassword($p, $h); break;
    case 'drupal': $h = _password_crypt('sha512', $pw, $job['setting']); break;
    case 'drupal-updated': $h = 'U' . _password_crypt($job['algo'], md5($pw), $job['setting']); break;
    case 'check': $h = $job['hash']; break;
    case 'check-crypt': $h = $job['hash']; $check = fn($p) => hash_equals($h, crypt($p, $h)); break;
  }
  if (str_starts_with($h, '$S$') || str_starts_with($h, 'U$') || $job['op'] === 'check') {
    $check = fn($p) => user_check_password($p, (object) ['pass' => $h]);
  }
  $out[] = ['hash' => $h, 'ok' => $check($pw) && !$check($pw . 'x')];
}
echo json_encode($out);
'''
php_jobs = []


def php_job(fmt, tool, password, **job):
    php_jobs.append((fmt, tool, password, dict(job, password=password)))


PHP_VERSION = run('php', '-r', 'echo PHP_VERSION;')
for i, password in enumerate(['', *PASSWORDS]):
    php_job('md5-crypt', f'PHP {PHP_VERSION} crypt()', password, op='crypt', setting=f'$1$php{i}salt$')
    php_job('sha256-crypt', f'PHP {PHP_VERSION} crypt()', password, op='crypt', setting=f'$5$rounds=1500$php{i}salt$')
    php_job('sha512-crypt', f'PHP {PHP_VERSION} crypt()', password, op='crypt', setting=f'$6$php{i}saltsaltsalt$')
    php_job('phpass', 'phpass 0.5 (WordPress 6.1) HashPassword', password, op='wp-hash')
    php_job('phpass', 'phpass 0.5 (WordPress 6.1) crypt_private, phpBB3 $H$ setting', password,
            op='wp-setting', setting=f'$H$9phpbb{i:03d}')
    php_job('drupal7', 'Drupal 7 password.inc _password_crypt', password, op='drupal', setting=f'$S$5drupal{i:02d}')
    php_job('drupal7', 'Drupal 7 password.inc user_update_7000 form (U + hash of md5)', password,
            op='drupal-updated', algo='sha512', setting=f'$S$7update{i:02d}')
    php_job('drupal7', 'Drupal 7 password.inc, U$P$ (phpass of md5)', password,
            op='drupal-updated', algo='md5', setting=f'$P$7update{i:02d}')
php_job('drupal7', 'Drupal 7 password.inc _password_crypt (default count $S$D)', UNICODE, op='drupal',
        setting='$S$Ddefaults')
for tool, password, out in bcrypt_lines:
    php_job('ldap-crypt', tool, password, op='check-crypt', hash=out.removeprefix('{CRYPT}'), prefix='{CRYPT}')
# hashcat's self-test hashes (src/modules/module_00400.c and module_07900.c: ST_HASH, ST_PASS "hashcat").
php_job('phpass', 'hashcat -m 400 self-test hash', 'hashcat', op='check', hash='$P$946647711V1klyitUYhtB8Yw5DMA/w.')
php_job('drupal7', 'hashcat -m 7900 self-test hash', 'hashcat', op='check',
        hash='$S$C20340258nzjDWpoQthrdNTR02f0pmev0K/5/Nx80WSkOQcPEQRh')

with tempfile.NamedTemporaryFile('w', suffix='.php') as script:
    script.write(PHP)
    script.flush()
    results = json.loads(subprocess.run(['php', script.name], input=json.dumps([j for *_, j in php_jobs]),
                                        check=True, capture_output=True, text=True, env=os.environ).stdout)
for (fmt, tool, password, _job), result in zip(php_jobs, results):
    if not result['ok'] or not result['hash']:
        sys.exit(f'PHP check failed for {tool}: {result}')
    if fmt in CRYPT_HANDLERS or fmt == 'phpass':
        passlib_checked(CRYPT_HANDLERS.get(fmt, passlib_hash.phpass), password, result['hash'])
    emit(fmt, tool, password, _job.get('prefix', '') + result['hash'])

for line in lines:
    print(json.dumps(line, ensure_ascii=False))
