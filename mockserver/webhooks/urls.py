"""Where webhooks may go: loopback by default, plus the hosts a setting names. Checked twice: on the URL when a
subscription is made or changed, and on every resolved address when a delivery connects (no rebinding)."""
from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

#: How a delivery resolves a host name (the one resolver the sender uses; tests replace it).
resolve = socket.getaddrinfo

_NUMERIC = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")  # one part of a numeric IPv4 host in the resolver's forms
_CONTROL = re.compile(r"[\x00-\x20\x7f\\]")
#: Cloud metadata services, named in refusals (AWS, GCP, Azure, OpenStack: 169.254.169.254; AWS on IPv6).
METADATA = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})


class RefusedUrl(ValueError):
    """A destination the mock will not deliver to (the message says why and what to do)."""


def allowed_hosts(setting: str) -> frozenset[str]:
    """The ``webhook_allowed_hosts`` setting as a set of lower-case host names."""
    return frozenset(h.strip().lower().rstrip(".") for h in setting.split(",") if h.strip())


def ipv4_forms(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host means to the system resolver (inet_aton): ``127.1``, ``2130706433``, ``0177.0.0.1``,
    ``0x7f.1``...; None when it is not numeric. ``RefusedUrl`` for a numeric host no resolver reads one way."""
    parts = host.split(".")
    if not all(_NUMERIC.match(p) for p in parts) or not parts[-1]:
        return None
    values = []
    for p in parts:
        if p.startswith("0x"):
            values.append(int(p[2:] or "0", 16))
        elif len(p) > 1 and p.startswith("0"):
            if not set(p) <= set("01234567"):
                raise RefusedUrl(f"destinationUrl: {host} is not a valid IPv4 address (bad octal part {p}).")
            values.append(int(p, 8))
        else:
            values.append(int(p))
    if len(values) > 4 or any(v > 255 for v in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise RefusedUrl(f"destinationUrl: {host} is not a valid IPv4 address.")
    number = values[-1]
    for i, v in enumerate(values[:-1]):
        number += v << (8 * (3 - i))
    return ipaddress.IPv4Address(number)


def literal(host: str):
    """The address a host names literally (any IPv4 form, IPv6 with or without a zone), or None for a name."""
    if ":" in host:
        try:
            return ipaddress.ip_address(host)
        except ValueError:
            raise RefusedUrl(f"destinationUrl: {host} is not a valid IPv6 address.") from None
    return ipv4_forms(host)


def plain(address):
    """IPv4-mapped IPv6 (``::ffff:a.b.c.d``) judged as the IPv4 address it reaches."""
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def never(address) -> str | None:
    """Why an address is refused even on a host the setting allows (None: it is not of those)."""
    address = plain(address)
    if address.is_loopback:
        return None
    if address in METADATA:
        return "a cloud metadata address"
    if address.is_unspecified:
        return "the unspecified address (it reaches every interface of this machine)"
    if address.is_link_local:
        return "link-local (169.254.0.0/16, fe80::/10)"
    if address.is_multicast or address.is_reserved:
        return "multicast or reserved"
    return None


def _kind(address) -> str:
    why = never(address)
    if why:
        return why
    return "private" if plain(address).is_private else "public"


def loopback_name(host: str) -> bool:
    """``localhost`` and its sub-names (RFC 6761): loopback by name, still checked once resolved."""
    return host == "localhost" or host.endswith(".localhost")


def check(url: str, extra_hosts: frozenset[str]) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path?query)`` of a deliverable URL, or ``RefusedUrl``.

    Differs from Webex, which wants HTTPS on a public name and port 443 (runtime facts 3.2): a mock delivers to
    test receivers, so http and any port are fine, but only on loopback or a configured host (never the wider
    network: a subscription must not turn the mock into a way to reach other machines).
    """
    if _CONTROL.search(url):
        raise RefusedUrl("destinationUrl: must not contain spaces, control characters or backslashes.")
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
    if "@" in parts.netloc:
        raise RefusedUrl("destinationUrl: must not carry userinfo (user:password@).")
    if parts.fragment:
        raise RefusedUrl("destinationUrl: must not carry a fragment.")
    if len(host) > 253:  # DNS's own limit; also keeps the numeric parsing small
        raise RefusedUrl("destinationUrl: the host is longer than 253 characters.")
    address = literal(host)
    name = host.rstrip(".") if address is None else str(address)
    if address is not None and not plain(address).is_loopback and name not in extra_hosts:
        raise RefusedUrl(f"destinationUrl: {host} is the address {plain(address)}, {_kind(address)}; the mock "
                         f"delivers webhooks only to loopback addresses (127.0.0.0/8, ::1) and to the hosts listed in "
                         f"MOCKSERVER_WEBHOOK_ALLOWED_HOSTS.")
    if address is not None and never(address):
        raise RefusedUrl(f"destinationUrl: {host} is {never(address)}, never a webhook destination.")
    if address is None and not (loopback_name(name) or name in extra_hosts):
        raise RefusedUrl(f"destinationUrl: the mock delivers webhooks only to loopback addresses (127.0.0.1, ::1, "
                         f"localhost) and to the hosts listed in MOCKSERVER_WEBHOOK_ALLOWED_HOSTS; {host} is "
                         f"neither.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path


def addresses(host: str, port: int, extra_hosts: frozenset[str]) -> list[tuple]:
    """``[(family, sockaddr)]`` to connect to, each resolved address checked at connect time (a name that
    resolved to loopback when the subscription was made may resolve elsewhere now), or ``RefusedUrl``."""
    listed = host.rstrip(".") in extra_hosts or str(literal(host) or "") in extra_hosts
    try:
        found = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise RefusedUrl(f"destinationUrl: {host} does not resolve ({exc}).") from None
    out = []
    for family, _, _, _, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        why = never(address) or (None if listed or plain(address).is_loopback else "not loopback")
        if why:
            raise RefusedUrl(f"refused at delivery: {host} resolved to {plain(address)}, {why}; the mock delivers "
                             f"webhooks only to loopback addresses and to MOCKSERVER_WEBHOOK_ALLOWED_HOSTS.")
        out.append((family, sockaddr))
    if not out:
        raise RefusedUrl(f"destinationUrl: {host} resolved to no address.")
    return out
