# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MinIO double's config KV API, seen through minio-py's MinioAdmin."""

from __future__ import annotations

import json

import pytest
from minio.error import MinioAdminException

from minio_helpers import CLIENT_ID, CLIENT_SECRET, ROOT_PASSWORD, admin_call, botocore_signed, config_get_error, decrypt, encrypt_chacha, encrypt_fips

pytest_plugins = ["conftest_minio"]


def error_of(exc_info):
    """MinioAdminException carries the raw JSON body: -> (status, parsed body)."""
    exc = getattr(exc_info, "value", exc_info)
    return int(exc._code), json.loads(exc._body)  # pylint: disable=protected-access


def openid_settings(issuer, **extra):
    settings = {"config_url": issuer.config_url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "scopes": "openid,profile,email", "claim_name": "policy"}
    settings.update(extra)
    return settings


def restart_and_wait(double):
    before = double.state()["boots"]
    assert double.admin().service_restart() == ""
    double.wait_booted(before)


def test_fresh_server_get_shows_defaults_in_minio_format(minio_double):
    text = minio_double.admin().config_get("identity_openid")
    assert text == (
        "identity_openid enable= display_name= config_url= client_id= client_secret= claim_name=policy claim_userinfo= "
        "role_policy= redirect_uri_dynamic=off scopes= vendor= keycloak_realm= keycloak_admin_url= "
        "user_readable_claim= user_id_claim= \n"
    )


def test_set_is_stale_until_restart_then_shown_without_secret(minio_double, oidc_issuer):
    admin = minio_double.admin()
    assert admin.config_set("identity_openid", openid_settings(oidc_issuer, redirect_uri="https://console.example/cb")) == ""
    # globalServerConfig is the boot-time copy: the new values are on disk but not shown yet.
    assert "config_url= " in admin.config_get("identity_openid")
    restart_and_wait(minio_double)
    text = admin.config_get("identity_openid")
    assert text == (
        "identity_openid display_name= config_url=%s client_id=%s claim_name=policy claim_userinfo= role_policy= "
        "redirect_uri=https://console.example/cb redirect_uri_dynamic=off scopes=openid,profile,email vendor= "
        "keycloak_realm= keycloak_admin_url= user_readable_claim= user_id_claim= \n" % (oidc_issuer.config_url, CLIENT_ID)
    )
    assert CLIENT_SECRET not in text and "enable=" not in text
    assert admin.config_get("identity_openid:") == text


def test_tokenizer_is_anchored_on_key_names_and_strips_quotes(minio_double, oidc_issuer):
    admin = minio_double.admin()
    settings = openid_settings(oidc_issuer, display_name="My SSO bogus=1", vendor="")
    admin.config_set("identity_openid", settings)
    admin.config_set("identity_openid", {"scopes": '"openid,email"', "user_id_claim": "'preferred_username'"})
    restart_and_wait(minio_double)
    text = admin.config_get("identity_openid")
    # Unknown keys are glued onto the previous value; values with spaces come back double-quoted.
    assert 'display_name="My SSO bogus=1" ' in text
    assert " scopes=openid,email " in text and " user_id_claim=preferred_username " in text
    # Partial update merged into the stored values: config_url and client_id are still there.
    assert "config_url=%s " % oidc_issuer.config_url in text and "client_id=%s " % CLIENT_ID in text


def test_set_without_enable_switches_a_disabled_target_back_on(minio_double, oidc_issuer):
    admin = minio_double.admin()
    admin.config_set("identity_openid", openid_settings(oidc_issuer))
    admin.config_set("identity_openid", {"enable": "off"})
    restart_and_wait(minio_double)
    assert " enable=off " in " " + admin.config_get("identity_openid")
    admin.config_set("identity_openid", {"display_name": "SSO"})
    restart_and_wait(minio_double)
    assert "enable=" not in admin.config_get("identity_openid")  # enable=on is implicit and never printed


def test_required_keys_are_checked_after_merging(minio_double):
    with pytest.raises(MinioAdminException) as exc_info:
        minio_double.admin().config_set("identity_openid", {"client_id": "x", "client_secret": "y"})
    status, body = error_of(exc_info)
    assert status == 400 and body["Code"] == "XMinioConfigError"
    assert body["Message"] == (
        "'config_url' is not optional for 'identity_openid' sub-system, please check 'identity_openid' documentation"
    )
    assert body["Resource"] == "/minio/admin/v3/set-config-kv"


@pytest.mark.parametrize(
    "breakage, message",
    [
        ("discovery-404", "unexpected error returned by {config_url} : status(404 Not Found)"),
        ("jwks-500", "500 Internal Server Error"),
        ("unreachable", 'Get "http://127.0.0.1:1/.well-known/openid-configuration": dial tcp 127.0.0.1:1: connect: connection refused'),
        ("bad-jwk", "Unknown JWK key type oct"),
    ],
)
def test_set_time_validation_fetches_the_idp(minio_double, oidc_issuer, breakage, message):
    settings = openid_settings(oidc_issuer)
    if breakage == "discovery-404":
        oidc_issuer.discovery_status = 404
    elif breakage == "jwks-500":
        oidc_issuer.jwks_status = 500
    elif breakage == "unreachable":
        settings["config_url"] = "http://127.0.0.1:1/.well-known/openid-configuration"
    else:
        oidc_issuer.extra_keys.append({"kty": "oct", "kid": "sym", "k": "c2VjcmV0"})
    admin = minio_double.admin()
    with pytest.raises(MinioAdminException) as exc_info:
        admin.config_set("identity_openid", settings)
    status, body = error_of(exc_info)
    assert status == 400 and body["Code"] == "XMinioAdminConfigBadJSON"
    assert body["Message"] == message.format(config_url=oidc_issuer.config_url)
    # Nothing was saved: the export still has no OpenID provider.
    exported = decrypt(admin_call(admin, "GET", "config").data, ROOT_PASSWORD).decode()
    assert CLIENT_ID not in exported


def test_second_claim_based_provider_is_refused(minio_double, oidc_issuer):
    admin = minio_double.admin()
    admin.config_set("identity_openid", openid_settings(oidc_issuer))
    with pytest.raises(MinioAdminException) as exc_info:
        admin.config_set("identity_openid:second", openid_settings(oidc_issuer, client_id="other"))
    assert error_of(exc_info)[1]["Message"] == "Only one OpenID provider can be configured if not using role policy mapping"
    admin.config_set("identity_openid:second", openid_settings(oidc_issuer, client_id="other", role_policy="readonly"))
    restart_and_wait(minio_double)
    text = admin.config_get("identity_openid")
    assert text.index("identity_openid ") < text.index("identity_openid:second ")
    status, body = error_of(config_get_error(admin, "identity_openid:nope"))
    assert (status, body["Code"]) == (400, "XMinioConfigError")
    assert body["Message"] == "there is no target `nope` for subsystem `identity_openid`"


def test_export_is_fresh_and_unredacted_and_import_replaces(minio_double, oidc_issuer):
    admin = minio_double.admin()
    exported = decrypt(admin_call(admin, "GET", "config").data, ROOT_PASSWORD).decode()
    assert "# identity_openid " in exported  # disabled (no config_url) targets are commented out
    admin.config_set("identity_openid", openid_settings(oidc_issuer))
    exported = decrypt(admin_call(admin, "GET", "config").data, ROOT_PASSWORD).decode()
    assert "client_secret=%s " % CLIENT_SECRET in exported  # no restart needed, secret kept
    from minio import crypto  # pylint: disable=import-outside-toplevel

    body = exported.replace("display_name= ", "display_name=Imported ")
    admin_call(admin, "PUT", "config", body=crypto.encrypt(body.encode(), ROOT_PASSWORD))
    assert "display_name=Imported " in decrypt(admin_call(admin, "GET", "config").data, ROOT_PASSWORD).decode()


def test_history_keeps_raw_text_and_restores(minio_double, oidc_issuer):
    admin = minio_double.admin()
    admin.config_set("identity_openid", openid_settings(oidc_issuer))
    admin.config_set("identity_openid", {"display_name": "Second"})
    history = json.loads(admin.config_history())
    assert [list(entry) for entry in history] == [["restoreId", "createTime", "data"]] * 2
    assert history[0]["data"].startswith("identity_openid config_url=") and CLIENT_SECRET in history[0]["data"]
    assert history[1]["data"] == "identity_openid display_name=Second"
    admin.config_set("identity_openid", {"display_name": "Third"})
    assert admin.config_restore(history[1]["restoreId"]) == ""
    exported = decrypt(admin_call(admin, "GET", "config").data, ROOT_PASSWORD).decode()
    assert "display_name=Second " in exported
    assert history[1]["restoreId"] not in admin.config_history()  # a restored entry is deleted


def test_reset_of_a_missing_target_is_not_found(minio_double):
    with pytest.raises(MinioAdminException) as exc_info:
        minio_double.admin().config_reset("identity_openid", "missing")
    status, body = error_of(exc_info)
    assert (status, body["Code"]) == (404, "XMinioConfigNotFoundError")
    assert body["Message"] == "sub-system identity_openid:missing already deleted or does not exist"


def test_reset_of_a_named_target_removes_it(minio_double, oidc_issuer):
    admin = minio_double.admin()
    admin.config_set("identity_openid:extra", openid_settings(oidc_issuer, role_policy="readonly"))
    assert admin.config_reset("identity_openid", "extra") == ""
    assert "identity_openid:extra" not in decrypt(admin_call(admin, "GET", "config").data, ROOT_PASSWORD).decode()


def test_dynamic_subsystem_applies_at_once_and_says_so(minio_double):
    admin = minio_double.admin()
    response = admin_call(admin, "PUT", "set-config-kv", body=__import__("minio").crypto.encrypt(b"api requests_max=7", ROOT_PASSWORD))
    assert response.headers.get("x-minio-config-applied") == "true"
    assert " requests_max=7 " in admin.config_get("api")


def test_identity_openid_set_never_says_applied(minio_double, oidc_issuer):
    from minio import crypto  # pylint: disable=import-outside-toplevel

    admin = minio_double.admin()
    line = "identity_openid " + " ".join("%s=%s" % kv for kv in openid_settings(oidc_issuer).items())
    response = admin_call(admin, "PUT", "set-config-kv", body=crypto.encrypt(line.encode(), ROOT_PASSWORD))
    assert response.status == 200 and "x-minio-config-applied" not in response.headers


@pytest.mark.parametrize("encrypt", [encrypt_chacha, encrypt_fips], ids=["id1-chacha20", "id2-pbkdf2"])
def test_other_aead_ids_are_accepted(minio_double, encrypt):
    admin = minio_double.admin()
    admin_call(admin, "PUT", "set-config-kv", body=encrypt(b"api requests_max=9", ROOT_PASSWORD))
    assert " requests_max=9 " in admin.config_get("api")


def test_env_settings_show_as_comments_and_do_not_count_for_required_keys(minio_factory, oidc_issuer):
    double = minio_factory(env={"MINIO_IDENTITY_OPENID_DISPLAY_NAME": "From Env",
                                "MINIO_IDENTITY_OPENID_CLIENT_SECRET": "env-secret",
                                "MINIO_IDENTITY_OPENID_CONFIG_URL": oidc_issuer.config_url})
    admin = double.admin()
    text = admin.config_get("identity_openid")
    lines = text.splitlines()
    # Env lines first (secrets left out), then the stored line.
    assert lines[:2] == ["# MINIO_IDENTITY_OPENID_DISPLAY_NAME=From Env",
                         "# MINIO_IDENTITY_OPENID_CONFIG_URL=%s" % oidc_issuer.config_url]
    assert "env-secret" not in text and lines[2].startswith("identity_openid enable= display_name= config_url= ")
    # Values that live only in the environment do not satisfy the KV API's required keys.
    with pytest.raises(MinioAdminException) as exc_info:
        admin.config_set("identity_openid", {"client_id": CLIENT_ID})
    assert error_of(exc_info)[1]["Message"].startswith("'config_url' is not optional")


def test_plaintext_or_wrongly_keyed_body_is_bad_json(minio_double):
    from minio import crypto  # pylint: disable=import-outside-toplevel

    admin = minio_double.admin()
    for body in (b"api requests_max=9", crypto.encrypt(b"api requests_max=9", "not-the-secret")):
        with pytest.raises(MinioAdminException) as exc_info:
            admin_call(admin, "PUT", "set-config-kv", body=body)
        status, body_json = error_of(exc_info)
        assert (status, body_json["Code"]) == (400, "XMinioAdminConfigBadJSON")
        assert body_json["Message"] == "JSON configuration provided is of incorrect format"


def test_get_config_kv_without_key_is_a_version_mismatch(minio_double):
    with pytest.raises(MinioAdminException) as exc_info:
        admin_call(minio_double.admin(), "GET", "get-config-kv")
    status, body = error_of(exc_info)
    assert (status, body["Code"]) == (426, "XMinioAdminVersionMismatch")
    assert body["Message"] == "This 'admin' API is not supported by server in 'mode-server-xl-single'"


def test_wrong_secret_and_unknown_key_are_rejected(minio_double):
    status, body = error_of(config_get_error(minio_double.admin(secret_key="wrong-secret"), "identity_openid"))
    assert (status, body["Code"]) == (403, "SignatureDoesNotMatch")
    status, body = error_of(config_get_error(minio_double.admin(access_key="nobody"), "identity_openid"))
    assert (status, body["Code"]) == (403, "InvalidAccessKeyId")


def test_missing_content_sha256_is_access_denied_and_v4_is_refused(minio_double):
    url = minio_double.url + "/minio/admin/v3/list-canned-policies"
    response = botocore_signed("GET", url, "minioadmin", ROOT_PASSWORD, content_sha=False)
    assert response.status_code == 403 and response.json()["Code"] == "AccessDenied"
    assert botocore_signed("GET", url, "minioadmin", ROOT_PASSWORD).status_code == 200
    response = botocore_signed("GET", url.replace("/v3/", "/v4/"), "minioadmin", ROOT_PASSWORD)
    assert response.status_code == 426
    assert response.json()["Message"] == (
        "Unexpected client 'admin' API version found 'v4', expected 'v3', please downgrade the client to older releases"
    )


def test_validation_covers_only_the_subsystem_being_set(minio_double, oidc_issuer):
    from minio import crypto  # pylint: disable=import-outside-toplevel

    admin = minio_double.admin()
    admin.config_set("identity_openid", openid_settings(oidc_issuer))
    oidc_issuer.discovery_status = 500  # the IdP breaks after the provider was configured
    response = admin_call(admin, "PUT", "set-config-kv", body=crypto.encrypt(b"api requests_max=3", ROOT_PASSWORD))
    assert response.headers.get("x-minio-config-applied") == "true"
    with pytest.raises(MinioAdminException) as exc_info:
        admin.config_set("identity_openid", {"display_name": "x"})
    assert error_of(exc_info)[1]["Message"] == (
        "unexpected error returned by %s : status(500 Internal Server Error)" % oidc_issuer.config_url)
