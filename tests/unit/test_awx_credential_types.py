# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential types in docs/awx inject exactly what the modules and the role read.

The environment variables must be the ones the doc fragments declare (E(...)) and the argument specs fall back to;
the extra variables must be role variables. The injectors are rendered the way AWX renders them (a sandboxed Jinja2
environment with strict undefined variables), and the rendered values are fed to the modules' own fallbacks.
"""

from __future__ import annotations

import ast
import os
import re

import pytest
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible.module_utils.parsing.convert_bool import boolean

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ansible_collections.sso.authentik_minio.plugins.module_utils import _authentik_module  # noqa: E402
from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_module  # noqa: E402

TYPES = {"authentik": "docs/awx/credential_types/authentik.yml", "minio": "docs/awx/credential_types/minio.yml"}
FIELD_TYPES = ("string", "boolean")
SECRET_FIELDS = {"authentik": {"token"}, "minio": {"secret_key"}}
SAMPLE = {
    "authentik": {"url": "https://authentik.company", "token": "tok-0123456789", "insecure": True},
    "minio": {"url": "https://minio.company:9000", "access_key": "minioadmin", "secret_key": "minio-secret-0123"},
}


def _load(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _fragment_env_vars(name):
    """The collection's own environment variables (AUTHENTIK_*, MINIO_*) named with E(...) in a doc fragment.

    Other E(...) names there are other tools' variables mentioned for context (REQUESTS_CA_BUNDLE).
    """
    with open(os.path.join(ROOT, "plugins", "doc_fragments", name + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return set(re.findall(r"E\((%s_[A-Z0-9_]+)\)" % name.upper(), node.value.value))
    raise AssertionError("no DOCUMENTATION in the %s doc fragment" % name)


def _spec_env_vars(spec):
    """Environment variables an argument spec falls back to with env_fallback."""
    names = set()
    for option in spec.values():
        fallback = option.get("fallback")
        if fallback and len(fallback) > 1:
            names.update(fallback[1])
    return names


def _role_options():
    with open(os.path.join(ROOT, "roles", "minio_sso", "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


def _render(definition, inputs):
    """Render the injectors as AWX does: sandboxed Jinja2, undefined input -> error, values as strings."""
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    return {
        kind: {key: env.from_string(template).render(**inputs) for key, template in (definition["injectors"].get(kind) or {}).items()}
        for kind in ("env", "extra_vars")
    }


@pytest.mark.parametrize("name", sorted(TYPES))
def test_definition_is_a_valid_awx_custom_credential_type(name):
    definition = _load(TYPES[name])
    assert set(definition) == {"name", "description", "kind", "inputs", "injectors"}
    # AWX accepts only these kinds for custom types; cloud allows one authentik and one MinIO credential per job.
    assert definition["kind"] == "cloud"
    fields = definition["inputs"]["fields"]
    ids = [field["id"] for field in fields]
    assert len(ids) == len(set(ids))
    for field in fields:
        assert field["type"] in FIELD_TYPES and field["label"], field
        assert bool(field.get("secret")) == (field["id"] in SECRET_FIELDS[name]), field
    assert set(definition["inputs"]["required"]) <= set(ids)
    assert set(definition["injectors"]) <= {"env", "extra_vars", "file"}


@pytest.mark.parametrize("name", sorted(TYPES))
def test_env_injectors_are_exactly_what_the_doc_fragment_declares(name):
    injected = set(_load(TYPES[name])["injectors"]["env"])
    declared = _fragment_env_vars(name)
    assert declared, "the %s doc fragment declares no environment variables" % name
    assert injected == declared


def test_the_declared_variables_are_the_ones_the_modules_fall_back_to():
    authentik = _spec_env_vars(_authentik_module.connection_argument_spec())
    minio = _spec_env_vars(_minio_module.minio_argument_spec())
    # AUTHENTIK_INSECURE has its own fallback (it is inverted into validate_certs), checked below.
    assert authentik | {"AUTHENTIK_INSECURE"} == _fragment_env_vars("authentik")
    assert minio == _fragment_env_vars("minio")


@pytest.mark.parametrize("name", sorted(TYPES))
def test_extra_vars_are_role_variables_and_cover_its_required_connection(name):
    options = _role_options()
    injected = set(_load(TYPES[name])["injectors"]["extra_vars"])
    assert injected <= set(options)
    required = {key for key, option in options.items() if option.get("required") and key.startswith("minio_sso_%s_" % name)}
    assert required and required <= injected


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_input_reaches_the_job_and_secrets_only_where_they_belong(name):
    rendered = _render(_load(TYPES[name]), SAMPLE[name])
    for kind in ("env", "extra_vars"):
        values = rendered[kind].values()
        for field, value in SAMPLE[name].items():
            if isinstance(value, str):
                assert value in values, "%s does not reach %s" % (field, kind)
    secret = SAMPLE[name]["token" if name == "authentik" else "secret_key"]
    secret_keys = {key for key, value in rendered["env"].items() if value == secret}
    assert secret_keys == {"AUTHENTIK_TOKEN" if name == "authentik" else "MINIO_SECRET_KEY"}


@pytest.mark.parametrize("insecure, validate_certs", [(True, False), (False, True), (None, True)])
def test_insecure_reaches_the_modules_and_the_role_inverted(monkeypatch, insecure, validate_certs):
    inputs = dict(SAMPLE["authentik"])
    if insecure is None:
        del inputs["insecure"]  # a credential saved without touching the checkbox
    else:
        inputs["insecure"] = insecure
    rendered = _render(_load(TYPES["authentik"]), inputs)
    monkeypatch.setenv("AUTHENTIK_INSECURE", rendered["env"]["AUTHENTIK_INSECURE"])
    # The modules' own fallback turns the variable into validate_certs.
    assert _authentik_module.connection_argument_spec()["validate_certs"]["fallback"][0]() is validate_certs
    assert boolean(rendered["extra_vars"]["minio_sso_authentik_validate_certs"]) is validate_certs


def test_job_template_uses_both_credential_types_and_the_playbook():
    setup = _load("docs/awx/job_template.yml")
    names = {_load(path)["name"] for path in TYPES.values()}
    credentials = {credential["name"]: credential for credential in setup["credentials"]}
    assert {credential["credential_type"] for credential in credentials.values()} == names
    template = setup["job_template"]
    assert set(template["credentials"]) == set(credentials)
    assert os.path.isfile(os.path.join(ROOT, template["playbook"]))
    assert template["inventory"] == setup["inventory"]["name"]
    assert template["project"] == setup["project"]["name"]
    assert template["execution_environment"] == setup["execution_environment"]["name"]
    for credential in credentials.values():
        definition = next(d for d in map(_load, TYPES.values()) if d["name"] == credential["credential_type"])
        assert set(credential["inputs"]) <= {field["id"] for field in definition["inputs"]["fields"]}
        assert set(definition["inputs"]["required"]) <= set(credential["inputs"])
    # The credentials provide the connections; the template sets the one required variable that is left.
    provided = set(template["extra_vars"])
    for definition in map(_load, TYPES.values()):
        provided |= set(definition["injectors"]["extra_vars"])
    required = {key for key, option in _role_options().items() if option.get("required")}
    assert required <= provided
    assert set(template["extra_vars"]) <= set(_role_options())
