# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The server's life: boot snapshot of the config, restart outage, IAM/OpenID initialisation and retries.

MinIO reads its config once at boot into ``globalServerConfig`` (what get-config-kv shows) and builds the
OpenID providers in ``IAMSys.Init``. If the IdP cannot be reached then, IAM stays uninitialised and MinIO
retries until it can; meanwhile /minio/health/cluster says 503 iam-offline and STS says 503.
"""

from __future__ import annotations

import copy
import datetime
import sys
import threading
import time

from . import configkv, iampolicy, openid
from .store import Store

IAM_RETRY_SECONDS = 1.0  # MinIO waits a random time under 3 s between attempts; shorter keeps tests quick


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


class ServerState:
    def __init__(self, root_user, root_password, data_dir, restart_outage=1.0, log=None):
        self.root_user = root_user
        self.root_password = root_password
        self.store = Store(data_dir)
        self.restart_outage = restart_outage
        self.lock = threading.RLock()
        self.log = log or (lambda msg: sys.stderr.write(msg + "\n"))
        self.down_until = 0.0
        self.generation = 0
        self.boot_count = 0
        self.boot_config = None
        self.providers = {}
        self.iam_ready = False
        self.iam_error = ""
        self.temp_creds = {}  # access key -> dict (secret, token, expiry, policies, claims, ...)
        self.started_at = time.time()
        config = self.store.load_config()
        if config is None:
            self.store.save_config(configkv.new_config())
        self.policies = self.store.load_policies()

    # config -------------------------------------------------------------------------------------
    def disk_config(self):
        return configkv.merge_defaults(copy.deepcopy(self.store.load_config() or configkv.new_config()))

    # lifecycle ----------------------------------------------------------------------------------
    def is_down(self):
        return time.monotonic() < self.down_until

    def boot(self):
        """Load the config snapshot and start IAM init (synchronously when there is nothing to fetch)."""
        with self.lock:
            self.generation += 1
            self.boot_count += 1
            generation = self.generation
            self.boot_config = self.disk_config()
            self.providers = {}
            self.iam_ready = False
            self.started_at = time.time()
        if not self._init_iam(generation):
            threading.Thread(target=self._retry_iam, args=(generation,), daemon=True).start()

    def _init_iam(self, generation):
        try:
            providers = openid.lookup_config(self.boot_config, use_env=True)
        except openid.OpenIDError as exc:
            with self.lock:
                if generation == self.generation:
                    self.iam_error = str(exc)
            self.log("Unable to initialize OpenID: %s" % exc)
            return False
        with self.lock:
            if generation != self.generation:
                return True
            self.providers = providers
            self.iam_ready = True
            self.iam_error = ""
        return True

    def _retry_iam(self, generation):
        # Bounded only by the generation: a restart starts a new loop and ends this one, as in MinIO.
        while True:
            self.log("Waiting for OpenID to be initialized.. (retrying in %.0fs)" % IAM_RETRY_SECONDS)
            time.sleep(IAM_RETRY_SECONDS)
            with self.lock:
                if generation != self.generation:
                    return
            if self._init_iam(generation):
                return

    def reset(self):
        """Test control: forget everything (config, history, policies, buckets, sessions) and boot afresh."""
        with self.lock:
            self.store.wipe()
            self.store.save_config(configkv.new_config())
            self.policies = {}
            self.temp_creds = {}
            self.down_until = 0.0
        self.boot()

    def restart(self):
        """After the 200 has been written: out for ``restart_outage`` seconds, then boot again."""
        with self.lock:
            self.down_until = time.monotonic() + self.restart_outage
            self.generation += 1  # stops any IAM retry loop of the old "process"
            self.iam_ready = False

        def later():
            time.sleep(self.restart_outage)
            self.boot()

        threading.Thread(target=later, daemon=True).start()

    def refresh_keys(self, provider):
        """Re-fetch a provider's JWKS (done by MinIO after any token parse failure)."""
        provider["keys"] = openid.fetch_jwks(provider["jwks_uri"])

    # credentials --------------------------------------------------------------------------------
    def secret_for(self, access_key):
        """-> (secret key, temp credential dict or None); None when the key is unknown or expired."""
        if access_key == self.root_user:
            return self.root_password, None
        with self.lock:
            cred = self.temp_creds.get(access_key)
            if cred is None:
                return None, None
            if cred["expiry"] <= utcnow():
                del self.temp_creds[access_key]
                return None, None
            return cred["secret"], cred

    def all_policies(self):
        """Built-ins (unless overwritten by add-canned-policy) plus stored ones: name -> entry."""
        with self.lock:
            out = {name: {"Policy": doc, "CreateDate": None, "UpdateDate": None} for name, doc in iampolicy.BUILTIN.items()}
            out.update(self.policies)
            return out

    def policy_documents(self, names):
        known = self.all_policies()
        return [known[n]["Policy"] for n in names if n in known]
