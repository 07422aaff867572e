# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The authentik release lines (dialects of the authentik double) that the integration tests run every module on.

One line per dialect: adding a release line to the tests is adding its line here (tests/ is on sys.path through
tests/conftest.py).
"""

AUTHENTIK_DIALECTS = (
    "2024.6",
    "2024.10",
    "2025.12",
    "2026.5",
    "2026.8",
)
