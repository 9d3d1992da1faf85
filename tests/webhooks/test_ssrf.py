"""Webhook destinations against the usual server-side request forgery tricks: each refused when the subscription
is made (an ErrorResult 400 saying why) or when a delivery connects (the reason in the delivery log).

Names are resolved by an in-process table (``urls.resolve`` replaced), and every socket a delivery opens is
checked: a test that tried to reach a non-loopback address fails instead of sending anything. The delivery tests
run under both workers; the delivery process connects only to the addresses the API's process resolved and checked
for it, so under that worker those handed-over addresses are what is checked and recorded."""
from __future__ import annotations

import ipaddress
import socket

import pytest

from mockserver.webhooks import pump, sender, urls

from ..conftest import DEMO_ORG
from .conftest import Hooks
from .receiver import Receiver
from .test_subscriptions import error_result

# (destination URL, what the refusal says): refused when the subscription is created.
REFUSED = [
    ("http://3232235777/", "192.168.1.1, private"),  # decimal
    ("http://0300.0250.1.1/", "192.168.1.1, private"),  # octal
    ("http://012.0.0.1/", "10.0.0.1, private"),
    ("http://0xa9fea9fe/", "169.254.169.254, a cloud metadata address"),  # hex
    ("http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/", "cloud metadata"),
    ("http://10.1/", "10.0.0.1, private"),  # short form
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[fd00:ec2::254]/", "cloud metadata"),
    ("http://[fe80::1%25eth0]/", "link-local"),
    ("http://[::ffff:10.0.0.1]/", "10.0.0.1, private"),  # IPv4-mapped IPv6
    ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
    ("http://[::ffff:a9fe:a9fe]/", "cloud metadata"),
    ("http://[::ffff:0.0.0.0]/", "unspecified"),
    ("http://0.0.0.0:8080/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://[::127.0.0.1]/", "reserved"),  # IPv4-compatible: an IPv6 address, not loopback
    ("http://[64:ff9b::7f00:1]/", "reserved"),  # NAT64 of 127.0.0.1: goes through a gateway
    ("http://8.8.8.8/", "8.8.8.8, public"),
    ("http://256.0.0.1/", "not a valid ipv4 address"),
    ("http://0189.0.0.1/", "bad octal part"),
    ("http://" + "9" * 300 + "/", "longer than 253"),
    ("http://evil.example/", "evil.example is neither"),  # names that may resolve anywhere
    ("http://127.0.0.1.nip.io/", "127.0.0.1.nip.io is neither"),
    ("http://localhost.evil.example/", "is neither"),
    ("http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/", "is neither"),  # full-width: IDNA's localhost
    ("http://127\u30020\u30020\u30021/", "is neither"),  # ideographic full stops
    ("http://127.0.0.1@evil.example/", "userinfo"),  # userinfo
    ("http://evil.example@127.0.0.1/", "userinfo"),
    ("http://127.0.0.1:80@evil.example/", "userinfo"),
    ("http://@127.0.0.1/", "userinfo"),
    ("http://evil.example\\@127.0.0.1/", "backslash"),
    ("http://127.0.0.1/a b", "spaces"),
    ("http://127.0.0.1/\r\nHost: evil.example", "control characters"),
    ("http://127.0.0.1:99999/", "not a valid url"),
    ("http://127.0.0.1/#frag", "fragment"),
    ("file:///etc/passwd", "http(s) url"),  # other schemes
    ("gopher://127.0.0.1:6379/_INFO", "http(s) url"),
    ("ftp://127.0.0.1/", "http(s) url"),
    ("dict://127.0.0.1:11211/stats", "http(s) url"),
    ("javascript:alert(1)", "http(s) url"),
    ("http:/127.0.0.1/", "http(s) url"),
    ("//127.0.0.1/", "http(s) url"),
]
# Loopback in every form the system resolver reads: accepted, and the delivery reaches the receiver on 127.0.0.1.
LOOPBACK = ["127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "0x7f000001", "127.1", "017700000001",
            "localhost", "hooks.localhost"]


class Names(dict):
    """Host name -> the addresses it resolves to now; with the names asked and the addresses connected to."""

    def __init__(self):
        super().__init__({"localhost": ["127.0.0.1"], "hooks.localhost": ["127.0.0.1"]})
        self.asked: list[str] = []
        self.opened: list[str] = []

    def resolve(self, host, port, type=0, **_):  # noqa: A002 (getaddrinfo's own keyword)
        self.asked.append(host)
        found = self.get(host.lower().rstrip("."))
        if found is None:  # numeric hosts only: never real DNS
            return socket.getaddrinfo(host, port, type=type, flags=socket.AI_NUMERICHOST)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, type, 6, "", (a, port)) for a in found]


@pytest.fixture
def names(monkeypatch, delivery_mode):
    """The in-process resolver, and a guard on every socket a delivery opens (loopback only, each recorded); under
    the delivery process, on every address handed to it (the only ones it connects to)."""
    table, real, handed = Names(), sender.connect, pump._resolve

    def guard(address: str) -> None:
        table.opened.append(address)
        if not urls.plain(ipaddress.ip_address(address)).is_loopback:
            raise AssertionError(f"a delivery tried to connect to {address}")

    def connect(family, sockaddr, timeout):
        guard(sockaddr[0])
        return real(family, sockaddr, timeout)

    def resolve(url, extra_hosts):
        found = handed(url, extra_hosts)
        for _, sockaddr in () if isinstance(found, urls.RefusedUrl) else found:
            guard(sockaddr[0])
        return found

    monkeypatch.setattr(urls, "resolve", table.resolve)
    monkeypatch.setattr(sender, "connect", connect)
    monkeypatch.setattr(pump, "_resolve", resolve)
    return table


def _body(url: str) -> dict:
    return {"name": "Hooks", "eventTypes": ["agent:login"], "destinationUrl": url}


@pytest.fixture(scope="module")
def shared():
    """One app for the refusals: a refused subscription changes nothing, so they need no app each."""
    return Hooks()


@pytest.mark.parametrize("url, reason", REFUSED, ids=[u for u, _ in REFUSED])
def test_refused_when_subscribing(shared, url, reason):
    error_result(shared.client.post("/v1/subscriptions", json=_body(url), headers=shared.headers), 400, reason)
    assert shared.client.get("/v1/subscriptions", headers=shared.headers).get_json()["data"] == []


def test_refused_when_patching_and_nothing_changes(hooks):
    sub = hooks.subscribe("http://127.0.0.1:9/a", ["agent:login"])
    error_result(hooks.client.patch(f"/v1/subscriptions/{sub['id']}", json={"destinationUrl": "http://2852039166/"},
                                    headers=hooks.headers), 400, "169.254.169.254, a cloud metadata address")
    assert hooks.sub(sub["id"]) == sub


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_in_any_form_is_accepted_and_delivered_to_loopback(hooks, receiver, names, host):
    sub = hooks.subscribe(f"http://{host}:{receiver.port}/hooks/wxcc", ["agent:login"])
    hooks.publish("agent:login", 1000, agentId="a1")
    assert len(receiver.wait_for(1)) == 1 and hooks.rt.webhooks.wait_idle(5)
    assert hooks.log(sub["id"])["deliveries"][0]["outcome"] == "delivered"
    assert names.opened and all(ipaddress.ip_address(a).is_loopback for a in names.opened)


def test_other_loopback_forms_are_accepted_when_subscribing(hooks):
    for host in ("[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::1]", "127.255.255.254", "localhost."):
        hooks.subscribe(f"http://{host}:9/x", ["agent:login"])


def test_numeric_forms_mean_what_the_system_resolver_reads():
    for host in ["2130706433", "0177.0.0.1", "0x7f.1", "127.1", "3232235777", "0300.0250.1.1", "0xa9fea9fe", "10.1",
                 "0", "1.2.3", "0x7f.0.0x1"]:
        assert str(urls.ipv4_forms(host)) == socket.inet_ntoa(socket.inet_aton(host)), host
    assert urls.ipv4_forms("evil.example") is None and urls.ipv4_forms("127.0.0.1.") is None


def _delivery(hooks, sub_id: str) -> dict:
    hooks.publish("agent:login", 1000, agentId="a1")
    assert hooks.rt.webhooks.wait_idle(5)
    return hooks.log(sub_id)["deliveries"][-1]


@pytest.mark.parametrize("resolved, reason", [
    (["10.0.0.1"], "10.0.0.1, not loopback"),
    (["169.254.169.254"], "cloud metadata"),
    (["0.0.0.0"], "unspecified"),
    (["::ffff:10.0.0.1"], "not loopback"),
    (["127.0.0.1", "10.0.0.1"], "10.0.0.1, not loopback"),  # every address must pass, not just the first
])
def test_a_localhost_name_resolving_elsewhere_is_refused_at_delivery(names, resolved, reason):
    hooks = Hooks(webhook_disable_after=0)
    names["hooks.localhost"] = resolved
    sub = hooks.subscribe("http://hooks.localhost:9/x", ["agent:login"])
    entry = _delivery(hooks, sub["id"])
    assert entry["outcome"] == "failed" and entry["httpStatus"] is None
    assert "refused at delivery" in entry["error"] and reason in entry["error"], entry
    assert names.opened == []


@pytest.mark.parametrize("resolved, reason", [
    (["169.254.169.254"], "cloud metadata"), (["fd00:ec2::254"], "cloud metadata"), (["fe80::1"], "link-local"),
    (["0.0.0.0"], "unspecified"), (["::"], "unspecified"), (["224.0.0.1"], "multicast")])
def test_an_allowed_name_resolving_to_metadata_or_link_local_is_refused_at_delivery(names, resolved, reason):
    hooks = Hooks(webhook_allowed_hosts="receiver", webhook_disable_after=0)
    names["receiver"] = resolved
    sub = hooks.subscribe("http://receiver:8080/x", ["agent:login"])
    entry = _delivery(hooks, sub["id"])
    assert entry["outcome"] == "failed" and reason in entry["error"] and names.opened == []


def test_an_allowed_name_resolving_to_loopback_is_delivered(names, receiver):
    hooks = Hooks(webhook_allowed_hosts="receiver")
    names["receiver"] = ["127.0.0.1"]
    sub = hooks.subscribe(f"http://receiver:{receiver.port}/hooks/wxcc", ["agent:login"])
    assert _delivery(hooks, sub["id"])["outcome"] == "delivered"
    assert receiver.requests[0]["headers"]["host"] == f"receiver:{receiver.port}"  # the name, not the address


def test_dns_rebinding_is_checked_on_the_address_of_each_connection(names, receiver):
    hooks = Hooks(webhook_disable_after=0)
    names["rebind.localhost"] = ["127.0.0.1"]
    sub = hooks.subscribe(f"http://rebind.localhost:{receiver.port}/hooks/wxcc", ["agent:login"])
    assert _delivery(hooks, sub["id"])["outcome"] == "delivered"
    names["rebind.localhost"] = ["10.0.0.1"]  # the name now points elsewhere (the receiver closes connections)
    entry = _delivery(hooks, sub["id"])
    assert entry["outcome"] == "failed" and "rebind.localhost resolved to 10.0.0.1" in entry["error"]
    assert len(receiver.requests) == 1 and set(names.opened) == {"127.0.0.1"}
    assert names.asked.count("rebind.localhost") == 2  # resolved at each connection, never cached


@pytest.mark.parametrize("location", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                                      "http://[::ffff:a9fe:a9fe]/", "file:///etc/passwd"])
def test_a_redirect_to_another_address_is_not_followed(names, location):
    hooks = Hooks(webhook_disable_after=0)
    receiver = Receiver(default=(302, 0.0))
    receiver.location = location
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        entry = _delivery(hooks, sub["id"])
        assert entry["outcome"] == "failed" and entry["httpStatus"] == 302 and "redirect not followed" in entry["error"]
        assert len(receiver.requests) == 1 and set(names.opened) == {"127.0.0.1"}
        assert names.asked == ["127.0.0.1"]
    finally:
        receiver.close()


def test_a_stored_destination_the_rules_now_refuse_is_refused_at_delivery(names):
    hooks = Hooks(webhook_disable_after=0)
    sub = hooks.subscribe("http://127.0.0.1:9/x", ["agent:login"])
    record = hooks.rt.store.get(DEMO_ORG, "webhook-subscription", sub["id"])
    hooks.rt.store.put(DEMO_ORG, "webhook-subscription", {**record, "destinationUrl": "http://3232235777/"})
    entry = _delivery(hooks, sub["id"])  # e.g. kept in a storage file written under other settings
    assert entry["outcome"] == "failed" and "192.168.1.1, private" in entry["error"] and names.opened == []
