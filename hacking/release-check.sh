#!/usr/bin/env bash
# The release command (make release-check): what a release needs beyond the test command.
#   - the artifact is built and installs (hacking/build.sh), and galaxy-importer accepts it as Galaxy and
#     Automation Hub would (own venv .venv-importer, settings in tests/galaxy-importer.cfg);
#   - the changelog is generated from the fragments: antsibull-changelog lint, then `antsibull-changelog release` for
#     galaxy.yml's version in a scratch copy of the tree (the working tree is not touched), or, once that version is
#     released, `antsibull-changelog generate` there must reproduce the committed CHANGELOG.rst;
#   - the docs lint clean and the HTML site builds (.venv-docs); the execution environment's build context checks out.
# Like hacking/test.sh, a failing step does not stop the others; the exit code is non-zero if any failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(cd "$root" && realpath -m "${VENV:-.venv}")
importer_venv=$(cd "$root" && realpath -m "${IMPORTER_VENV:-.venv-importer}")
export VENV=$venv PATH="$venv/bin:$PATH"
cd "$root" || exit 1
out=$root/build/release
rm -rf "$out"
mkdir -p "$out"

# shellcheck source=hacking/steps.sh
source "$root/hacking/steps.sh"

version=$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')

# A copy of what git would commit, as ansible_collections/sso/authentik_minio (tools look the collection up by path).
scratch_tree() {
  local dest=$1/ansible_collections/sso/authentik_minio
  mkdir -p "$dest"
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$dest"
  echo "$dest"
}

galaxy_importer() {
  local artifact log=$out/galaxy-importer.log
  artifact=$(ls "$root"/build/dist/sso-authentik_minio-"$version".tar.gz) || return 1
  make -C "$root" --no-print-directory -s importer-venv IMPORTER_VENV="$importer_venv" || return 1
  mkdir -p "$out/importer"
  # It writes importer_result.json to the current directory, and runs ansible-doc and ansible-lint from PATH.
  (cd "$out/importer" && PATH="$importer_venv/bin:$PATH" GALAXY_IMPORTER_CONFIG=$root/tests/galaxy-importer.cfg \
    "$importer_venv/bin/python" -m galaxy_importer.main "$artifact") >"$log" 2>&1
  local rc=$?
  # Anything it warns about (ansible-lint findings, missing docs) would show on Galaxy: treat it as a failure.
  if [ $rc -ne 0 ] || grep -qE '^(WARNING|ERROR)' "$log"; then
    grep -E '^(WARNING|ERROR)' "$log" || tail -n 20 "$log"
    return 1
  fi
  tail -n 1 "$log"
}

changelog_release() {
  local dest tmp
  # Outside the checkout: under build/ (git-ignored) antsibull-changelog would list no files through git.
  tmp=$(mktemp -d)
  dest=$(scratch_tree "$tmp") || return 1
  (
    trap 'cp -f CHANGELOG.rst "$out/CHANGELOG.rst" 2>/dev/null; rm -rf "$tmp"' EXIT
    cd "$dest" || exit 1
    antsibull-changelog lint || exit 1
    released=$(python -c 'import sys, yaml; print(sys.argv[1] in (yaml.safe_load(open("changelogs/changelog.yaml"))["releases"] or {}))' "$version")
    if [ "$released" = True ]; then
      # galaxy.yml's version is released: the committed CHANGELOG.rst must be what the changelog data generates.
      antsibull-changelog generate || exit 1
      diff -u "$root/CHANGELOG.rst" CHANGELOG.rst || { echo "changelog: CHANGELOG.rst differs from what changelogs/changelog.yaml generates"; exit 1; }
    else
      antsibull-changelog release 2>&1 | grep -v '^WARNING Found no release_summary' || true
    fi
    python - "$version" <<'PY'
import ast
import os
import sys

import yaml

version = sys.argv[1]
with open("changelogs/changelog.yaml", encoding="utf-8") as handle:
    release = (yaml.safe_load(handle)["releases"] or {}).get(version)
if not release:
    sys.exit("changelog: antsibull-changelog release wrote no entry for %s" % version)
with open("CHANGELOG.rst", encoding="utf-8") as handle:
    text = handle.read()
if "v%s\n" % version not in text:
    sys.exit("changelog: CHANGELOG.rst has no section v%s" % version)
left = [name for name in os.listdir("changelogs/fragments") if name.endswith((".yml", ".yaml"))]
if left:
    sys.exit("changelog: fragments not used by the release: %s" % ", ".join(left))
# A module is announced as new in the release whose version equals its version_added: one that names a version
# never released (say 0.1.0 when the first release is 1.0.0) would never be announced.
added = {}
for name in sorted(os.listdir("plugins/modules")):
    if name.endswith(".py") and not name.startswith("_"):
        with open(os.path.join("plugins/modules", name), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        doc = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                   and getattr(node.targets[0], "id", None) == "DOCUMENTATION")
        added[name[:-3]] = str(yaml.safe_load(doc).get("version_added"))
with open("changelogs/changelog.yaml", encoding="utf-8") as handle:
    released = set(yaml.safe_load(handle)["releases"])
unannounced = sorted("%s (version_added %s)" % item for item in added.items() if item[1] not in released)
if unannounced:
    sys.exit("changelog: modules whose version_added is no release: %s" % ", ".join(unannounced))
listed = sorted(entry["name"] for entry in release.get("modules", []))
if listed != sorted(module for module, when in added.items() if when == version):
    sys.exit("changelog: v%s lists the new modules %s" % (version, listed))
print("changelog: v%s with %d fragment(s) and %d new module(s), %d lines of CHANGELOG.rst"
      % (version, len(release.get("fragments", [])), len(release.get("modules", [])), text.count("\n")))
PY
  )
}

step "build and install the artifact" bash hacking/build.sh
step "galaxy-importer $(sed -n 's/^galaxy-importer==//p' requirements-release.txt) on the artifact" galaxy_importer
step "changelog from the fragments (trial release $version)" changelog_release
step "docs lint (antsibull-docs)" bash hacking/docs-lint.sh
step "docs site (antsibull-docs + Sphinx)" bash hacking/docs-build.sh
step "execution environment (ansible-builder create)" bash hacking/ee-check.sh

echo
for name in "${failures[@]}"; do echo "failed step: $name"; done
echo "release check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
