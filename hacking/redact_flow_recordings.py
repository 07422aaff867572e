# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Copy recorded authentik login conversations (``NN-name.json`` + ``index.md``) with every secret as a placeholder.

Usage: ``python hacking/redact_flow_recordings.py SOURCE_DIR TARGET_DIR``
(the fixtures in tests/fidelity/recordings/authentik-2025.12.4-flows/ were written this way).

The recorder already masked cookie values, passwords, client secrets, tokens and Bearer/Basic credentials as
``<redacted>`` and authorization codes as ``<redacted-code#N len=32>``. This script makes that uniform and
checkable: each masked value becomes a placeholder naming what it was (``placeholder-password``,
``placeholder-client-secret``, ``placeholder-cookie``, ``placeholder-jwt``, ``placeholder-code-N``), session ids
(``sid``, in the cookie's decoded payload and in the tokens' claims) become ``placeholder-sid-N``, and then every
string is checked: no JWT, no 32-hex authorization code, no Bearer/Basic credential and no cookie value may be
left. Values that were deliberately wrong when recorded (the wrong password and the wrong client secret) are
kept: they never were credentials, and the recordings are about them being wrong. The script fails when
anything secret-looking remains.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import sys

MASK = "<redacted>"
CODE_RE = re.compile(r"<redacted-code#(\d+) len=32>")
JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
HEX_CODE_RE = re.compile(r"[?&]code=[0-9a-f]{32}\b")
KIND_BY_KEY = {
    "password": "password", "client_secret": "client-secret", "access_token": "jwt", "id_token": "jwt",
    "refresh_token": "refresh-token", "value": "cookie", "sid": "sid", "Authorization": "credential",
}
# Literals the recordings use because they are wrong; kept so a reader sees what was sent.
DELIBERATELY_WRONG = {"definitely-wrong-password", "WRONG-secret-0000000000000000000000000000"}


class Redactor:
    def __init__(self):
        self.sids = {}

    def placeholder(self, key, value):
        if key == "sid" and value != MASK:
            number = self.sids.setdefault(value, len(self.sids) + 1)
            return "placeholder-sid-%d" % number
        if value == MASK:
            return "placeholder-%s" % KIND_BY_KEY.get(key, "secret")
        if value in ("Bearer " + MASK, "Basic " + MASK):
            return value.split(" ")[0] + " placeholder-credential"
        return CODE_RE.sub(lambda m: "placeholder-code-%s" % m.group(1), value)

    def walk(self, value, key=None):
        if isinstance(value, dict):
            return {k: self.walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v, key) for v in value]
        if isinstance(value, str):
            return self.placeholder(key, value)
        return value


def leftovers(value, path="$"):
    """Every string that still looks like a secret, with where it is."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += leftovers(item, "%s.%s" % (path, key))
            if key in KIND_BY_KEY and isinstance(item, str) and item not in DELIBERATELY_WRONG \
                    and not item.startswith(("placeholder-", "Bearer placeholder-", "Basic placeholder-")) \
                    and not (key == "value" and "cookie" not in path.lower()):
                found.append("%s.%s" % (path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += leftovers(item, "%s[%d]" % (path, index))
    elif isinstance(value, str):
        if JWT_RE.search(value) or HEX_CODE_RE.search(value) or "<redacted" in value:
            found.append(path)
    return found


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    source, target = argv[1], argv[2]
    os.makedirs(target, exist_ok=True)
    problems = []
    for path in sorted(glob.glob(os.path.join(source, "[0-9][0-9]-*.json"))):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        clean = Redactor().walk(data)
        problems += ["%s: %s" % (os.path.basename(path), where) for where in leftovers(clean)]
        with open(os.path.join(target, os.path.basename(path)), "w", encoding="utf-8") as handle:
            json.dump(clean, handle, indent=1, sort_keys=False)
            handle.write("\n")
    index = os.path.join(source, "index.md")
    if os.path.exists(index):
        shutil.copyfile(index, os.path.join(target, "index.md"))
    if problems:
        sys.stderr.write("secret-looking values left:\n  %s\n" % "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
