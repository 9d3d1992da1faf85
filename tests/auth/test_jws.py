"""The hand-built RS256 JWS is the token PyJWT would have built: same bytes, verifiable by any JOSE library."""
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from mockserver.auth.jws import encode_rs256


def test_same_bytes_as_pyjwt_and_verifies():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = {"iss": "http://127.0.0.1:8080", "sub": "p-1", "org_id": "o-1", "client_id": "c", "scope": "a b",
              "roles": ["id_full_admin"], "iat": 1_800_000_000, "exp": 1_800_043_200, "jti": "j-1",
              "iat_ms": 1_800_000_000_123, "fam": "f-1", "name": "Zoë"}
    token = encode_rs256(claims, key, "kid-1")
    # RSASSA-PKCS1-v1_5 is deterministic, so equal signing inputs give equal tokens.
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": "kid-1", "typ": "JWT"}
    options = {"verify_exp": False, "verify_iat": False}
    assert jwt.decode(token, key.public_key(), algorithms=["RS256"], options=options) == claims
    ascii_claims = {**claims, "name": "Zoe"}  # PyJWT escapes non-ASCII, orjson writes UTF-8: both valid JSON
    assert encode_rs256(ascii_claims, key, "kid-1") == jwt.encode(ascii_claims, key, algorithm="RS256",
                                                                  headers={"kid": "kid-1"})
