#!/usr/bin/env python3
"""Prints the web-framework and database lines of test/fixtures/hashes/web-and-db.jsonl (run web-and-db.sh).

Needs a Python with Django 4.0+ (ScryptPasswordHasher; 5.2.17 was used) and, as argv[1], Werkzeug 2.2.3's
security.py (the last release before 2.3 dropped the HMAC methods; it imports only the standard library):
    git -C werkzeug show 2.2.3:src/werkzeug/security.py > /tmp/werkzeug_2_2_3_security.py
psql must reach a PostgreSQL server as a superuser ($PGHOST, $PGUSER, …): it makes md5 passwords inside a
transaction that is rolled back. Salts are fixed so the output is reproducible; every line is checked with the
tool's own verifier before it is written. Published vectors (hashcat's self-tests, Atlassian's and Django's test
suites, MySQL's manual) are copied as published and named as such.
"""
import importlib.util
import json
import subprocess
import sys

import django
from django.conf import settings

settings.configure(PASSWORD_HASHERS=['django.contrib.auth.hashers.ScryptPasswordHasher'])
django.setup()
from django.contrib.auth.hashers import check_password, get_hasher  # noqa: E402

PASSWORDS = ['pässwörd ✓', 'correct horse battery staple', 'p@ss$word:1', '密码🔑']
DJANGO = 'django %s ScryptPasswordHasher.encode' % django.get_version()


def emit(fmt, scheme, tool, password, password_hash, **extra):
    line = {'format': fmt, 'scheme': scheme, 'tool': tool, 'password': password, 'password_hash': password_hash, **extra}
    sys.stdout.write(json.dumps(line, ensure_ascii=False) + '\n')


def django_lines():
    hasher = get_hasher('scrypt')
    for i, password in enumerate(PASSWORDS):
        encoded = hasher.encode(password, 'djangoSalt%d' % i, n=2 ** (10 + i % 2), r=8, p=1 + i % 2)
        assert check_password(password, encoded)
        emit('django-scrypt', 'django-scrypt', DJANGO + ' (small N)', password, encoded)
    encoded = hasher.encode('pässwörd ✓', 'defaultCost')  # Django 4.2+ default: N=2^14, r=8, p=5
    assert check_password('pässwörd ✓', encoded)
    emit('django-scrypt', 'django-scrypt', DJANGO + ' (default cost)', 'pässwörd ✓', encoded)
    # tests/auth_tests/test_hashers.py test_scrypt, Django 4.0 (whose default p was 1).
    published = 'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw=='
    assert hasher.encode('lètmein', 'seasalt', n=16384, r=8, p=1) == published
    emit('django-scrypt', 'django-scrypt', 'django tests/auth_tests/test_hashers.py test_scrypt (Django 4.0)', 'lètmein', published)


def werkzeug_lines(security_py):
    spec = importlib.util.spec_from_file_location('werkzeug_2_2_3_security', security_py)
    security = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(security)
    assert security.DEFAULT_PBKDF2_ITERATIONS == 260000, 'not werkzeug 2.2.x security.py'
    tool = 'werkzeug 2.2.3 generate_password_hash'
    for i, password in enumerate(PASSWORDS):
        for method in ('md5', 'sha1', 'sha256', 'sha512'):
            security.gen_salt = lambda length, i=i: ('wzSalt%d' % i).ljust(length, 'x')[:length]
            encoded = security.generate_password_hash(password, method=method, salt_length=8 + i)
            assert security.check_password_hash(encoded, password)
            # md5$ and sha1$ mean Django's salted digests unless the row or the import says otherwise.
            named = {'password_hash_format': 'werkzeug-hmac'} if method in ('md5', 'sha1') else {}
            emit('werkzeug-hmac', 'werkzeug-hmac-' + method, tool, password, encoded, **named)


def postgres_lines():
    tool = 'postgresql %s CREATE ROLE … PASSWORD with password_encryption=md5 (pg_authid.rolpassword)'
    version = subprocess.run(['psql', '-XAtc', 'SHOW server_version'], check=True, capture_output=True, text=True).stdout.strip()
    for i, password in enumerate(PASSWORDS):
        role = 'fixture_role_%d' % i
        sql = ("BEGIN; SET LOCAL password_encryption = 'md5'; CREATE ROLE %s PASSWORD %s;"
               " SELECT rolpassword FROM pg_authid WHERE rolname = '%s'; ROLLBACK;") % (role, quote(password), role)
        out = subprocess.run(['psql', '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql], check=True, capture_output=True, text=True)
        rolpassword = out.stdout.strip().splitlines()[-1]
        assert rolpassword.startswith('md5') and len(rolpassword) == 35, rolpassword
        emit('postgres-md5', 'postgres-md5', tool % version, password, rolpassword, password_hash_salt=role)


def quote(text):
    return "'" + text.replace("'", "''") + "'"


# Published vectors, copied as published. hashcat: src/modules/module_NNNNN.c ST_HASH / ST_PASS (self-tests).
HASHCAT = 'hashcat src/modules/module_%s.c self-test (ST_HASH, ST_PASS)'
PUBLISHED = [
    ('atlassian-pbkdf2', 'atlassian-pbkdf2-sha1', HASHCAT % '12001', 'hashcat',
     '{PKCS5S2}NTczNTY0NDY2NjQyNzU1Mx8gGiRGobaZYwumctGHbn2ZOHB8LkwzH+Z1gkWfy1zD', {}),
    ('mysql41', 'mysql41', (HASHCAT % '00300') + ', written as MySQL stores it ("*" and upper case)', 'hashcat',
     '*FCF7C1B8749CF99D88E5F34271D636178FB5D130', {}),
    ('mysql41', 'mysql41', 'MySQL 5.7 Reference Manual, PASSWORD() example', 'mypass',
     '*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4', {}),
    ('postgres-md5', 'postgres-md5', (HASHCAT % '00012') + ' ("hash:username"), as pg_authid stores it', 'hashcat',
     'md593a8cf6a7d43e3b5bcd2dc6abb3e02c6', {'password_hash_salt': '27032153220030464358344758762807'}),
    ('joomla-md5', 'joomla-md5', HASHCAT % '00011', 'hashcat',
     'b78f863f2c67410c41e617f724e22f34:89384528665349271307465505333378', {'password_hash_format': 'joomla-md5'}),
    ('vbulletin', 'vbulletin', HASHCAT % '02611', 'hashcat', '28f9975808ae2bdc5847b1cda26033ea:308',
     {'password_hash_format': 'vbulletin'}),
    ('vbulletin', 'vbulletin', HASHCAT % '02711', 'hashcat', '0844fbb2fdeda31884a7a45ec2010bb6:324410183853308365427804872426',
     {'password_hash_format': 'vbulletin'}),
    ('mybb', 'mybb', HASHCAT % '02811', 'hashcat', '022f7e02b3314f7d0968f73c00ba759f:67588', {'password_hash_format': 'mybb'}),
    ('ipb', 'ipb', (HASHCAT % '02811') + ' (MyBB and IPB2+), hash and salt in two columns as IP.Board keeps them', 'hashcat',
     '022f7e02b3314f7d0968f73c00ba759f', {'password_hash_format': 'ipb', 'password_hash_salt': '67588'}),
]
# atlassian-password-encoder TestDefaultPasswordEncoderWithPKCS5S2.java: PASSWORDS and PREVIOUSLY_ENCODED.
ATLASSIAN_TEST = 'atlassian-password-encoder TestDefaultPasswordEncoderWithPKCS5S2.java PREVIOUSLY_ENCODED'
ATLASSIAN_JAPANESE = (
    '\u65e5\u672c\u8a9e\u306e\u8868\u8a18\u306f\u3001\u30aa\u30fc\u30b9\u30c8\u30e9\u30ea\u30a2\u3002'
    'Commonwealth \u306b\u5bfe\u5fdc\u3059\u308b\u8a9e\u3068\u3057\u3066\u300c\u9023\u90a6\u300d\u3092\u4ed8'
    '\u52a0\u3057\u3001\u30aa\u30fc\u30b9\u30c8\u30e9\u30ea\u30a2\u9023\u90a6\u3068\u3055\u308c\u308b\u4e8b'
    '\u3082\u3042\u308b\u304c\u3001\u3053\u306e\u5834\u5408\u306e Commonwealth \u306f\u300c\u9023\u90a6\u300d'
    '\u3068\u3044\u3046\u610f\u5473\u3067\u306f\u306a\u3044\u306e\u3067\u3001\u3053\u308c\u3092\u6b63\u5f0f'
    '\u540d\u79f0\u8a33\u3068\u3059\u308b\u306e\u306f\u4e0d\u9069\u5207\u304b\u3082\u77e5\u308c\u306a\u3044'
    '\u3002'
)
ATLASSIAN = [
    ('secret', '{PKCS5S2}TzwIctDE2RJIQfT+O473W5+qhSAyof1Kz+hfe2kvAcnDe2uVzdp/ymw5V7mHH+Zv'),
    ('d76#$;<_@', '{PKCS5S2}tCXb6Rh25PwM1f12uVF4sPO3kxPtgCW5U0s/Hbxnyh8o6xCQfvWcjttAMtuu1ubp'),
    ('\u263a\u2600', '{PKCS5S2}5Gu3Qq4GW8RnBpIR6b1Vn6V8ihb/QlawC7kJXQxbr2+HgXA468K0F0hHqFchh0py'),
    (ATLASSIAN_JAPANESE, '{PKCS5S2}VekFbW/Bwc9PJg4ptYfZtIzb1K8QI6llgxSy04vRRypp0kICI/92KG8viKLyWywT'),
]


def published_lines():
    for fmt, scheme, tool, password, password_hash, extra in PUBLISHED:
        emit(fmt, scheme, tool, password, password_hash, **extra)
    for password, password_hash in ATLASSIAN:
        emit('atlassian-pbkdf2', 'atlassian-pbkdf2-sha1', ATLASSIAN_TEST, password, password_hash)


if __name__ == '__main__':
    django_lines()
    werkzeug_lines(sys.argv[1])
    postgres_lines()
    published_lines()
