# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The play of the login check tests: both doubles' connections as module_defaults, and MinIO configured for the
application, as the role leaves it."""

from __future__ import annotations

from module_runner import Play  # tests/, on sys.path through tests/conftest.py

SCOPES = ["openid", "profile", "email", "minio"]


def configured_play(authentik, token, minio, root_user, root_password, application, client_id, client_secret, redirect,
                    **check_defaults):
    """-> (play, config_url). The login check's defaults (``check_defaults``) go on top of the MinIO group's, as a
    task's own module_defaults would; MinIO's identity_openid is set by a no_log task, with one restart."""
    connection = dict(url=minio.url, access_key=root_user, secret_key=root_password, timeout=10)
    play = Play({
        "minio_": connection,
        "authentik_": dict(url=authentik.url, token=token),
        "minio_sso_login_check": dict(connection, authentik_url=authentik.url, authentik_token=token,
                                      application=application, **check_defaults),
    })
    config_url = "%s/application/o/%s/.well-known/openid-configuration" % (authentik.url, application)
    play.no_log("minio_identity_openid", config_url=config_url, client_id=client_id, client_secret=client_secret,
                scopes=SCOPES, redirect_uri=redirect, restart_timeout=30)
    return play, config_url
