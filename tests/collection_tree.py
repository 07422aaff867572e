# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Expose the working tree as the installed collection ``sso.authentik_minio``.

Ansible (and Python imports of ``ansible_collections.sso.authentik_minio``) only find a collection under an
``ansible_collections/<namespace>/<name>`` path. tests/output/collections/ansible_collections/sso/authentik_minio is
a symlink to the checkout, so tests, the demo and the benchmark always run the working tree's code.
"""

from __future__ import annotations

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_DIR = os.path.join(ROOT, "tests", "output", "collections")


def collection_tree():
    """Make the symlink if needed and return the directory to put on ANSIBLE_COLLECTIONS_PATH or sys.path."""
    link = os.path.join(COLLECTIONS_DIR, "ansible_collections", "sso", "authentik_minio")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        try:
            os.symlink(ROOT, link)
        except FileExistsError:
            pass  # another xdist worker made it first
    return COLLECTIONS_DIR
