# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Copy recorded authentik calls (``NN-name.json`` + ``index.md``) with every secret replaced by a placeholder.

Usage: ``python hacking/redact_recordings.py SOURCE_DIR TARGET_DIR``
(the fixtures in tests/fidelity/recordings/authentik-2025.12.4/ were written this way).

Secrets: bearer tokens and Basic credentials in ``Authorization`` headers, cookies and CSRF tokens, the
values of secret fields anywhere in request or response (API tokens/keys, app passwords, client secrets,
passwords, private keys, access/ID/refresh tokens), every JWT and every PEM private key. A base64
``user:password`` pair (HTTP Basic, authentik's ``client_secret = base64(username:app_password)``) keeps its
user name and gets its password replaced, then is encoded again.

Each distinct secret gets its own placeholder, the same one everywhere it occurs, so a replay can still learn
"the token created in call 77 is the one used in call 79". Placeholders keep the JSON type (strings) and the
shape a reader or a test relies on: a JWT becomes three dot-separated parts. Values that were deliberately
invalid when recorded (``not-a-token``, ``wrong``, the ``akadmin:x`` Basic pair) are kept: they never were
credentials and the calls are about them being wrong.

After writing, every original secret (and its base64 form) is searched for in the copies; the script fails
if one is found.
"""

from __future__ import annotations

import base64
import binascii
import glob
import json
import os
import re
import sys

# field name -> placeholder kind; any string value under these keys is a secret (URLs excepted, see _is_url)
SECRET_FIELDS = {
    "token": "token", "key": "token", "api_key": "token", "secret_key": "secret", "client_secret": "client-secret",
    "password": "password", "app_password": "password", "key_data": "private-key", "private_key": "private-key",
    "access_token": "jwt", "id_token": "jwt", "refresh_token": "refresh-token", "csrfmiddlewaretoken": "csrf-token",
}
SECRET_HEADERS = {"x-csrftoken": "csrf-token", "x-csrf-token": "csrf-token"}
DELIBERATELY_INVALID = {"not-a-token", "wrong", "x"}
JWT_RE = re.compile(r"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
PEM_RE = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S)
MASKED_NOTE_RE = re.compile(r"Nothing was masked:.*?instance\.", re.S)


def _is_url(value):
    return value.startswith(("http://", "https://", "/"))


def _basic_pair(value):
    """``(user, password)`` when value is base64 of ``user:password`` in printable text, else None."""
    try:
        text = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    if ":" not in text or not text.isprintable():
        return None
    return tuple(text.split(":", 1))


class Redactor:
    def __init__(self):
        self.placeholders = {}  # original -> placeholder
        self.counts = {}

    def secret(self, value, kind):
        """Register value as a secret of kind; returns its placeholder (or value when it is not a secret)."""
        if not isinstance(value, str) or value == "" or value in DELIBERATELY_INVALID:
            return value
        if value in self.placeholders:
            return self.placeholders[value]
        if JWT_RE.match(value):
            kind = "jwt"
        number = self.counts[kind] = self.counts.get(kind, 0) + 1
        if kind == "jwt":
            placeholder = ".".join("placeholder-jwt-%d-%s" % (number, part) for part in ("header", "payload", "signature"))
        elif kind == "private-key":
            placeholder = "-----BEGIN PRIVATE KEY-----\nplaceholder-private-key-%d\n-----END PRIVATE KEY-----" % number
        else:
            placeholder = "placeholder-%s-%d" % (kind, number)
        self.placeholders[value] = placeholder
        return placeholder

    def credential_pair(self, value, kind="password"):
        """base64(user:password) -> base64(user:placeholder); None when value is no such pair."""
        pair = _basic_pair(value)
        if pair is None:
            return None
        user, password = pair
        new = self.secret(password, kind)
        if new == password:
            return value
        self.placeholders[value] = base64.b64encode(("%s:%s" % (user, new)).encode("utf-8")).decode("ascii")
        return self.placeholders[value]

    def authorization(self, value):
        scheme, sep, credential = value.partition(" ")
        if not sep:
            return self.secret(value, "token")
        if scheme.lower() == "basic":
            new = self.credential_pair(credential)
            if new is None:
                new = self.secret(credential, "password")
        else:
            new = self.secret(credential, "token")
        return scheme + sep + new

    def headers(self, headers):
        out = {}
        for name, value in headers.items():
            lower = name.lower()
            if lower == "authorization":
                value = self.authorization(value)
            elif lower in ("cookie", "set-cookie"):
                value = self.cookies(value, every=lower == "cookie")
            elif lower in SECRET_HEADERS:
                value = self.secret(value, SECRET_HEADERS[lower])
            out[name] = value
        return out

    def cookies(self, value, every):
        """``Cookie: a=1; b=2`` -> every value replaced; ``Set-Cookie: a=1; Path=/`` -> only the first."""
        parts = value.split(";")
        for index, part in enumerate(parts if every else parts[:1]):
            name, sep, content = part.partition("=")
            parts[index] = name + sep + self.secret(content, "cookie") if sep else self.secret(part, "cookie")
        return ";".join(parts)

    def walk(self, value, key=None):
        if isinstance(value, dict):
            return {k: self.walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v, key) for v in value]
        if not isinstance(value, str):
            return value
        if JWT_RE.match(value):
            return self.secret(value, "jwt")
        if PEM_RE.search(value):
            return PEM_RE.sub(lambda m: self.secret(m.group(0), "private-key"), value)
        if key in SECRET_FIELDS and not _is_url(value):
            kind = SECRET_FIELDS[key]
            if kind == "client-secret":
                new = self.credential_pair(value, "token")  # authentik: client_secret = base64(username:app password)
                if new is not None:
                    return new
            return self.secret(value, kind)
        return value

    def recording(self, data):
        out = dict(data)
        request = dict(data["request"])
        request["headers"] = self.headers(request.get("headers") or {})
        for part in ("json", "form"):
            request[part] = self.walk(request.get(part))
        out["request"] = request
        response = dict(data["response"])
        response["headers"] = self.headers(response.get("headers") or {})
        response["json"] = self.walk(response.get("json"))
        out["response"] = response
        if data.get("derived") is not None:
            out["derived"] = self.walk(data["derived"])  # decoded claims stay; no raw token is kept there
        return out

    def text(self, text):
        """Replace every known secret occurring anywhere in text (notes, HTML, index.md)."""
        for original in sorted(self.placeholders, key=len, reverse=True):
            text = text.replace(original, self.placeholders[original])
        return text


SMART_QUOTES = "\u2018\u2019\u201c\u201d"  # ansible-test's no-smart-quotes check refuses them in any file


def _dump(data):
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    for quote in SMART_QUOTES:  # the same JSON string, written as an escape
        text = text.replace(quote, "\\u%04x" % ord(quote))
    return text


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: %s SOURCE_DIR TARGET_DIR\n" % argv[0])
        return 2
    source, target = argv[1], argv[2]
    paths = sorted(glob.glob(os.path.join(source, "[0-9][0-9]-*.json")))
    if not paths:
        sys.stderr.write("no NN-name.json recordings in %s\n" % source)
        return 2
    redactor = Redactor()
    originals = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            originals[path] = handle.read()
    redacted = {path: redactor.recording(json.loads(raw)) for path, raw in originals.items()}  # first pass: learn all

    os.makedirs(target, exist_ok=True)
    written = []
    for path in paths:
        # second pass: also strings that merely contain a secret (notes, paths, HTML)
        text = redactor.text(_dump(redacted[path]))
        json.loads(text)
        written.append(os.path.join(target, os.path.basename(path)))
        with open(written[-1], "w", encoding="utf-8") as handle:
            handle.write(text)
    index = os.path.join(source, "index.md")
    if os.path.exists(index):
        with open(index, encoding="utf-8") as handle:
            text = redactor.text(handle.read())
        text = MASKED_NOTE_RE.sub(
            "The bootstrap token, client secret,\napp password and JWTs of that throwaway loopback instance are "
            "replaced by placeholders in these copies\n(hacking/redact_recordings.py: one placeholder per distinct "
            "value, used wherever the value occurs; a JWT\nbecomes "
            "`placeholder-jwt-N-header.placeholder-jwt-N-payload.placeholder-jwt-N-signature`). `derived` was "
            "computed\nfrom the real tokens before that.", text)
        written.append(os.path.join(target, "index.md"))
        with open(written[-1], "w", encoding="utf-8") as handle:
            handle.write(text)

    # check: no original secret, nor its base64 form, is left in what was written
    leftovers = []
    for original in redactor.placeholders:
        forms = {original, base64.b64encode(original.encode("utf-8")).decode("ascii").rstrip("=")}
        for out in written:
            with open(out, encoding="utf-8") as handle:
                content = handle.read()
            leftovers += ["%s: secret #%d" % (out, list(redactor.placeholders).index(original))
                          for form in forms if form in content]
    if leftovers:
        sys.stderr.write("secrets left:\n  %s\n" % "\n  ".join(leftovers))
        return 1
    kinds = ", ".join("%d %s" % (n, kind) for kind, n in sorted(redactor.counts.items()))
    print("%d files written to %s; replaced %s" % (len(written), target, kinds or "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
