# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_identity_openid against the MinIO double, with the authentik double serving discovery and JWKS.

create -> repeat (no change, no restart, no write) -> update -> secret only -> check mode -> absent ->
absent again, then a config_url nothing serves. The module runs in this process (tests/module_runner.py), as the
tasks of a play with module_defaults would run it.
"""

from __future__ import annotations

import requests
from minio import MinioAdmin
from minio.credentials import StaticProvider

from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_admin, _minio_kv
from module_runner import Play  # tests/, put on sys.path by tests/conftest.py

ROOT_USER = "minio-root"
ROOT_PASSWORD = "minio-root-password-0123"
AUTHENTIK_TOKEN = "minio-test-token-0123456789"
SECRETS = ("first-secret-0123456789", "second-secret-9876543210", "third-secret-would-be", "unreachable-secret-0123456789", ROOT_PASSWORD)
# A port nothing listens on (discard): MinIO's fetch of the discovery document is refused at once.
UNREACHABLE = "http://127.0.0.1:9/application/o/nowhere/.well-known/openid-configuration"


def oidc_application(authentik, slug="minio", client_id="minio"):
    """An OAuth2 provider and its application in the authentik double -> the discovery URL MinIO fetches."""
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + AUTHENTIK_TOKEN
    api = authentik.url + "/api/v3"

    def get(path, **params):
        response = session.get(api + path, params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    keys = get("/crypto/certificatekeypairs/", name="authentik Self-signed Certificate")["results"]
    provider = session.post(
        api + "/providers/oauth2/",
        json={
            "name": "MinIO " + slug,
            "authorization_flow": get("/flows/instances/default-provider-authorization-implicit-consent/")["pk"],
            "invalidation_flow": get("/flows/instances/default-provider-invalidation-flow/")["pk"],
            "client_type": "confidential",
            "client_id": client_id,
            "client_secret": "authentik-side-secret-" + "x" * 40,
            "redirect_uris": [{"matching_mode": "strict", "url": "http://127.0.0.1:9001/oauth_callback"}],
            "signing_key": keys[0]["pk"] if keys else None,
        },
        timeout=10,
    )
    assert provider.status_code == 201, provider.text
    app = session.post(api + "/core/applications/", json={"name": "MinIO " + slug, "slug": slug, "provider": provider.json()["pk"]}, timeout=10)
    assert app.status_code == 201, app.text
    url = authentik.url + "/application/o/%s/.well-known/openid-configuration" % slug
    assert requests.get(url, timeout=10).status_code == 200
    return url


def start_minio(start_double):
    # A short outage keeps the three restarts of the lifecycle quick; the wait logic is the same.
    return start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD, "--restart-outage", "0.3")


def minio_play(minio):
    """Tasks with the MinIO connection of module_defaults."""
    return Play({"minio_": dict(url=minio.url, access_key=ROOT_USER, secret_key=ROOT_PASSWORD, timeout=10)})


def admin_client(minio):
    return MinioAdmin(endpoint=minio.url.split("://", 1)[1], credentials=StaticProvider(ROOT_USER, ROOT_PASSWORD), secure=False)


def stored_targets(minio):
    """identity_openid targets as stored (the fresh export), read with the collection's own client."""
    client = _minio_admin.MinioAdminClient(minio.url, ROOT_USER, ROOT_PASSWORD, timeout=10)
    return _minio_kv.parse_config(client.get_config_export())


def test_lifecycle(start_double):
    minio = start_minio(start_double)
    config_url = oidc_application(start_double("authentik", "--token", AUTHENTIK_TOKEN))
    play = minio_play(minio)
    first = dict(name="authentik", config_url=config_url, client_id="minio", client_secret=SECRETS[0], claim_name="policy",
                 restart_timeout=30)
    # claim_prefix is hidden from the export while empty: it must compare as its default
    create = play("minio_identity_openid", diff=True, claim_prefix="", scopes=["openid", "profile", "email"], **first)
    repeat = play("minio_identity_openid", claim_prefix="", scopes=["openid", "profile", "email"], **first)
    updated = dict(first, scopes=["openid", "email"], display_name="Log in with authentik")
    update = play("minio_identity_openid", diff=True, restart=False, **updated)  # restart left to a handler
    # again without restart: the handler never ran, MinIO still runs with the old values
    pending_kept = play("minio_identity_openid", restart=False, **updated)
    pending_applied = play("minio_identity_openid", **updated)  # again with restart: the pending change is applied
    secret = play("minio_identity_openid", diff=True, **dict(updated, client_secret=SECRETS[1], scopes=["email", "openid"]))
    check = play("minio_identity_openid", check_mode=True, diff=True, name="authentik", config_url=config_url,
                 client_id="minio", client_secret=SECRETS[2], scopes=["openid", "email"], claim_name="policy",
                 display_name="Log in with authentik")
    minio.fault(path="^/minio/health/cluster", status=503, count=1000)  # /minio/health/cluster answers 503 for a while
    # a change whose restart never becomes healthy within restart_timeout
    unhealthy = play.failing("minio_identity_openid", name="authentik", redirect_uri_dynamic=True, restart_timeout=2)
    minio.clear_faults()
    absent = play("minio_identity_openid", diff=True, name="authentik", state="absent", restart_timeout=30)
    absent_again = play("minio_identity_openid", name="authentik", state="absent")
    # MinIO pointed at a provider it cannot reach
    unreachable = play.failing("minio_identity_openid", name="unreachable", config_url=UNREACHABLE, client_id="minio-unreachable",
                               client_secret=SECRETS[3], role_policy=["readonly"])
    play.assert_not_returned(*SECRETS)
    log = minio.requests()

    # Every write of the run, in order. The steps that must not write (repeat, check mode, absent
    # again) would add entries here; each changing step writes exactly once, then restarts or not.
    config_put = ("PUT", "/minio/admin/v3/set-config-kv", 200)
    restart = ("POST", "/minio/admin/v3/service", 200)
    assert minio.writes_since(0) == [
        config_put, restart,  # create
        config_put,  # update, restart left to a handler
        restart,  # the pending update applied by a later run (the run before it, with restart: false, wrote nothing)
        config_put, restart,  # secret only
        config_put, restart,  # the restart that does not become healthy in time
        ("DELETE", "/minio/admin/v3/del-config-kv", 200), restart,  # absent
        ("PUT", "/minio/admin/v3/set-config-kv", 400),  # unreachable config_url: refused, no restart
    ]
    assert all(e["query"] == "action=restart" for e in log if e["path"] == "/minio/admin/v3/service")
    health = [e for e in log if e["path"] == "/minio/health/cluster"]
    assert health and health[-1]["status"] == 200

    # 1. create: written, restarted, waited on health/cluster
    assert create["changed"] is True and create["restarted"] is True and create["restart_required"] is False
    assert create["waited"] > 0
    assert "/minio/health/cluster answered 200" in create["msg"]
    assert create["config"]["client_secret"] == "********"
    assert create["config"]["scopes"] == "openid,profile,email"
    assert create["config"]["claim_name"] == "policy"
    assert create["diff"]["before"] == {}

    # 2. repeat: nothing changed, no restart (and no write, above)
    assert repeat["changed"] is False and repeat["restarted"] is False and repeat["restart_required"] is False
    assert repeat["changed_keys"] == [] and repeat["waited"] == 0

    # 3. update without restart: restart_required for a handler, only the changed keys sent
    assert update["changed"] is True and update["restarted"] is False and update["restart_required"] is True
    assert sorted(update["changed_keys"]) == ["display_name", "scopes"]
    assert update["diff"]["after"]["display_name"] == "Log in with authentik"
    assert update["config"]["display_name"] == "Log in with authentik"

    # 3a. the same again, still without restart: nothing to write, but MinIO does not run with it yet
    kept = pending_kept
    assert kept["changed"] is False and kept["restarted"] is False and kept["restart_required"] is True
    assert kept["changed_keys"] == [] and kept["pending_keys"] == ["display_name", "scopes"]
    assert "MinIO does not run with it yet (display_name, scopes differ" in kept["msg"]
    assert any("restart MinIO to apply them" in w for w in kept["warnings"]), kept.get("warnings")
    # 3b. with restart: the restart is the change; nothing is written
    applied = pending_applied
    assert applied["changed"] is True and applied["restarted"] is True and applied["restart_required"] is False
    assert applied["changed_keys"] == [] and applied["pending_keys"] == ["display_name", "scopes"]
    assert repeat["pending_keys"] == [] and secret["pending_keys"] == []

    # 4. only the secret changed: detected although get-config-kv never shows it
    assert secret["changed"] is True and secret["changed_keys"] == ["client_secret"] and secret["restarted"] is True
    assert secret["diff"]["before"]["client_secret"] == "********"
    assert secret["diff"]["after"]["client_secret"] == "******** (changed)"

    # 5. check mode: predicts the change, writes nothing (above), restarts nothing
    assert check["changed"] is True and check["restarted"] is False and check["restart_required"] is True
    assert check["changed_keys"] == ["client_secret"]

    # a restart that does not become healthy in time fails, saying what it waited for and how long
    assert unhealthy["restarted"] is True and unhealthy["changed"] is True
    assert 2 <= unhealthy["waited"] < 10  # bounded by restart_timeout plus one poll
    assert "MinIO was restarted but %s/minio/health/cluster did not answer 200 within 2 s (last: HTTP 503" % minio.url in unhealthy["msg"]

    # 6. absent, 7. absent again
    assert absent["changed"] is True and absent["restarted"] is True
    assert absent["diff"]["after"] == {} and absent["diff"]["before"]["client_id"] == "minio"
    assert absent_again["changed"] is False and absent_again["restarted"] is False
    assert "authentik" not in stored_targets(minio)
    # get-config-kv shows the boot-time config: without the restart it would still list the target
    assert "identity_openid:authentik" not in admin_client(minio).config_get("identity_openid")

    # 8. a config_url MinIO cannot fetch: MinIO's own words, the URL named, nothing stored, no restart
    assert unreachable["restarted"] is False and unreachable["changed"] is False
    assert "XMinioAdminConfigBadJSON" in unreachable["msg"]
    assert "connection refused" in unreachable["msg"]  # MinIO's (Go) error text
    assert "MinIO could not load the OpenID provider from config_url %s" % UNREACHABLE in unreachable["msg"]
    assert "unreachable" not in stored_targets(minio)


def test_a_key_set_by_minios_environment_is_named_in_a_warning(start_double):
    """MINIO_IDENTITY_OPENID_* variables on the server beat the stored config; the module cannot change that, so it
    says so (get-config-kv lists them as comment lines), and goes on managing what MinIO stores."""
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD,
                         env={"MINIO_IDENTITY_OPENID_DISPLAY_NAME": "Set by the environment"})
    config_url = oidc_application(start_double("authentik", "--token", AUTHENTIK_TOKEN))
    play = minio_play(minio)
    options = dict(config_url=config_url, client_id="minio", client_secret=SECRETS[0], restart=False)
    overriding = play("minio_identity_openid", display_name="Log in with authentik", **options)
    not_overriding = play("minio_identity_openid", scopes=["openid"], **options)  # keys the environment does not set
    overridden = [w for w in overriding.get("warnings", []) if "MINIO_IDENTITY_OPENID_DISPLAY_NAME" in w]
    assert len(overridden) == 1, overriding.get("warnings")
    assert "takes precedence over the stored display_name of identity_openid" in overridden[0]
    # the second task does not set display_name
    assert not [w for w in not_overriding.get("warnings", []) if "MINIO_IDENTITY_OPENID_DISPLAY_NAME" in w]
    play.assert_not_returned("Set by the environment")  # the variable is named, its value not shown
    assert stored_targets(minio)["_"]["values"]["display_name"] == "Log in with authentik"
    play.assert_not_returned(*SECRETS)
