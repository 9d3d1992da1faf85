"""RS256 compact JWS encoding without PyJWT's per-call work: the same bytes PyJWT would sign, signed once.

PyJWT's ``jwt.encode`` serialises the header again on every call (stdlib ``json``, sorted keys), serialises
the claims with the stdlib encoder and looks the algorithm up; about 30 µs per token on top of the RSA
signature (about 250 µs with a 2048-bit key, the floor: OpenSSL's, and it releases the GIL). Here the header
segment is built once per key id and the claims go through orjson. The header is byte-for-byte PyJWT's
(``{"alg":"RS256","kid":...,"typ":"JWT"}``), so a token verifies with PyJWT, the JWKS, or any JOSE library.
"""
from __future__ import annotations

import base64

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

_PADDING = padding.PKCS1v15()
_SHA256 = hashes.SHA256()
_HEADERS: dict[str, bytes] = {}  # kid -> base64url of the header: one entry per signing key ever used


def _b64(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


def header_segment(kid: str) -> bytes:
    """The base64url header of an RS256 JWT signed with key ``kid``, as PyJWT writes it (keys sorted)."""
    seg = _HEADERS.get(kid)
    if seg is None:
        seg = _HEADERS[kid] = _b64(orjson.dumps({"alg": "RS256", "kid": kid, "typ": "JWT"}))
    return seg


def encode_rs256(claims: dict, private_key, kid: str) -> str:
    """The compact JWS of ``claims`` (plain JSON values) signed with ``private_key`` (RSASSA-PKCS1-v1_5, SHA-256)."""
    signing_input = header_segment(kid) + b"." + _b64(orjson.dumps(claims))
    signature = private_key.sign(signing_input, _PADDING, _SHA256)
    return (signing_input + b"." + _b64(signature)).decode("ascii")
