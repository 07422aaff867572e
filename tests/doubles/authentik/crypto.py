# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Certificate keypairs: generation, fingerprints, the JWK view and the key id, via ``cryptography``.

authentik names a key by ``kid = md5(private key PEM)`` (``CertificateKeyPair.kid``) and signs with
RS256 for RSA keys and ES256/384/512 for EC keys; the same rules apply here.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
import string

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

SELF_SIGNED_NAME = "authentik Self-signed Certificate"


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_b64url(value):
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _colon_hex(digest):
    return ":".join("%02x" % b for b in digest)


def generate(common_name, validity_days=365, alg="rsa", issuer_cn=None, subject_alt_name=None, self_signed_subject=False,
             rsa_bits=4096):
    """A new certificate + private key, both PEM text, as authentik's CertificateBuilder makes them."""
    if alg == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)
    now = datetime.datetime.now(datetime.timezone.utc)
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if self_signed_subject:
        attrs += [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "authentik"),
                  x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Self-signed")]
    alt = subject_alt_name or "%s.self-signed.goauthentik.io" % "".join(
        secrets.choice(string.ascii_letters + string.digits) for dummy in range(40))
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_cn or common_name)]))
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=validity_days))
        .serial_number(x509.random_serial_number())
        .public_key(key.public_key())
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(alt)]), critical=True)
    )
    cert = builder.sign(key, hashes.SHA256())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    return cert_pem, key_pem


class KeyMaterial:
    """Parsed view of a keypair's PEM data."""

    def __init__(self, cert_pem, key_pem=""):
        self.cert_pem = cert_pem
        self.key_pem = key_pem or ""
        self.cert = x509.load_pem_x509_certificate(cert_pem.encode("ascii"))
        self.key = serialization.load_pem_private_key(key_pem.encode("ascii"), None) if key_pem else None

    @property
    def der(self):
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def fingerprint_sha256(self):
        return _colon_hex(self.cert.fingerprint(hashes.SHA256()))

    @property
    def fingerprint_sha1(self):
        return _colon_hex(self.cert.fingerprint(hashes.SHA1()))  # nosec - a fingerprint, as authentik shows it

    @property
    def expiry(self):
        return self.cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def subject(self):
        return self.cert.subject.rfc4514_string()

    @property
    def key_type(self):
        public = self.cert.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            return "rsa"
        if isinstance(public, ec.EllipticCurvePublicKey):
            return "ec"  # KeyTypeEnum of 2025.12; the older private_key_type said "ecdsa"
        return "ed25519"

    @property
    def kid(self):
        # authentik: md5 of the private key data, hex (empty without a key)
        return hashlib.md5(self.key_pem.encode("utf-8"), usedforsecurity=False).hexdigest() if self.key_pem else ""

    @property
    def jwt_alg(self):
        if self.key is None:
            return None
        if isinstance(self.key, rsa.RSAPrivateKey):
            return "RS256"
        if isinstance(self.key, ec.EllipticCurvePrivateKey):
            return {256: "ES256", 384: "ES384", 521: "ES512"}.get(self.key.curve.key_size, "ES256")
        return None

    def jwk(self):
        """The JWKS entry authentik's jwks view builds for a signing key."""
        public = self.cert.public_key()
        entry = {"alg": self.jwt_alg, "kid": self.kid}
        if isinstance(public, rsa.RSAPublicKey):
            numbers = public.public_numbers()
            entry.update({"kty": "RSA", "use": "sig", "n": _int_b64url(numbers.n), "e": _int_b64url(numbers.e)})
        else:
            numbers = public.public_numbers()
            crv = {256: "P-256", 384: "P-384", 521: "P-521"}.get(public.curve.key_size, "P-256")
            size = (public.curve.key_size + 7) // 8
            entry.update({"kty": "EC", "use": "sig", "crv": crv,
                          "x": _b64url(numbers.x.to_bytes(size, "big")), "y": _b64url(numbers.y.to_bytes(size, "big"))})
        entry["x5c"] = [base64.b64encode(self.der).decode("ascii")]
        entry["x5t"] = _b64url(hashlib.sha1(self.der, usedforsecurity=False).digest())
        entry["x5t#S256"] = _b64url(hashlib.sha256(self.der).digest())
        return entry
