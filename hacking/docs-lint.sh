#!/usr/bin/env bash
# Lint the documentation with antsibull-docs: the DOCUMENTATION of every module and the role's argument specs
# (schema and markup), and the extra docs in docs/docsite (extra-docs.yml, links.yml, RST with its code blocks).
# Runs from .venv-docs (requirements-docs.txt), which `make docs-venv` creates; the test command calls this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
docs_venv=$(cd "$root" && realpath -m "${DOCS_VENV:-.venv-docs}")
make -C "$root" --no-print-directory -s docs-venv DOCS_VENV="$docs_venv"
cd "$root"
# antsibull-docs runs ansible-doc from PATH: the docs venv's ansible-core, pinned like the test venv's.
PATH="$docs_venv/bin:$PATH" antsibull-docs lint-collection-docs --plugin-docs .
echo "antsibull-docs: the module, role and extra docs are clean"
