#!/usr/bin/env bash
# The execution environment: build the collection artifact, let `ansible-builder create` write the build context for
# meta/ee/execution-environment.yml into build/ee/context, and check that context without a container engine:
# the artifact is in it, the Containerfile installs it, and installing it the way the image's galaxy stage does,
# then introspecting it the way the builder stage does, yields the collection's requirements.txt and bindep.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(cd "$root" && realpath -m "${VENV:-.venv}")
export PATH="$venv/bin:$PATH"
out=$root/build/ee
context=$out/context
scratch=$out/scratch
cd "$root"
rm -rf "$out"
mkdir -p "$out/dist" "$scratch"

ansible-galaxy collection build --output-path "$out/dist" --force >/dev/null
artifact=$(ls "$out"/dist/sso-authentik_minio-*.tar.gz)
# The definition names the artifact without its version, so that it does not change with every release.
cp "$artifact" "$out/sso-authentik_minio.tar.gz"
ansible-builder create -f meta/ee/execution-environment.yml --context "$context" --output-filename Containerfile >/dev/null

fail() { echo "ee-check: $*" >&2; exit 1; }
cmp -s "$artifact" "$context/_build/collections/sso-authentik_minio.tar.gz" || fail "the artifact is not in the build context"
cmp -s meta/ee/requirements.yml "$context/_build/requirements.yml" || fail "the galaxy requirements are not in the build context"
containerfile=$context/Containerfile
for needle in 'COPY _build /build' 'ansible-galaxy collection install' '-r requirements.yml' \
              'ansible-core==2.19.14' 'ansible-runner==' 'introspect' 'python3.11'; do
  grep -qF -- "$needle" "$containerfile" || fail "the Containerfile lacks: $needle"
done

# The galaxy stage: ansible-galaxy in /build (the context's _build) installs requirements.yml.
cp -r "$context/_build" "$scratch/build"
(cd "$scratch/build" && ANSIBLE_GALAXY_DISABLE_GPG_VERIFY=1 ansible-galaxy collection install -r requirements.yml \
  --collections-path "$scratch/collections" >/dev/null 2>&1) || fail "ansible-galaxy could not install requirements.yml from the context"
# The builder stage: ansible-builder introspect gathers what the installed collections need.
ansible-builder introspect --sanitize "$scratch/collections" >"$scratch/introspect.yml"

python - "$scratch" "$root" <<'PY'
import json
import os
import sys

import yaml

scratch, root = sys.argv[1], sys.argv[2]
installed = os.path.join(scratch, "collections", "ansible_collections", "sso", "authentik_minio")
with open(os.path.join(installed, "MANIFEST.json"), encoding="utf-8") as handle:
    info = json.load(handle)["collection_info"]
with open(os.path.join(root, "galaxy.yml"), encoding="utf-8") as handle:
    galaxy = yaml.safe_load(handle)
if (info["namespace"], info["name"], info["version"]) != (galaxy["namespace"], galaxy["name"], galaxy["version"]):
    sys.exit("ee-check: the context installs %(namespace)s.%(name)s %(version)s, galaxy.yml says otherwise" % info)


def lines(path):
    with open(os.path.join(root, path), encoding="utf-8") as handle:
        return [line.split("#")[0].strip() for line in handle if line.split("#")[0].strip()]


with open(os.path.join(scratch, "introspect.yml"), encoding="utf-8") as handle:
    found = yaml.safe_load(handle)
# introspect adds "# from collection sso.authentik_minio" to each line; compare the requirement itself.
python = sorted(entry.split("#")[0].strip() for entry in found.get("python") or [])
system = sorted(entry.split("#")[0].strip() for entry in found.get("system") or [])
problems = []
if python != sorted(lines("requirements.txt")):
    problems.append("python requirements %s, requirements.txt has %s" % (python, sorted(lines("requirements.txt"))))
if system != sorted(lines("bindep.txt")):
    problems.append("system requirements %s, bindep.txt has %s" % (system, sorted(lines("bindep.txt"))))
if problems:
    sys.exit("ee-check: the image would not get the collection's dependencies: " + "; ".join(problems))
print("execution environment: the context installs sso.authentik_minio %s with %s" % (info["version"], ", ".join(python)))
PY
echo "build context: $context (podman build -f $context/Containerfile $context)"
