# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The memo of madmin keys (tests/madmin_keys.py) derives each pair of secret key and salt once, derives any other
pair as before, and does not let a remembered key decrypt what another secret key encrypted; the module server's
children keep their keys in the directory beside the server's socket, where the next child reads them back."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from madmin_keys import KEY_LENGTH, remembering
from minio_emu.errors import ApiError  # tests/doubles, on sys.path through tests/conftest.py
from minio_emu.madmin_crypto import decrypt, encrypt
from module_server import MADMIN_KEYS
from playbook_runner import start_module_server

HERE = os.path.dirname(os.path.abspath(__file__))
CALLER = [sys.executable, "-S", os.path.join(os.path.dirname(HERE), "module_server.py")]
SALT = bytes(range(32))


def test_each_pair_is_derived_once_and_a_damaged_key_file_is_derived_again(tmp_path):
    calls = []

    def derive(secret, salt):
        calls.append((secret, salt))
        return (secret + salt)[:KEY_LENGTH].ljust(KEY_LENGTH, b"k")

    generate_key = remembering(derive, lambda: str(tmp_path / "keys"))
    first = generate_key(b"secret-one", SALT)
    assert generate_key(b"secret-one", SALT) == first and calls == [(b"secret-one", SALT)]
    # another secret key, or another salt, is another pair: derived, and its own key
    assert generate_key(b"secret-two", SALT) != first
    assert generate_key(b"secret-one", SALT[::-1]) != first
    assert len(calls) == 3
    for name in os.listdir(tmp_path / "keys"):  # a key file cut short is not a key
        (tmp_path / "keys" / name).write_bytes(b"short")
    assert generate_key(b"secret-one", SALT) == first and len(calls) == 4


def test_a_remembered_key_does_not_open_what_another_secret_key_encrypted():
    # the memo is installed in this process (tests/conftest.py): the double's answers reuse one salt per secret key
    sealed = encrypt(b'{"identity_openid": "remembered"}', "the-right-secret-key")
    assert decrypt(sealed, "the-right-secret-key") == b'{"identity_openid": "remembered"}'
    assert decrypt(sealed, "the-right-secret-key") == b'{"identity_openid": "remembered"}'  # read back
    with pytest.raises(ApiError):
        decrypt(sealed, "another-secret-key")


def test_the_module_servers_children_share_the_keys_they_derive(tmp_path):
    path, process = start_module_server(str(tmp_path / "server.sock"))
    script = tmp_path / "derive.py"
    script.write_text("from minio import crypto\nprint(crypto._generate_key(b'child-secret', bytes(32)).hex())\n")
    try:
        env = dict(os.environ, SSO_TEST_MODULE_SERVER=path)
        keys = [subprocess.run(CALLER + [str(script)], env=env, capture_output=True, text=True, timeout=60,
                               check=True).stdout.strip() for _run in range(2)]
    finally:
        process.stdin.close()
        process.wait(timeout=10)
    kept = os.listdir(tmp_path / MADMIN_KEYS)
    assert len(kept) == 1 and keys[0] == keys[1] == (tmp_path / MADMIN_KEYS / kept[0]).read_bytes().hex()
