# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The madmin keys a test process derived, kept for its later module runs.

MinIO encrypts the admin API's configuration payloads with a key derived by Argon2id (64 MiB of memory) from the
secret key and a salt that travels in the payload. minio-py derives it again for every payload it decrypts: about
0.1 s of CPU each here, five or six times in a role run, and most of an in-process login check's time. The MinIO
double draws one salt per secret key (tests/doubles/minio_emu/madmin_crypto.py), so the test processes keep asking
for the same derivation.

Argon2id is a pure function of the secret and the salt, so ``remember_derived_keys`` puts a memo in front of
minio-py's derivation (``minio.crypto._generate_key``): the first request for a pair derives it, a later one reads the
key back. Nothing else changes: the module's decryption runs as it would, and a wrong secret key is another pair,
derived and refused as before. The test process installs it (tests/conftest.py), and so does the module server
(tests/module_server.py) for the module processes it forks, which share the keys through a directory of the test
process. Module runs in a fresh Python (the demo, tests/integration/test_module_payloads.py) derive every key.
"""

from __future__ import annotations

import hashlib
import os

from module_server import write_whole

KEY_LENGTH = 32  # minio-py's derived keys (argon2id, 32 bytes)

_installed = []


def remembering(derive, directory):
    """``derive(secret, salt)`` with a memo in the directory ``directory()`` names (called on first use): a key file
    per pair, named by a hash of the pair (tests/module_server.py's write_whole)."""

    def generate_key(secret, salt):
        kept = os.path.join(directory(), hashlib.sha256(b"%d:" % len(secret) + secret + salt).hexdigest())
        try:
            with open(kept, "rb") as handle:
                key = handle.read()
            if len(key) == KEY_LENGTH:
                return key
        except OSError:
            pass
        key = derive(secret, salt)
        os.makedirs(os.path.dirname(kept), mode=0o700, exist_ok=True)
        write_whole(kept, key)
        return key

    return generate_key


def remember_derived_keys(directory):
    """Put the memo in front of minio-py's key derivation, in this process and the processes it forks (once)."""
    if _installed:
        return
    from minio import crypto  # pylint: disable=import-outside-toplevel

    _installed.append(crypto._generate_key)  # pylint: disable=protected-access
    crypto._generate_key = remembering(crypto._generate_key, directory)  # pylint: disable=protected-access
