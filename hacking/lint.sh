#!/usr/bin/env bash
# ansible-lint, production profile. The role and playbooks use module_defaults groups of this very
# collection, which Ansible resolves only from an installed collection: expose the working tree as one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(cd "$root" && realpath -m "${VENV:-.venv}")
tree=$root/tests/output/collections
mkdir -p "$tree/ansible_collections/sso"
ln -sfn "$root" "$tree/ansible_collections/sso/authentik_minio"
cd "$root"
ANSIBLE_COLLECTIONS_PATH=$tree PATH="$venv/bin:$PATH" ansible-lint --nocolor "$@"
