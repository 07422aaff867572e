# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the OpenID Connect URLs authentik serves for an application.

Computed from the base URL the module talks to, as authentik builds them from the request's host
(``providers/oauth2/<pk>/setup_urls/``), so that they are known in check mode and cost no request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def oidc_urls(base_url, slug, issuer_mode=None):
    """``issuer``, ``openid_configuration_url`` and ``jwks_url`` (None where they do not exist yet)."""
    base = base_url.rstrip("/")
    app = "%s/application/o/%s/" % (base, slug) if slug else None
    if issuer_mode == "global":
        issuer = base + "/"
    else:
        issuer = app  # per_provider is authentik's default
    return dict(
        issuer=issuer,
        openid_configuration_url=app + ".well-known/openid-configuration" if app else None,
        jwks_url=app + "jwks/" if app else None,
    )


def application_urls(base_url, slug, issuer_mode=None):
    """Everything a relying party of the application needs; endpoints other than these three are global."""
    base = base_url.rstrip("/")
    urls = oidc_urls(base_url, slug, issuer_mode)
    urls.update(
        authorize_url=base + "/application/o/authorize/",
        token_url=base + "/application/o/token/",
        userinfo_url=base + "/application/o/userinfo/",
        end_session_url="%s/application/o/%s/end-session/" % (base, slug),
    )
    return urls
