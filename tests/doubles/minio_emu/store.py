# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Everything that survives a restart of the double process, as plain files under --data-dir.

Layout (loosely MinIO's ``.minio.sys``)::

    config/config.json              the stored config (what set-config-kv writes)
    config/history/<uuid>.json      {"restoreId", "createTime", "data"}: raw KV text of every set
    iam/policies/<name>.json        {"Policy", "CreateDate", "UpdateDate"} for user-added canned policies
    buckets/<bucket>/bucket.json    {"CreationDate"}
    buckets/<bucket>/objects/<hex>  object bytes; <hex>.json its metadata (key, etag, type, size, mtime)

Writes go through a temporary file and ``os.replace`` so a killed double never leaves half a file.
"""

from __future__ import annotations

import json
import os
import shutil


def _write_json(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)


def _read_json(path, default=None):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return default


def _key_name(key):
    # Object keys may contain '/', '..' and anything else: store them under a hex name.
    return key.encode("utf-8").hex()


class Store:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        os.makedirs(self.root, exist_ok=True)

    def _path(self, *parts):
        return os.path.join(self.root, *parts)

    def wipe(self):
        for name in ("config", "iam", "buckets"):
            shutil.rmtree(self._path(name), ignore_errors=True)

    # config -------------------------------------------------------------------------------------
    def load_config(self):
        return _read_json(self._path("config", "config.json"))

    def save_config(self, config):
        _write_json(self._path("config", "config.json"), config)

    def add_history(self, entry):
        _write_json(self._path("config", "history", entry["restoreId"] + ".json"), entry)

    def list_history(self):
        folder = self._path("config", "history")
        if not os.path.isdir(folder):
            return []
        # Listed in object-name (UUID) order, as MinIO lists its history objects.
        return [_read_json(os.path.join(folder, name)) for name in sorted(os.listdir(folder)) if name.endswith(".json")]

    def get_history(self, restore_id):
        return _read_json(self._path("config", "history", os.path.basename(restore_id) + ".json"))

    def delete_history(self, restore_id):
        try:
            os.remove(self._path("config", "history", os.path.basename(restore_id) + ".json"))
            return True
        except FileNotFoundError:
            return False

    # policies -----------------------------------------------------------------------------------
    def load_policies(self):
        folder = self._path("iam", "policies")
        out = {}
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith(".json"):
                    out[bytes.fromhex(name[:-5]).decode("utf-8")] = _read_json(os.path.join(folder, name))
        return out

    def save_policy(self, name, entry):
        _write_json(self._path("iam", "policies", _key_name(name) + ".json"), entry)

    def delete_policy(self, name):
        try:
            os.remove(self._path("iam", "policies", _key_name(name) + ".json"))
        except FileNotFoundError:
            pass

    # buckets and objects ------------------------------------------------------------------------
    def list_buckets(self):
        folder = self._path("buckets")
        if not os.path.isdir(folder):
            return []
        out = []
        for name in sorted(os.listdir(folder)):
            meta = _read_json(os.path.join(folder, name, "bucket.json"))
            if meta is not None:
                out.append((name, meta))
        return out

    def bucket(self, name):
        return _read_json(self._path("buckets", name, "bucket.json"))

    def make_bucket(self, name, meta):
        _write_json(self._path("buckets", name, "bucket.json"), meta)

    def remove_bucket(self, name):
        shutil.rmtree(self._path("buckets", name), ignore_errors=True)

    def put_object(self, bucket, key, data, meta):
        folder = self._path("buckets", bucket, "objects")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, _key_name(key))
        with open(path + ".tmp", "wb") as handle:
            handle.write(data)
        os.replace(path + ".tmp", path)
        _write_json(path + ".json", dict(meta, Key=key))

    def object_meta(self, bucket, key):
        return _read_json(self._path("buckets", bucket, "objects", _key_name(key) + ".json"))

    def object_data(self, bucket, key):
        with open(self._path("buckets", bucket, "objects", _key_name(key)), "rb") as handle:
            return handle.read()

    def delete_object(self, bucket, key):
        for suffix in ("", ".json"):
            try:
                os.remove(self._path("buckets", bucket, "objects", _key_name(key) + suffix))
            except FileNotFoundError:
                pass

    def list_objects(self, bucket):
        folder = self._path("buckets", bucket, "objects")
        if not os.path.isdir(folder):
            return []
        metas = [_read_json(os.path.join(folder, n)) for n in os.listdir(folder) if n.endswith(".json")]
        return sorted((m for m in metas if m), key=lambda m: m["Key"])
