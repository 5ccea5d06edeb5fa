"""Prints JSON lines of fixtures made by Python tools: passlib, argon2-cffi, bcrypt, Django 3.2's hashers, plus
published vectors (argon2 reference test.c, firebase/scrypt README). Every line is checked with the tool before it is
printed. Run with Debian's /usr/bin/python3, which has these packages (see modern.sh)."""
import base64
import hashlib
import json
import sys

import argon2
import bcrypt
import django
import passlib
from argon2.low_level import Type, hash_secret
from django.conf import settings
from passlib.hash import scrypt as passlib_scrypt

PASSWORDS = ["pässwörd ✓", "correct horse battery staple", "🔑 clé"]

settings.configure(PASSWORD_HASHERS=[
    "__main__.FastArgon2", "__main__.FastBCryptSHA256", "__main__.FastBCrypt",
])
django.setup()
from django.contrib.auth import hashers  # noqa: E402  (needs settings first)


class FastArgon2(hashers.Argon2PasswordHasher):
    time_cost, memory_cost, parallelism = 1, 256, 2


class FastBCryptSHA256(hashers.BCryptSHA256PasswordHasher):
    rounds = 4


class FastBCrypt(hashers.BCryptPasswordHasher):
    rounds = 4


class OldBCrypt(FastBCrypt):
    """Django with py-bcrypt / bcrypt < 3 stored $2a$ hashes; same hasher, older salt prefix."""
    def salt(self):
        return bcrypt.gensalt(self.rounds, prefix=b"2a")


def line(fmt, tool, password, password_hash, **extra):
    row = {"format": fmt, "tool": tool, "password": password, "password_hash": password_hash, **extra}
    print(json.dumps(row, ensure_ascii=False))


def check(ok, what):
    if not ok:
        sys.exit(f"tool disagrees: {what}")


django_tool = f"django {django.get_version()} make_password"
for pw in PASSWORDS + ["a" + "é" * 40]:
    for fmt, name in [("django-argon2", "argon2"), ("django-bcrypt-sha256", "bcrypt_sha256"),
                      ("django-bcrypt", "bcrypt")]:
        encoded = hashers.make_password(pw, hasher=name)
        check(hashers.check_password(pw, encoded), encoded)
        line(fmt, django_tool, pw, encoded)
old = OldBCrypt().encode("pässwörd ✓", OldBCrypt().salt())
check(OldBCrypt().verify("pässwörd ✓", old), old)
line("django-bcrypt", f"django {django.get_version()} BCryptPasswordHasher with a $2a$ salt", "pässwörd ✓", old)

pl_tool = f"passlib {passlib.__version__} scrypt"
for pw, rounds, block, par in [(PASSWORDS[0], 4, 8, 1), (PASSWORDS[1], 10, 8, 1), (PASSWORDS[2], 6, 4, 2)]:
    h = passlib_scrypt.using(rounds=rounds, block_size=block, parallelism=par).hash(pw)
    check(passlib_scrypt.verify(pw, h), h)
    line("scrypt", pl_tool, pw, h)

a2_tool = f"argon2-cffi {argon2.__version__}"
for t in (Type.ID, Type.I, Type.D):
    for pw in PASSWORDS[:2]:
        h = argon2.PasswordHasher(time_cost=2, memory_cost=256, parallelism=2, type=t).hash(pw)
        check(argon2.PasswordHasher().verify(h, pw), h)
        line("argon2", f"{a2_tool} PasswordHasher", pw, h)
    h = hash_secret(PASSWORDS[0].encode(), b"sixteen byte salt", 1, 64, 1, 32, t, version=16).decode()
    check(argon2.PasswordHasher().verify(h, PASSWORDS[0]), h)
    line("argon2", f"{a2_tool} low_level.hash_secret version=16", PASSWORDS[0], h)

bc_tool = f"python bcrypt {bcrypt.__version__} hashpw"
for prefix in (b"2a", b"2b"):
    for pw in (PASSWORDS[0], "x" * 100):
        h = bcrypt.hashpw(pw.encode(), bcrypt.gensalt(4, prefix)).decode()
        check(bcrypt.checkpw(pw.encode(), h.encode()), h)
        line("bcrypt", bc_tool, pw, h)

# Argon2 reference implementation, src/test.c (P-H-C/phc-winner-argon2): Argon2i, salt "somesalt".
ARGON2_TEST_C = [
    ("password", "$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ"),
    ("password", "$argon2i$m=256,t=2,p=1$c29tZXNhbHQ$/U3YPXYsSb3q9XxHvc0MLxur+GP960kN9j7emXX8zwY"),
    ("password", "$argon2i$m=256,t=2,p=2$c29tZXNhbHQ$tsEVYKap1h6scGt5ovl9aLRGOqOth+AMB+KwHpDFZPs"),
    ("differentpassword", "$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$6ckCB0tnVFMaOgvlGeW69ASzDOabPwGsO/ISKZYBCaM"),
    ("password", "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"),
    ("password", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8"),
    ("password", "$argon2i$v=19$m=256,t=2,p=2$c29tZXNhbHQ$T/XOJ2mh1/TIpJHfCdQan76Q5esCFVoT5MAeIM1Oq2E"),
    ("password", "$argon2i$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$sDV8zPvvkfOGCw26RHsjSMvv7K2vmQq/6cxAcmxSEnE"),
    # test.c's "mismatching hash (the encoded password is \"passwore\")" cases, stored with their real password.
    ("passwore", "$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$b2G3seW+uPzerwQQC+/E1K50CLLO7YXy0JRcaTuswRo"),
    ("passwore", "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$8iIuixkI73Js3G1uMbezQXD0b8LG4SXGsOwoQkdAQIM"),
]
for pw, h in ARGON2_TEST_C:
    check(argon2.PasswordHasher().verify(h, pw), h)
    line("argon2", f"argon2 reference src/test.c, checked with {a2_tool}", pw, h)

# firebase/scrypt README "Password Hashing": sample hash_config and exported account for "user1password".
line("firebase-scrypt", "firebase/scrypt README sample", "user1password", {
    "algorithm": "firebase-scrypt",
    "hash": "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==",
    "salt": "42xEC+ixf3L2lw==",
    "signer_key": "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
    "salt_separator": "Bw==",
    "rounds": 8,
    "mem_cost": 14,
})

# AdonisJS: its scrypt driver writes "$scrypt$n=...,r=...,p=..." with a 64-byte key (adonisjs/hash
# tests/drivers/scrypt.spec.ts, "precomputed hash for password"); AdonisJS 5's argon2 driver wrote params in t,m,p
# order (hashes published in public AdonisJS apps). Checked with hashlib.scrypt and argon2-cffi (params put in m,t,p
# order only for the check: the math does not depend on the order).
ADONIS_SCRYPT = ("password", "$scrypt$n=16384,r=8,p=1$YhdCGu1G+vTC6F9oJZ16lg$IDWTbizFCq5n9YvPiy3YTPdUD12Nf1Iit8aQ"
                 "eGyWZdA9k9L8rKk9Ii5jQxSkV0MJyxr3/nzOHh+VTht0KFxiBA")
_, _, params, salt, key = ADONIS_SCRYPT[1].split("$")
n, r, p = (int(kv.split("=")[1]) for kv in params.split(","))
unb64 = lambda s: base64.b64decode(s + "=" * (-len(s) % 4))  # noqa: E731
check(hashlib.scrypt(ADONIS_SCRYPT[0].encode(), salt=unb64(salt), n=n, r=r, p=p, dklen=64,
                     maxmem=256 * 1024 * 1024) == unb64(key), ADONIS_SCRYPT[1])
line("scrypt", "adonisjs/hash scrypt driver test vector, checked with python hashlib.scrypt", *ADONIS_SCRYPT)
for pw, h in [("12345", "$argon2id$v=19$t=3,m=4096,p=1$jN8gat6WY4nJ0NcUaLqqtg$TaQ98qNrmbRAEvTdYJ1g5PWyQk7Ec4EC9OAUdaVQ6hw"),
              ("test", "$argon2id$v=19$t=3,m=4096,p=1$I/B3IopX+BpBBirwKun2/g$2UFBPgOfnjvSxzk7w9/cdIELic4LmJNaleaHBJhmGeU")]:
    check(argon2.PasswordHasher().verify(h.replace("t=3,m=4096", "m=4096,t=3"), pw), h)
    line("argon2", f"AdonisJS 5 argon driver (t,m,p order), checked with {a2_tool}", pw, h)
