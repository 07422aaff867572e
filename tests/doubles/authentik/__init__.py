# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for authentik (REST API v3 and the OIDC provider endpoints).

``tests/doubles/authentik_double.py`` is the command line entry; ``build_app`` wires the parts:
``dialects`` (what differs between releases), ``store`` (objects and seed data), ``resources``
(REST endpoints), ``expressions`` (scope mapping evaluation), ``oidc`` (discovery, JWKS, token,
userinfo) and ``web`` (HTTP answers in the shapes the real server uses).
"""
