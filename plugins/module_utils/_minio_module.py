# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the AnsibleModule base for MinIO modules.

``MinioModule`` owns what every MinIO module shares, in the manner of ``_authentik_module.AuthentikModule``: the
connection options (documented once in the ``sso.authentik_minio.minio`` doc fragment), the values refused before
any call, the connection warnings, the one transport (``_minio_transport.Transport``) that its admin, STS and S3
clients share, and ``execute()``, the one place where a MinioError becomes a task failure in MinIO's own words.

A module subclasses it, declares its own options and checks, and implements ``run()``, which fills ``self.result``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import MINIO_IMPORT_ERROR, MinioAdminClient
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_s3 import S3Client
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import MinioError, Transport
from ansible_collections.sso.authentik_minio.plugins.module_utils._ranges import greater_than_zero
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import connection_warnings

# What crosses the network to MinIO, for the connection warnings: SigV4 never sends secret_key itself, but the admin
# API's payloads (the OpenID client secret among them) are sealed with nothing but secret_key. minio_sts_login names
# what its STS call carries instead.
MINIO_SECRETS = "the requests and MinIO's answers (the admin API seals its payloads with nothing but secret_key)"


def minio_argument_spec():
    """The connection options, documented once in the ``sso.authentik_minio.minio`` doc fragment."""
    return dict(
        url=dict(type="str", required=True, fallback=(env_fallback, ["MINIO_URL"])),
        access_key=dict(type="str", required=True, no_log=False, fallback=(env_fallback, ["MINIO_ACCESS_KEY"])),
        secret_key=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["MINIO_SECRET_KEY"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=30),
    )


class MinioModule(AnsibleModule):
    """Connection, clients and failure handling; subclasses set ``OPTIONS`` (and ``SECRETS``) and implement
    ``refused_values()`` and ``run()``."""

    OPTIONS = {}
    SECRETS = MINIO_SECRETS  # what this module's calls carry, named by the plain-http warning

    def __init__(self, **kwargs):
        spec = minio_argument_spec()
        spec.update(self.OPTIONS)
        kwargs.setdefault("supports_check_mode", True)
        super(MinioModule, self).__init__(argument_spec=spec, **kwargs)
        if MINIO_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("minio"), exception=MINIO_IMPORT_ERROR)
        self.result = dict(changed=False)
        # The keys of ``result`` that a failure returns besides ``msg`` (a module that reports progress names them).
        self.failure_keys = ()
        self._transport = None
        self._admin = None
        for refused in [greater_than_zero("timeout", self.params["timeout"])] + list(self.refused_values()):
            if refused:
                self.fail_json(msg=refused)
        for warning in connection_warnings(self.params["url"], self.params["validate_certs"], self.params["ca_path"],
                                           self.SECRETS):
            self.warn(warning)

    def refused_values(self):
        """Messages (or None) for option values MinIO would refuse or store as something else, checked before any
        call: a module adds its own."""
        return []

    # clients ---------------------------------------------------------------------------------------
    @property
    def transport(self):
        """The one urllib3 pool of this run (base URL check, TLS rule, timeout); a bad url or CA fails the task."""
        if self._transport is None:
            try:
                self._transport = Transport(self.params["url"], self.params["validate_certs"], self.params["ca_path"],
                                            self.params["timeout"])
            except MinioError as exc:  # a setting, not MinIO's answer: said as it is
                self.fail_json(msg=str(exc))
        return self._transport

    @property
    def admin(self):
        if self._admin is None:
            self._admin = MinioAdminClient(self.params["url"], self.params["access_key"], self.params["secret_key"],
                                           transport=self.transport)
        return self._admin

    def s3(self, credentials=None):
        """An S3 client for ``credentials``, the connection's own by default."""
        credentials = credentials or (self.params["access_key"], self.params["secret_key"])
        return S3Client(self.transport, credentials, self.params.get("region") or "us-east-1")

    # run -------------------------------------------------------------------------------------------
    def execute(self):
        """Run the module and exit; a MinioError becomes ``fail_json`` with MinIO's words (``failure_message``)."""
        try:
            self.run()
        except MinioError as exc:
            self.fail_json(msg=self.failure_message(exc), **self.failure_result())
        self.exit_json(**self.result)

    def run(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def failure_message(self, exc):
        """The task's message for ``exc``: MinIO's words, the HTTP status and code, the call; a module may add the
        option it concerns."""
        return str(exc)

    def failure_result(self):
        return dict((key, self.result[key]) for key in self.failure_keys if key in self.result and key != "msg")
