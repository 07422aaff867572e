# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MinIO double's parts, one job per module.

The package is not called ``minio`` on purpose: ``tests/doubles`` sits on ``sys.path`` (tests/conftest.py and
the double's own script directory), and a package of that name would shadow minio-py, which both the tests
and this double (``minio.crypto``) import.
"""
