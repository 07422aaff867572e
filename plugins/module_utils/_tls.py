# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the one TLS rule of every transport, and the warnings about the connection.

Every connection (authentik's API, MinIO's admin API, MinIO's STS, S3) verifies the server against what
``tls_verify`` returns, first match wins:

1. ``ca_path``, when set (even with ``validate_certs=false``: an explicit CA is the stronger statement);
2. nothing, when ``validate_certs`` is false;
3. the first of ``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``, ``SSL_CERT_FILE`` that is set and not empty
   (requests' own order for the first two; ``SSL_CERT_FILE`` is OpenSSL's, which requests and urllib3 ignore);
4. the ``certifi`` bundle (``True``).

requests (authentik's client) consults REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE itself whenever ``verify`` is ``True``
or unset, even over a session's ``verify``: callers pass the result with each request. urllib3 ignores the
environment: the MinIO transport (``_minio_transport.Transport``, shared by the admin, STS and S3 calls) gives it
``pool_arguments(...)``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os

from ansible.module_utils.six.moves.urllib.parse import urlsplit

CA_ENVIRONMENT = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")
DEFAULT = "the certifi bundle"


class TlsSettingError(ValueError):
    """The CA file chosen by the rule does not exist (a message that names where it came from)."""


def _scheme(url):
    return urlsplit(str(url or "").strip()).scheme.lower()


def tls_source(url, validate_certs=True, ca_path=None, environ=None):
    """``(verify, source)``: ``verify`` as ``tls_verify`` returns it; ``source`` says where it came from, for
    messages: ``"ca_path"``, ``"validate_certs"``, the name of an environment variable, or ``DEFAULT``.

    For an ``https`` URL a CA file or directory that does not exist raises TlsSettingError. For ``http`` nothing
    is checked (there is no certificate), but the same value is returned: a redirect may lead to ``https``.
    """
    environ = os.environ if environ is None else environ
    if ca_path:
        verify, source = ca_path, "ca_path"
    elif not validate_certs:
        return False, "validate_certs"
    else:
        verify, source = True, DEFAULT
        for name in CA_ENVIRONMENT:
            if environ.get(name):
                verify, source = environ[name], name
                break
    if verify is not True and _scheme(url) == "https" and not os.path.exists(verify):
        if source == "ca_path":
            raise TlsSettingError("ca_path %s does not exist" % verify)
        raise TlsSettingError("%s (from the environment) is %s, which does not exist: the server's certificate is checked "
                              "against it because ca_path is not set; set ca_path, or correct or unset %s"
                              % (source, verify, source))
    return verify, source


def tls_verify(url, validate_certs=True, ca_path=None, environ=None):
    """What to verify the server's certificate against: ``False``, ``True`` (the certifi bundle) or a CA path."""
    return tls_source(url, validate_certs, ca_path, environ)[0]


def describe(verify, source):
    """``checked against ...`` for a message about an untrusted certificate."""
    if verify is False:
        return "not checked (validate_certs=false)"
    if source == DEFAULT:
        return "checked against %s (no ca_path, and none of %s is set)" % (DEFAULT, ", ".join(CA_ENVIRONMENT))
    if source == "ca_path":
        return "checked against ca_path %s" % verify
    return "checked against %s %s from the environment, as ca_path is not set" % (source, verify)


def pool_arguments(verify):
    """urllib3 ``PoolManager`` arguments for ``verify`` (a CA directory as ``ca_cert_dir``, as requests does)."""
    if verify is False:
        return dict(cert_reqs="CERT_NONE")
    if verify is True:
        import certifi  # a dependency of requests and of minio-py

        verify = certifi.where()
    if os.path.isdir(verify):
        return dict(cert_reqs="CERT_REQUIRED", ca_cert_dir=verify)
    return dict(cert_reqs="CERT_REQUIRED", ca_certs=verify)


def is_loopback(host):
    """``localhost``, 127.0.0.0/8 or ::1 (also as an IPv4-mapped address)."""
    host = (host or "").strip().lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def _shown(parts):
    """``scheme://host[:port]``, without any user information the URL may carry."""
    host = parts.hostname or ""
    if ":" in host:
        host = "[%s]" % host
    try:
        port = parts.port
    except ValueError:
        port = None
    return "%s://%s%s" % (parts.scheme, host, ":%d" % port if port else "")


def connection_warnings(url, validate_certs, ca_path, secrets):
    """The warnings for a connection to ``url``, once per module run. ``secrets`` says what would travel
    (for example ``"the API token"``); the warnings name the host, never a secret.

    - plain ``http`` to a host that is not loopback: ``secrets`` cross the network unencrypted;
    - ``validate_certs=false`` on ``https`` without ``ca_path``: the certificate is not checked.
    """
    parts = urlsplit(str(url or "").strip())
    scheme = parts.scheme.lower()
    found = []
    if scheme == "http" and not is_loopback(parts.hostname):
        found.append("%s uses plain http to %s, which is not this machine (loopback): %s cross the network unencrypted, "
                     "readable by anyone in between; use https" % (_shown(parts), parts.hostname, secrets))
    if scheme == "https" and not validate_certs and not ca_path:
        found.append("validate_certs is false: the TLS certificate of %s is not checked, so anyone in between can read "
                     "%s; set ca_path instead" % (_shown(parts), secrets))
    return found


def untrusted(reason, verify, source):
    """The end of a message about a certificate that did not verify: why, against what, and what to set."""
    return ("its TLS certificate is not trusted (%s; %s); set ca_path to the CA certificate that signed it, or "
            "validate_certs=false to skip the check" % (reason, describe(verify, source)))


def ssl_failure(exc):
    """The TLS error inside a transport exception (urllib3 and requests wrap it in others), or None."""
    import ssl

    seen = set()
    stack = [exc]
    while stack:
        error = stack.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, ssl.SSLError) or type(error).__name__ == "SSLError":
            return error
        stack.extend([getattr(error, "reason", None), error.__cause__, error.__context__])
        stack.extend(arg for arg in getattr(error, "args", ()) if isinstance(arg, BaseException))
    return None
