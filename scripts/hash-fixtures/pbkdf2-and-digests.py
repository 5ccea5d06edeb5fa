#!/usr/bin/python3
"""Writes test/fixtures/hashes/pbkdf2-and-digests.jsonl: password hashes made by each format's own tool.

Run with /usr/bin/python3 (Debian's, which has passlib 1.7.4, Django 3.2 and Werkzeug 2.2):
    /usr/bin/python3 scripts/hash-fixtures/pbkdf2-and-digests.py > test/fixtures/hashes/pbkdf2-and-digests.jsonl
Salts are fixed so the output is reproducible. Iteration counts are low to keep the tests fast, except one line
per format at the tool's own default. Every line is checked with the tool's verifier before it is written.
"""
import base64
import hashlib
import hmac
import json
import struct
import sys

import django
from django.conf import settings

settings.configure(PASSWORD_HASHERS=[
    'django.contrib.auth.hashers.PBKDF2PasswordHasher',
    'django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher',
    'django.contrib.auth.hashers.SHA1PasswordHasher',
    'django.contrib.auth.hashers.MD5PasswordHasher',
    'django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher',
    'django.contrib.auth.hashers.UnsaltedMD5PasswordHasher',
])
django.setup()
from django.contrib.auth.hashers import check_password, get_hasher, make_password  # noqa: E402
from passlib.hash import pbkdf2_sha1, pbkdf2_sha256, pbkdf2_sha512  # noqa: E402
import werkzeug.security  # noqa: E402

PASSWORDS = ['pässwörd ✓', 'correct horse battery staple', 'p@ss$word:1', '密码🔑', '',
             'a password longer than one SHA-512 block, so HMAC has to hash the key first: ' + 'x' * 80]
DJANGO = 'django %s' % django.get_version()
WERKZEUG = 'werkzeug %s' % werkzeug.__version__
ASPNET_TEST = 'dotnet/aspnetcore src/Identity/test/Identity.Test/PasswordHasherTest.cs (published vector)'
ASPNET_PY = 'python hashlib.pbkdf2_hmac laid out as PasswordHasher.cs (no dotnet here)'


def emit(fmt, scheme, tool, password, password_hash):
    line = {'format': fmt, 'scheme': scheme, 'tool': tool, 'password': password, 'password_hash': password_hash}
    sys.stdout.write(json.dumps(line, ensure_ascii=False) + '\n')


def b64(data):
    return base64.b64encode(data).decode('ascii')


def b64_unpadded(data):
    return b64(data).rstrip('=')


def unb64(text):
    return base64.b64decode(text + '=' * (-len(text) % 4))


def django_lines():
    for i, password in enumerate(PASSWORDS):
        for name in ('pbkdf2_sha256', 'pbkdf2_sha1'):
            encoded = get_hasher(name).encode(password, ('djangoSält%d' if i % 2 else 'djangoSalt%d') % i, 1000 + i)
            assert check_password(password, encoded)
            emit('django-pbkdf2', 'django-' + name.replace('_', '-'), DJANGO + ' PBKDF2 hasher encode', password, encoded)
        for name in ('sha1', 'md5'):
            encoded = make_password(password, 'salt%d' % i, name)
            assert check_password(password, encoded)
            emit('django-' + name, 'django-' + name, DJANGO + ' make_password', password, encoded)
        for name, fmt in (('unsalted_sha1', 'sha1'), ('unsalted_md5', 'md5')):
            encoded = make_password(password, '', name)
            if fmt == 'md5':
                encoded = 'md5$$' + encoded  # Django also accepts this spelling (identify_hasher)
            assert check_password(password, encoded)
            emit('django-' + fmt, 'django-unsalted-' + fmt, DJANGO + ' make_password ' + name, password, encoded)
    encoded = make_password('pässwörd ✓', 'defaultIterations', 'pbkdf2_sha256')  # Django 3.2 default: 260000
    assert check_password('pässwörd ✓', encoded)
    emit('django-pbkdf2', 'django-pbkdf2-sha256', DJANGO + ' make_password (default iterations)', 'pässwörd ✓', encoded)


def passlib_lines():
    for i, password in enumerate(PASSWORDS):
        for handler, digest in ((pbkdf2_sha1, 'sha1'), (pbkdf2_sha256, 'sha256'), (pbkdf2_sha512, 'sha512')):
            encoded = handler.using(rounds=1000 + i, salt=bytes([251, 255, i, 62, 63]) * 3).hash(password)
            assert handler.verify(password, encoded)
            emit('pbkdf2', 'pbkdf2-' + digest, 'passlib 1.7.4 %s.hash' % handler.name, password, encoded)
    # ab64_decode also accepts the standard "+" where passlib itself writes ".".
    encoded = pbkdf2_sha256.using(rounds=1000, salt=b'\xfb\xef\xbe' * 5).hash('pässwörd ✓').replace('.', '+')
    assert '+' in encoded and pbkdf2_sha256.verify('pässwörd ✓', encoded)
    emit('pbkdf2', 'pbkdf2-sha256', 'passlib 1.7.4 pbkdf2_sha256.verify ("+" for ".")', 'pässwörd ✓', encoded)


def phc_lines():
    # Published vectors: RustCrypto password-hashes pbkdf2/tests/simple.rs (RFC 6070-style input) and the
    # Auth0 PHC layout "$pbkdf2-<digest>$i=<n>,l=<len>$<B64 salt>$<B64 hash>".
    published = [
        ('passwordPASSWORDpassword', '$pbkdf2-sha256$i=4096,l=40$c2FsdFNBTFRzYWx0U0FMVHNhbHRTQUxUc2FsdFNBTFRzYWx0'
         '$NIyJ28vTKy8y2BS4EW6EzysXNH68GAAYHE4qH7jdU+HGNVGMfaxH6Q', 'RustCrypto pbkdf2 tests (published vector)'),
        ('Test@123', '$pbkdf2-sha1$i=10000,l=20$wJuJqLoUFsdXa8k3sFhRlA$XMGVWTbeKf4Xd+CGiuEZde8x7QA',
         'Auth0 pbkdf2 import sample (published vector)'),
    ]
    for password, encoded, tool in published:
        _, ident, params, salt, key = encoded.split('$')
        iterations = int(params.split(',')[0][2:])
        assert hashlib.pbkdf2_hmac(ident[7:], password.encode(), unb64(salt), iterations, len(unb64(key))) == unb64(key)
        emit('pbkdf2', 'pbkdf2-' + encoded.split('$')[1][7:], tool, password, encoded)
    for i, password in enumerate(PASSWORDS):
        for digest, key_len, with_l in (('sha1', 64, True), ('sha256', 32, True), ('sha512', 64, False)):
            salt = bytes(range(i, i + 16))
            key = hashlib.pbkdf2_hmac(digest, password.encode(), salt, 1000 + i, key_len)
            params = 'i=%d,l=%d' % (1000 + i, key_len) if with_l else 'i=%d' % (1000 + i)
            encoded = '$pbkdf2-%s$%s$%s$%s' % (digest, params, b64_unpadded(salt), b64_unpadded(key))
            emit('pbkdf2', 'pbkdf2-' + digest, 'python hashlib.pbkdf2_hmac in the PHC/Auth0 layout', password, encoded)


def pbkdf2_object_lines():
    for i, password in enumerate(PASSWORDS):
        for digest in ('sha1', 'sha256', 'sha512'):
            salt = bytes(range(40 + i, 56 + i))
            key = hashlib.pbkdf2_hmac(digest, password.encode(), salt, 1000 + i)
            obj = {'algorithm': 'pbkdf2-' + digest, 'hash': b64(key), 'salt': b64(salt), 'iterations': 1000 + i}
            if i % 3 == 1:
                obj.update(hash=key.hex(), encoding='hex', salt=salt.hex(), salt_encoding='hex', key_length=len(key))
            if i % 3 == 2:
                text_salt = 'textSalt%d' % i
                obj.update(salt=text_salt, salt_encoding='utf8', iterations=str(1000 + i),
                           hash=b64(hashlib.pbkdf2_hmac(digest, password.encode(), text_salt.encode(), 1000 + i)))
            emit('pbkdf2', 'pbkdf2-%s-object' % digest, 'python hashlib.pbkdf2_hmac', password, obj)


def werkzeug_lines():
    for i, password in enumerate(PASSWORDS):
        for method in ('pbkdf2:sha256:1000', 'pbkdf2:sha1:1001', 'pbkdf2:sha512:1002'):
            werkzeug.security.gen_salt = lambda length, i=i: ('wkzSalt%d' % i).ljust(length, 'x')  # fixed salt
            encoded = werkzeug.security.generate_password_hash(password, method)
            assert werkzeug.security.check_password_hash(encoded, password)
            emit('werkzeug-pbkdf2', 'werkzeug-pbkdf2-' + method.split(':')[1], WERKZEUG + ' generate_password_hash',
                 password, encoded)
    # int("01000") is 1000: check_password_hash accepts a zero-padded count.
    hashval, _ = werkzeug.security._hash_internal('pbkdf2:sha256:01000', 'padSalt', 'pässwörd ✓')
    encoded = 'pbkdf2:sha256:01000$padSalt$' + hashval
    assert werkzeug.security.check_password_hash(encoded, 'pässwörd ✓')
    emit('werkzeug-pbkdf2', 'werkzeug-pbkdf2-sha256', WERKZEUG + ' check_password_hash (zero-padded count)',
         'pässwörd ✓', encoded)
    # No iteration count: check_password_hash uses DEFAULT_PBKDF2_ITERATIONS (260000 in 2.2).
    hashval, _ = werkzeug.security._hash_internal('pbkdf2:sha256', 'noCountSalt', 'pässwörd ✓')
    encoded = 'pbkdf2:sha256$noCountSalt$' + hashval
    assert werkzeug.security.check_password_hash(encoded, 'pässwörd ✓')
    emit('werkzeug-pbkdf2', 'werkzeug-pbkdf2-sha256', WERKZEUG + ' check_password_hash (count-less method)',
         'pässwörd ✓', encoded)


def aspnet_v3(password, prf, iterations, salt, subkey_len):
    digest = ('sha1', 'sha256', 'sha512')[prf]
    subkey = hashlib.pbkdf2_hmac(digest, password.encode(), salt, iterations, subkey_len)
    return b64(b'\x01' + struct.pack('>III', prf, iterations, len(salt)) + salt + subkey)


def aspnet_lines():
    v2 = 'ANXrDknc7fGPpigibZXXZFMX4aoqz44JveK6jQuwY3eH/UyPhvr5xTPeGYEckLxz9A=='
    raw = base64.b64decode(v2)
    assert hashlib.pbkdf2_hmac('sha1', b'my password', raw[1:17], 1000, 32) == raw[17:]
    emit('aspnet-identity-v2', 'aspnet-identity-v2', ASPNET_TEST, 'my password', v2)
    emit('aspnet-identity-v2', 'aspnet-identity-v2', ASPNET_TEST, 'my password',
         'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==')
    for encoded in ('AQAAAAEAACcQAAAAEAABAgMEBQYHCAkKCwwNDg+yWU7rLgUwPZb1Itsmra7cbxw2EFpwpVFIEtP+JIuUEw==',
                    'AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHw',
                    'AQAAAAIAAAD6AAAAIJbVi5wbMR+htSfFp8fTw8N8GOS/Sje+S/4YZcgBfU7EQuqv4OkVYmc4VJl9AGZzmRTxSkP7LtVi9IWyUxX8IAAfZ8v+ZfhjCcudtC1YERSqE1OEdXLW9VukPuJWBBjLuw==',
                    'AQAAAAAAAAD6AAAAEAhftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9M',
                    'AQAAAAEAA9CQAAAAIESkQuj2Du8Y+kbc5lcN/W/3NiAZFEm11P27nrSN5/tId+bR1SwV8CO1Jd72r4C08OLvplNlCDc3oQZ8efcW+jQ='):
        payload = base64.b64decode(encoded)
        prf, iterations, salt_len = struct.unpack('>III', payload[1:13])
        salt, subkey = payload[13:13 + salt_len], payload[13 + salt_len:]
        digest = ('sha1', 'sha256', 'sha512')[prf]
        assert hashlib.pbkdf2_hmac(digest, b'my password', salt, iterations, len(subkey)) == subkey
        emit('aspnet-identity-v3', 'aspnet-identity-v3', ASPNET_TEST, 'my password', encoded)
    for i, password in enumerate(PASSWORDS):
        salt = bytes(range(100 + i, 116 + i))
        payload = b'\x00' + salt + hashlib.pbkdf2_hmac('sha1', password.encode(), salt, 1000, 32)
        emit('aspnet-identity-v2', 'aspnet-identity-v2', ASPNET_PY, password, b64(payload))
        for prf in (0, 1, 2):
            encoded = aspnet_v3(password, prf, 1000 + i, salt * (1 + prf % 2), 32 if prf else 16)
            emit('aspnet-identity-v3', 'aspnet-identity-v3', ASPNET_PY, password, encoded)


def raw_digest(algorithm, password, salt, position, key, iterations):
    name = algorithm[5:] if algorithm.startswith('hmac-') else algorithm
    once = (lambda data: hmac.new(key, data, name).digest()) if key is not None else \
        (lambda data: hashlib.new(name, data).digest())
    secret = password.encode()
    output = once(salt + secret if position == 'prefix' else secret + salt)
    for _ in range(iterations - 1):
        output = once(output)
    return output


def raw_digest_lines():
    algorithms = ('md5', 'sha1', 'sha256', 'sha512', 'hmac-md5', 'hmac-sha1', 'hmac-sha256', 'hmac-sha512')
    for i, password in enumerate(PASSWORDS):
        for algorithm in algorithms:
            is_hmac = algorithm.startswith('hmac-')
            obj = {'algorithm': algorithm}
            salt, position, key, iterations = b'', 'suffix', None, 1
            if i % 3 == 1:
                salt, position = 'sälty%d' % i, 'prefix'
                obj.update(salt=salt, salt_position=position)
                salt = salt.encode()
            if i % 3 == 2:
                salt, position, iterations = bytes([0, 255, i, 128]), 'suffix', 3 + i
                obj.update(salt=salt.hex(), salt_encoding='hex', salt_position=position, iterations=iterations)
            if is_hmac:
                key = ('hmacKey%d' % i).encode() if i % 2 == 0 else bytes(range(i, i + 24))
                obj.update(key=key.decode() if i % 2 == 0 else b64(key))
                if i % 2 == 1:
                    obj['key_encoding'] = 'base64'
            digest = raw_digest(algorithm, password, salt, position, key, iterations)
            if i % 2 == 1:
                obj.update(hash=b64(digest), encoding='base64')
            else:
                obj['hash'] = digest.hex()
            obj = {k: obj[k] for k in ('algorithm', 'hash', *[k for k in obj if k not in ('algorithm', 'hash')])}
            tool = 'python hmac.new' if is_hmac else 'python hashlib'
            emit('raw-' + algorithm, 'raw-' + algorithm, tool, password, obj)


for section in (django_lines, passlib_lines, phc_lines, pbkdf2_object_lines, werkzeug_lines, aspnet_lines,
                raw_digest_lines):
    section()
