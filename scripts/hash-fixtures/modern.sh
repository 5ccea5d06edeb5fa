#!/usr/bin/env bash
# Regenerates test/fixtures/hashes/modern.jsonl from the formats' own tools (each generator checks its lines with
# the tool before printing them). Needs: Debian's python3 with passlib, django 3.2, bcrypt, argon2-cffi; a python3
# with werkzeug >= 2.3 ($WERKZEUG_PYTHON); php 8.2; htpasswd (apache2-utils); node with the project's node_modules.
set -euo pipefail
cd "$(dirname "$0")"
out=../../test/fixtures/hashes/modern.jsonl
{
  /usr/bin/python3 modern.py
  "${WERKZEUG_PYTHON:-python3}" modern_werkzeug.py
  php modern.php
  (cd ../.. && node scripts/hash-fixtures/modern_node_argon2.mjs)
  # Apache htpasswd -B writes $2y$ bcrypt (APR's copy of crypt_blowfish); confirm it with htpasswd -v.
  password='pässwörd ✓'
  entry=$(htpasswd -nbBC 4 user "$password")
  htfile=$(mktemp)
  echo "$entry" > "$htfile"
  htpasswd -vb "$htfile" user "$password" >/dev/null 2>&1
  rm -f "$htfile"
  /usr/bin/python3 -c 'import json,sys; print(json.dumps({"format": "bcrypt", "tool": "htpasswd -B (apache2-utils)",
    "password": sys.argv[1], "password_hash": sys.argv[2].split(":", 1)[1]}, ensure_ascii=False))' "$password" "$entry"
} > "$out.tmp"
mv "$out.tmp" "$out"
wc -l "$out"
