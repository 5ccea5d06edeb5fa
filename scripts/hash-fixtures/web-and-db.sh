#!/usr/bin/env bash
# Regenerates test/fixtures/hashes/web-and-db.jsonl. Needs: $DJANGO_PYTHON, a python3 with Django 4.0+;
# $WERKZEUG_SECURITY_PY, werkzeug 2.2.3's src/werkzeug/security.py; $HASHCAT, a hashcat checkout (for its
# tools/test_modules); perl; psql reaching a PostgreSQL superuser (PGHOST, PGUSER …). See web-and-db.py.
set -euo pipefail
cd "$(dirname "$0")"
out=../../test/fixtures/hashes/web-and-db.jsonl
{
  "${DJANGO_PYTHON:-python3}" web-and-db.py "${WERKZEUG_SECURITY_PY:?}"
  perl web-and-db-hashcat.pl "${HASHCAT:?}/tools/test_modules"
} > "$out.tmp"
mv "$out.tmp" "$out"
wc -l "$out"
