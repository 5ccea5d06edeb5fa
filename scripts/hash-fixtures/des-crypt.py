#!/usr/bin/env python3
"""Writes test/fixtures/hashes/des-crypt.jsonl: traditional DES and BSDi extended DES crypt(3) hashes.

Made by the system's crypt(3) (Debian 12: libxcrypt 4.4.33) through Python 3.11's crypt module and Perl's crypt
(the same library), and checked with it (crypt(password, hash) == hash); plus hashcat's self-test vectors. Random
passwords and salts come from a fixed seed, so the output is reproducible:
    python3 scripts/hash-fixtures/des-crypt.py > test/fixtures/hashes/des-crypt.jsonl
"""
import crypt  # deprecated in 3.11, gone in 3.13: run with 3.11 or 3.12
import ctypes.util
import json
import random
import subprocess
import sys

ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
CHARS = [chr(c) for c in range(32, 127)] + list('äöüßéñ✓密码🔑')
LIBXCRYPT = 'libxcrypt %s (%s)' % (
    subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'libcrypt1'], capture_output=True, text=True).stdout.strip() or '?',
    ctypes.util.find_library('crypt'))
LIBRARY = '%s crypt(3) via Python %d.%d crypt' % (LIBXCRYPT, *sys.version_info[:2])


def emit(fmt, tool, password, password_hash):
    assert crypt.crypt(password, password_hash) == password_hash, (password, password_hash)
    line = {'format': fmt, 'scheme': fmt, 'tool': tool, 'password': password, 'password_hash': password_hash}
    sys.stdout.write(json.dumps(line, ensure_ascii=False) + '\n')


def number(value, chars):
    return ''.join(ALPHABET[(value >> (6 * i)) & 63] for i in range(chars))


def main():
    rng = random.Random(20261201)
    fixed = ['password', 'pässwörd ✓', 'correct horse battery staple', '12345678', '123456789', '']
    for i in range(160):
        password = fixed[i] if i < len(fixed) else ''.join(rng.choice(CHARS) for _ in range(rng.randint(1, 24)))
        emit('des-crypt', LIBRARY, password, crypt.crypt(password, rng.choice(ALPHABET) + rng.choice(ALPHABET)))
        count = 725 if i < len(fixed) else rng.randint(1, 3000)
        emit('bsdi-crypt', LIBRARY, password, crypt.crypt(password, '_' + number(count, 4) + number(rng.getrandbits(24), 4)))
    for password, setting in (('password', 'Xy'), ('pässwörd ✓', '_J9..perl'), ('a password longer than eight', '_7C/.ABCD')):
        out = subprocess.run(['perl', '-e', 'print crypt($ARGV[0], $ARGV[1])', password, setting],
                             check=True, capture_output=True).stdout.decode('utf-8')
        emit('bsdi-crypt' if setting.startswith('_') else 'des-crypt', "perl's crypt (%s)" % LIBXCRYPT, password, out)
    emit('des-crypt', 'hashcat src/modules/module_01500.c self-test (ST_HASH, ST_PASS)', 'hashcat', '24leDr0hHfb3A')
    emit('bsdi-crypt', 'hashcat src/modules/module_12400.c self-test (ST_HASH, ST_PASS)', 'hashcat', '_GW..8841inaTltazRsQ')


if __name__ == '__main__':
    main()
