"""Prints JSON lines of Werkzeug scrypt fixtures. Werkzeug added scrypt in 2.3, so this runs with a Python that has
Werkzeug >= 2.3 (the pyenv python3 here has 3.1), not Debian's 2.2 (see modern.sh)."""
import json
import sys
from importlib.metadata import version

from werkzeug.security import check_password_hash, generate_password_hash

tool = f"werkzeug {version('werkzeug')} generate_password_hash"
for password, method in [("pässwörd ✓", "scrypt:1024:8:1"), ("correct horse battery staple", "scrypt:2048:4:2"),
                         ("🔑 clé", "scrypt")]:
    pwhash = generate_password_hash(password, method)
    if not check_password_hash(pwhash, password):
        sys.exit(f"tool disagrees: {pwhash}")
    print(json.dumps({"format": "werkzeug-scrypt", "tool": tool, "password": password, "password_hash": pwhash},
                     ensure_ascii=False))

# Werkzeug also reads a bare "scrypt$salt$hash" as its defaults (n=2**15, r=8, p=1); store one in that spelling.
pwhash = generate_password_hash("pässwörd ✓", "scrypt:32768:8:1")
bare = "scrypt$" + pwhash.split("$", 1)[1]
if not check_password_hash(bare, "pässwörd ✓"):
    sys.exit(f"tool disagrees: {bare}")
print(json.dumps({"format": "werkzeug-scrypt", "tool": f"{tool}, method prefix shortened to bare 'scrypt'",
                  "password": "pässwörd ✓", "password_hash": bare}, ensure_ascii=False))
