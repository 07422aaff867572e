#!/usr/bin/env bash
# Build the HTML documentation site (module, role and extra docs) with antsibull-docs and Sphinx:
# `antsibull-docs sphinx-init --use-current` writes a Sphinx project to build/docs-site, whose generated build.sh
# renders the working tree's docs strictly (nitpicky, warnings are errors). Output: build/docs-site/build/html.
# Runs from .venv-docs (requirements-docs.txt), which `make docs-venv` creates.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
docs_venv=$(cd "$root" && realpath -m "${DOCS_VENV:-.venv-docs}")
make -C "$root" --no-print-directory -s docs-venv DOCS_VENV="$docs_venv"
dest=$root/build/docs-site
collections=$root/build/docs-collections

# The working tree, seen as the installed collection sso.authentik_minio (what --use-current documents).
rm -rf "$dest" "$collections"
mkdir -p "$dest" "$collections/ansible_collections/sso"
ln -s "$root" "$collections/ansible_collections/sso/authentik_minio"
export ANSIBLE_COLLECTIONS_PATH=$collections PATH="$docs_venv/bin:$PATH"

antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$dest" \
  --project sso.authentik_minio --copyright "2026, sso.authentik_minio contributors" \
  --title sso.authentik_minio sso.authentik_minio >/dev/null

# conf.py maps intersphinx to docs.python.org, jinja and docs.ansible.com, with local fallback files. Without
# network access (CI here) those fetches fail and the strict build would stop on the two labels the generated
# pages use, so we write fallback inventories that name them; with network access Sphinx uses the real ones.
python - "$dest" <<'PY'
import os
import sys
import zlib

HEADER = "# Sphinx inventory version 2\n# Project: %s\n# Version: devel\n# The remainder of this file is compressed using zlib.\n"
ANSIBLE = [
    "common_return_values std:label -1 reference_appendices/common_return_values.html#common-return-values Return Values",
    "ansible_configuration_settings std:label -1 reference_appendices/config.html#ansible-configuration-settings"
    " Ansible Configuration Settings",
]
for name, project, entries in (("python2", "Python", []), ("python3", "Python", []), ("jinja2", "Jinja", []),
                               ("ansible_devel", "Ansible", ANSIBLE)):
    body = "".join(entry + "\n" for entry in entries).encode()
    with open(os.path.join(sys.argv[1], name + ".inv"), "wb") as handle:
        handle.write((HEADER % project).encode() + zlib.compress(body))
PY

start=$SECONDS
bash "$dest/build.sh" >"$dest/build.log" 2>&1 || { cat "$dest/build.log"; echo "the docs site build failed" >&2; exit 1; }
grep -E 'WARNING|ERROR' "$dest/build.log" | grep -v 'failed to reach any of the inventories' >&2 || true
pages=$(find "$dest/build/html" -name '*.html' | wc -l)
echo "docs site: $dest/build/html/index.html ($pages pages, $((SECONDS - start)) s)"
