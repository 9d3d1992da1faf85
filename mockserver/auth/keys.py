"""RSA signing keys with ``kid``s, the JWKS document, and rotation with a grace period."""
from __future__ import annotations

import base64
import hashlib
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


class KeyFileError(ValueError):
    """The signing key file cannot be used (the message says why); the start stops with it."""


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class SigningKey:
    """One key pair; ``retired_at`` is set when a newer key replaced it."""

    kid: str
    private: rsa.RSAPrivateKey
    retired_at: float | None = None

    @property
    def public(self):
        return self.private.public_key()

    def jwk(self) -> dict:
        numbers = self.public.public_numbers()
        return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": _b64(numbers.n), "e": _b64(numbers.e)}

    def public_pem(self) -> str:
        return self.public.public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _thumbprint_kid(private: rsa.RSAPrivateKey) -> str:
    """RFC 7638 thumbprint (first 16 chars): stable for a key loaded from a file."""
    numbers = private.public_key().public_numbers()
    canonical = f'{{"e":"{_b64(numbers.e)}","kty":"RSA","n":"{_b64(numbers.n)}"}}'
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()[:16]


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


_early: list = []  # at most one start-up key prepared ahead of need: (pem_path, thread, result holder)


def load_key_file(path: Path) -> rsa.RSAPrivateKey:
    """The RSA private key of a PEM file, checked by arithmetic and one signature instead of OpenSSL's check.

    OpenSSL's check of a loaded RSA key (``RSA_check_key``: tens of Miller-Rabin rounds on each prime) took 40-80
    ms of every start that reads a key file, holding the GIL (docs/performance.md "Start-up"). It guards against
    keys crafted to make OpenSSL misbehave; this file is the operator's own (the mock writes it, mode 0600, or
    they name one). What a damaged or wrong file would break is checked here: an RSA private key whose numbers
    fit together (n = pq, the CRT values, e and d inverse), and a signature made with it verifies.
    """
    where = f"the signing key file {path}"
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None,
                                                 unsafe_skip_rsa_key_validation=True)
    except OSError as exc:
        raise KeyFileError(f"{where} cannot be read: {exc.strerror or exc}") from None
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:  # TypeError: it needs a password
        raise KeyFileError(f"{where} is not a PEM private key without a password ({exc})") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyFileError(f"{where} is not an RSA private key (the tokens are signed RS256)")
    if not _consistent(key.private_numbers()):
        raise KeyFileError(f"{where} is not a valid RSA key (its numbers do not fit together)")
    try:
        message = b"mockserver signing key check"
        key.public_key().verify(key.sign(message, _PADDING, _SHA256), message, _PADDING, _SHA256)
    except (InvalidSignature, ValueError):
        raise KeyFileError(f"{where} is not a valid RSA key (a signature made with it does not verify)") from None
    return key


_PADDING = padding.PKCS1v15()
_SHA256 = hashes.SHA256()


def _consistent(k: rsa.RSAPrivateNumbers) -> bool:
    """Whether the numbers of an RSA private key fit together (primality aside: the signature test covers it)."""
    n, e = k.public_numbers.n, k.public_numbers.e
    p, q = k.p, k.q
    if min(p, q) < 3 or n != p * q or n % 2 == 0 or not 1 < e < n or e % 2 == 0:
        return False
    return (e * k.d) % math.lcm(p - 1, q - 1) == 1 and k.dmp1 == k.d % (p - 1) and k.dmq1 == k.d % (q - 1) \
        and (k.iqmp * q) % p == 1


def _read_or_new(pem_path: str) -> rsa.RSAPrivateKey:
    path = Path(pem_path) if pem_path else None
    if path is not None and path.exists():
        return load_key_file(path)
    return _new_key()


def generate_early(pem_path: str = "") -> None:
    """Start preparing the start-up key in a background thread, so a server start overlaps it with imports.

    Generating a 2048-bit key takes 30-500 ms (a random prime search), loading a PEM file ~20 ms (OpenSSL
    checks the key); OpenSSL releases the GIL meanwhile. ``KeyRing`` takes the result for the same path.
    """
    if _early:
        return
    holder: list = []

    def prepare():
        try:
            holder.append(_read_or_new(pem_path))
        except Exception:  # a file that cannot be used: KeyRing reads it again and says why
            pass

    thread = threading.Thread(target=prepare, name="mockserver-keygen", daemon=True)
    thread.start()
    _early.append((pem_path, thread, holder))


def _early_key(pem_path: str) -> rsa.RSAPrivateKey | None:
    if not _early or _early[0][0] != pem_path:
        return None
    _, thread, holder = _early.pop()
    thread.join()
    return holder[0] if holder else None  # None: it failed there; the caller does it again and raises


def _generate() -> rsa.RSAPrivateKey:
    return _new_key()


class KeyRing:
    """The current signing key plus retired keys still inside their grace period."""

    def __init__(self, clock, grace_seconds: int, pem_path: str = ""):
        self._clock = clock
        self.grace_seconds = grace_seconds
        self._lock = threading.Lock()
        self._keys: list[SigningKey] = [self._load_or_generate(pem_path)]
        self.generation = 0  # bumped on every change, so caches of verified tokens can be dropped
        self._retired_until: float | None = None  # when the first retired key's grace ends

    @staticmethod
    def _load_or_generate(pem_path: str) -> SigningKey:
        early = _early_key(pem_path)
        if pem_path:
            path = Path(pem_path)
            if path.exists():
                private = early or load_key_file(path)
            else:
                private = early or _generate()
                path.parent.mkdir(parents=True, exist_ok=True)
                pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption())
                # Created owner-only from the start: never a moment when others can read the key.
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(pem)
        else:
            private = early or _generate()
        return SigningKey(_thumbprint_kid(private), private)

    @property
    def current(self) -> SigningKey:
        return self._keys[-1]

    def _prune(self) -> None:
        now = self._clock.now()
        kept = [k for k in self._keys if k.retired_at is None or now - k.retired_at < self.grace_seconds]
        if len(kept) != len(self._keys):
            self._keys = kept
            self.generation += 1
        retired = [k.retired_at + self.grace_seconds for k in kept if k.retired_at is not None]
        self._retired_until = min(retired) if retired else None

    def prune(self) -> None:
        """Drop retired keys whose grace is over; a lock-free no-op when none is due (called on every verify)."""
        until = self._retired_until
        if until is not None and self._clock.now() >= until:
            with self._lock:
                self._prune()

    def find(self, kid: str) -> SigningKey | None:
        """The key with that ``kid`` if it is current or still in its grace period."""
        with self._lock:
            self._prune()
            return next((k for k in self._keys if k.kid == kid), None)

    def jwks(self) -> dict:
        """The published public keys."""
        with self._lock:
            self._prune()
            return {"keys": [k.jwk() for k in reversed(self._keys)]}

    def rotate(self, grace_seconds: int | None = None) -> SigningKey:
        """Sign with a new key from now on; the previous one stays valid for the grace period."""
        new = SigningKey("", _generate())
        new.kid = _thumbprint_kid(new.private)
        with self._lock:
            if grace_seconds is not None:
                self.grace_seconds = grace_seconds
            self.current.retired_at = self._clock.now()
            self._keys.append(new)
            self._prune()
            self.generation += 1
        return new

    def state(self) -> list[dict]:
        """Key ids and when they were retired (for the control API)."""
        with self._lock:
            self._prune()
            return [{"kid": k.kid, "current": k is self._keys[-1], "retiredAt": k.retired_at} for k in self._keys]
