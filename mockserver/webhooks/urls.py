"""Where webhooks may go: loopback by default, plus the hosts a setting names; checked at subscription time."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


class RefusedUrl(ValueError):
    """A destination the mock will not deliver to (the message says why and what to do)."""


def allowed_hosts(setting: str) -> frozenset[str]:
    """The ``webhook_allowed_hosts`` setting as a set of lower-case host names."""
    return frozenset(h.strip().lower() for h in setting.split(",") if h.strip())


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):  # RFC 6761: always the loopback interface
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check(url: str, extra_hosts: frozenset[str]) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path?query)`` of a deliverable URL, or ``RefusedUrl``.

    Differs from Webex, which wants HTTPS on a public name and port 443 (runtime facts 3.2): a mock delivers to
    test receivers, so http and any port are fine, but only on loopback or a configured host (never the wider
    network: a subscription must not turn the mock into a way to reach other machines).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RefusedUrl(f"destinationUrl: not a valid URL ({exc}).") from None
    if parts.scheme not in ("http", "https"):
        raise RefusedUrl("destinationUrl: must start with http:// or https://.")
    host = (parts.hostname or "").lower()
    if not host:
        raise RefusedUrl("destinationUrl: has no host.")
    if parts.username is not None or parts.password is not None:
        raise RefusedUrl("destinationUrl: must not carry userinfo.")
    if parts.fragment:
        raise RefusedUrl("destinationUrl: must not carry a fragment.")
    if not (_is_loopback(host) or host in extra_hosts):
        raise RefusedUrl(f"destinationUrl: the mock delivers webhooks only to loopback addresses (127.0.0.1, ::1, "
                         f"localhost) and to the hosts listed in MOCKSERVER_WEBHOOK_ALLOWED_HOSTS; {host} is "
                         f"neither.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path
