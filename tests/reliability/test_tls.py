# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Both doubles over HTTPS with a self-signed certificate, for both module families in one playbook run:
verification is on by default and fails saying what to set, ca_path makes it work, validate_certs=false works
with a warning. One TLS rule for every transport (authentik's API, MinIO's admin API, its STS and S3): ca_path,
then validate_certs=false, then REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE, then certifi's bundle."""

from __future__ import annotations

import json

import certifi

from certificates import self_signed  # tests/doubles, on sys.path through tests/conftest.py
from reliability_support import AUTHENTIK_TOKEN, ROOT_PASSWORD, ROOT_USER, run_playbook, write_playbook

# (case, module, extra options)
CASES = [
    ("authentik default", "authentik_info", {}),
    ("authentik ca_path", "authentik_info", {"ca_path": "CERT"}),
    ("authentik unverified", "authentik_info", {"validate_certs": False}),
    ("minio default", "minio_policy", {}),
    ("minio ca_path", "minio_policy", {"ca_path": "CERT"}),
    ("minio unverified", "minio_policy", {"validate_certs": False}),
]

# What each module does in check mode: a read. The STS login of a token that is no JWT is refused by MinIO, which
# proves that the TLS handshake worked; the bucket's absence is a bucket_exists (S3) read.
BASE = {
    "authentik_info": {"kind": "flow", "name": "default-provider-authorization-implicit-consent"},
    "minio_policy": {"name": "readonly", "state": "absent"},  # in check mode: a read of the built-in policy
    # a well-formed token MinIO does not trust (it expires in 2100): the STS answers, so TLS was fine
    "minio_sts_login": {"id_token": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
                                    "eyJzdWIiOiJ0bHMtdGVzdCIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJl",
                        "fail_on_refusal": False, "probe": False},
    "minio_bucket": {"name": "tls-check-bucket", "state": "absent"},
}


def run_cases(tmp_path, cases, cert, authentik, minio):
    """One playbook, one block per case, each recording its outcome -> ({index: outcome}, the run)."""
    tasks = []
    for index, (case, module, extra) in enumerate(cases):
        options = dict(BASE[module], **dict((k, cert if v == "CERT" else v) for k, v in extra.items()))
        record = "{{ outcomes | combine({'%d': %s}) }}"
        tasks.append({
            "name": "Case %d" % index,
            "block": [
                {"name": case, "sso.authentik_minio.%s" % module: options, "register": "result", "check_mode": True},
                {"name": "Record %d" % index, "ansible.builtin.set_fact": {"outcomes": record % (
                    index, "{'failed': false, 'warnings': result.warnings | default([]), 'changed': result.changed, "
                           "'sts_error': result.sts_error | default(None)}")}},
            ],
            "rescue": [{"name": "Record the failure of %d" % index, "ansible.builtin.set_fact": {"outcomes": record % (
                index, "{'failed': true, 'msg': ansible_failed_result.msg}")}}],
        })
    out = tmp_path / "tls.json"
    tasks.append({"name": "Save", "ansible.builtin.copy": {"content": "{{ outcomes | to_json }}", "dest": str(out)}})
    path = write_playbook(tmp_path / "tls.yml", tasks, play_vars={"outcomes": {}}, module_defaults={
        "group/sso.authentik_minio.authentik": {"url": authentik.url, "token": AUTHENTIK_TOKEN, "timeout": 10},
        "group/sso.authentik_minio.minio": {"url": minio.url, "access_key": ROOT_USER, "secret_key": ROOT_PASSWORD, "timeout": 10},
    })
    result = run_playbook(path)
    return json.loads(out.read_text()), result


def https_doubles(start_double, tmp_path):
    cert, key = self_signed(tmp_path)
    authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN, "--tls-cert", cert, "--tls-key", key)
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD, "--tls-cert", cert, "--tls-key", key)
    assert authentik.url.startswith("https://") and minio.url.startswith("https://")
    return cert, authentik, minio


def test_tls_verified_by_default_ca_path_works_unverified_warns(start_double, tmp_path, monkeypatch):
    # CA bundles set in the environment, as in many execution environments: ca_path must still win over them.
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.setenv(name, certifi.where())
    cert, authentik, minio = https_doubles(start_double, tmp_path)
    outcomes, result = run_cases(tmp_path, CASES, cert, authentik, minio)

    for index, url, name in ((0, authentik.url, "authentik"), (3, minio.url, "MinIO")):
        failed = outcomes[str(index)]
        assert failed["failed"], failed
        msg = failed["msg"]
        assert "reach %s at %s: its TLS certificate is not trusted" % (name, url) in msg, msg
        assert "CERTIFICATE_VERIFY_FAILED" in msg and "ca_path" in msg and "validate_certs=false" in msg, msg
        assert "REQUESTS_CA_BUNDLE" in msg, msg  # what the certificate was checked against
    for index in (1, 4):
        assert outcomes[str(index)] == {"failed": False, "warnings": [], "changed": index == 4, "sts_error": None}, outcomes[str(index)]
    for index, url in ((2, authentik.url), (5, minio.url)):
        outcome = outcomes[str(index)]
        assert not outcome["failed"], outcome
        assert [w for w in outcome["warnings"] if "validate_certs is false" in w and url in w], outcome
    assert "[WARNING]: validate_certs is false" in result.output


BOGUS_CASES = [
    ("STS ca_path", "minio_sts_login", {"ca_path": "CERT"}),
    ("STS unverified", "minio_sts_login", {"validate_certs": False}),
    ("admin API ca_path", "minio_policy", {"ca_path": "CERT"}),
    ("admin API unverified", "minio_policy", {"validate_certs": False}),
    ("S3 ca_path", "minio_bucket", {"ca_path": "CERT"}),
    ("S3 unverified", "minio_bucket", {"validate_certs": False}),
    ("authentik ca_path", "authentik_info", {"ca_path": "CERT"}),
    ("authentik unverified", "authentik_info", {"validate_certs": False}),
    ("STS default", "minio_sts_login", {}),
    ("admin API default", "minio_policy", {}),
    ("S3 default", "minio_bucket", {}),
    ("authentik default", "authentik_info", {}),
]


def test_ca_path_and_validate_certs_false_win_over_a_bogus_ca_bundle_in_the_environment(start_double, tmp_path, monkeypatch):
    # requests prefers REQUESTS_CA_BUNDLE over a session's verify: the STS login used to lose ca_path and
    # validate_certs=false to it. The bundle here is a file with no certificate in it.
    bogus = tmp_path / "bogus-bundle.pem"
    bogus.write_text("this is not a certificate\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bogus))
    monkeypatch.setenv("CURL_CA_BUNDLE", certifi.where())
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    cert, authentik, minio = https_doubles(start_double, tmp_path)
    outcomes, _result = run_cases(tmp_path, BOGUS_CASES, cert, authentik, minio)

    for index, (case, module, extra) in enumerate(BOGUS_CASES):
        outcome = outcomes[str(index)]
        if extra:
            assert not outcome["failed"], (case, outcome)
            unverified = [w for w in outcome["warnings"] if "validate_certs is false" in w]
            assert bool(unverified) == ("validate_certs" in extra), (case, outcome)
            if module == "minio_sts_login":  # MinIO's STS answered (and refused the token that is no JWT)
                assert outcome["sts_error"]["code"], (case, outcome)
        else:  # checked against the bogus bundle, whichever transport
            assert outcome["failed"], (case, outcome)
            assert "REQUESTS_CA_BUNDLE" in outcome["msg"] and str(bogus) in outcome["msg"], (case, outcome)
