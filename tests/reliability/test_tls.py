# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Both doubles over HTTPS with a self-signed certificate, for both module families in one playbook run:
verification is on by default and fails saying what to set, ca_path makes it work, validate_certs=false works
with a warning."""

from __future__ import annotations

import json

import certifi

from reliability_support import AUTHENTIK_TOKEN, ROOT_PASSWORD, ROOT_USER, run_playbook, self_signed, write_playbook

# (case, module, extra options)
CASES = [
    ("authentik default", "authentik_info", {}),
    ("authentik ca_path", "authentik_info", {"ca_path": "CERT"}),
    ("authentik unverified", "authentik_info", {"validate_certs": False}),
    ("minio default", "minio_policy", {}),
    ("minio ca_path", "minio_policy", {"ca_path": "CERT"}),
    ("minio unverified", "minio_policy", {"validate_certs": False}),
]


def test_tls_verified_by_default_ca_path_works_unverified_warns(start_double, tmp_path, monkeypatch):
    # CA bundles set in the environment, as in many execution environments: ca_path must still win over them.
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.setenv(name, certifi.where())
    cert, key = self_signed(tmp_path)
    authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN, "--tls-cert", cert, "--tls-key", key)
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD, "--tls-cert", cert, "--tls-key", key)
    assert authentik.url.startswith("https://") and minio.url.startswith("https://")
    base = {"authentik_info": {"kind": "flow", "name": "default-provider-authorization-implicit-consent"},
            "minio_policy": {"name": "readonly", "state": "absent"}}  # in check mode: a read of the built-in policy
    tasks = []
    for index, (case, module, extra) in enumerate(CASES):
        options = dict(base[module], **dict((k, cert if v == "CERT" else v) for k, v in extra.items()))
        record = "{{ outcomes | combine({'%d': %s}) }}"
        tasks.append({
            "name": "Case %d" % index,
            "block": [
                {"name": case, "sso.authentik_minio.%s" % module: options, "register": "result", "check_mode": True},
                {"name": "Record %d" % index, "ansible.builtin.set_fact": {"outcomes": record % (
                    index, "{'failed': false, 'warnings': result.warnings | default([]), 'changed': result.changed}")}},
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
    outcomes = json.loads(out.read_text())

    for index, url, name in ((0, authentik.url, "authentik"), (3, minio.url, "MinIO")):
        failed = outcomes[str(index)]
        assert failed["failed"], failed
        msg = failed["msg"]
        assert "reach %s at %s: its TLS certificate is not trusted" % (name, url) in msg, msg
        assert "CERTIFICATE_VERIFY_FAILED" in msg and "ca_path" in msg and "validate_certs=false" in msg, msg
    for index in (1, 4):
        assert outcomes[str(index)] == {"failed": False, "warnings": [], "changed": index == 4}, outcomes[str(index)]
    for index, url in ((2, authentik.url), (5, minio.url)):
        outcome = outcomes[str(index)]
        assert not outcome["failed"], outcome
        assert [w for w in outcome["warnings"] if "validate_certs is false" in w and url in w], outcome
    assert "[WARNING]: validate_certs is false" in result.output
