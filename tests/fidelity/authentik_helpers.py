# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the authentik double's fidelity tests share: its start, a session on its API, the official client.

A module of its own name, imported by the tests and by tests/fidelity/conftest.py: ``from conftest import`` would find
whichever directory's conftest pytest imported first when several directories run together.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import types

import requests
from harness import RunningDouble

AUTHENTIK_TOKEN = "fidelity-bootstrap-token-0123456789"
_CLASS = re.compile(r"^class (\w+)[(:]", re.M)


def _lazy_package(name, path, index):
    module = types.ModuleType(name)
    module.__path__ = [path]

    def __getattr__(attr):
        if attr in index:
            return getattr(importlib.import_module(index[attr]), attr)
        raise AttributeError("module %r has no attribute %r" % (name, attr))

    module.__getattr__ = __getattr__
    sys.modules[name] = module
    return module


def authentik_client_module():
    """``authentik_client`` with lazy imports.

    The package's ``__init__`` imports all of its ~830 pydantic models, which costs 15-25 s of CPU
    per process; these tests use a few dozen. When the package is not imported yet, it is replaced
    by lazy stand-ins for ``authentik_client``, ``.models`` and ``.api`` that import a class's module
    on first use (class names are read from the sources). Everything else is the real client code.
    """
    if "authentik_client" in sys.modules:
        return sys.modules["authentik_client"]
    root = os.path.dirname(importlib.util.find_spec("authentik_client").origin)
    index = {}
    for sub in ("models", "api", ""):
        folder = os.path.join(root, sub)
        for filename in sorted(os.listdir(folder)):
            if not filename.endswith(".py") or filename == "__init__.py":
                continue
            with open(os.path.join(folder, filename), encoding="utf-8") as handle:
                names = _CLASS.findall(handle.read())
            module = ".".join(p for p in ("authentik_client", sub, filename[:-3]) if p)
            for name in names:
                index.setdefault(name, module)
    package = _lazy_package("authentik_client", root, index)
    package.models = _lazy_package("authentik_client.models", os.path.join(root, "models"), index)
    package.api = _lazy_package("authentik_client.api", os.path.join(root, "api"), index)
    return package


class AuthentikSession:
    """A started authentik double plus a requests session carrying the bootstrap token."""

    def __init__(self, double, token=AUTHENTIK_TOKEN):
        self.double = double
        self.url = double.url
        self.token = token
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer %s" % token

    def api(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 10)
        return self.http.request(method, self.url + "/api/v3/" + path.lstrip("/"), **kwargs)

    def oidc(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 10)
        return requests.request(method, self.url + "/application/o/" + path.lstrip("/"), **kwargs)

    def flow_pk(self, slug):
        return self.api("GET", "flows/instances/%s/" % slug).json()["pk"]

    def self_signed_pk(self):
        found = self.api("GET", "crypto/certificatekeypairs/", params={
            "name": "authentik Self-signed Certificate", "has_key": "true"}).json()["results"]
        return found[0]["pk"]

    def mapping_pks(self, *scope_names):
        found = self.api("GET", "propertymappings/provider/scope/", params={"page_size": 100}).json()["results"]
        return [m["pk"] for m in found if m["scope_name"] in scope_names and m["managed"]]


def start_authentik(*args):
    return RunningDouble("authentik", ["--token", AUTHENTIK_TOKEN] + list(args)).start()
