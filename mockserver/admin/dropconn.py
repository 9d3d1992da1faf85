"""Closing one request's connection under a server whose WSGI interface cannot (Granian): find its socket.

Granian parses and writes HTTP in Rust; an exception out of the app becomes a 500 and a failing response
iterator still sends the status line first, so neither is "the connection closed without a response". The
socket is in this process, though: among the TCP connections on the server's port from the request's address,
the one carrying this request is waiting for its answer (data received after the last data sent) and received
its last bytes when the request arrived. Shutting it down makes Granian's write fail and the client read EOF
before any byte of a response, as with waitress. Linux only (``/proc/self/fd`` and ``TCP_INFO``).
"""
from __future__ import annotations

import logging
import os
import socket
import struct
import sys
import time

log = logging.getLogger("mockserver")

#: struct tcp_info (linux/tcp.h) up to tcpi_data_segs_out: 8 one-byte fields, 24 u32, 4 u64, 6 u32. Used:
#: [17] last_data_sent and [19] last_data_recv (ms ago, in clock ticks of 1-10 ms), [40] data_segs_in,
#: [41] data_segs_out.
_TCP_INFO = struct.Struct("<8B24I4Q6I")
_ESTABLISHED = 1
#: How far the kernel's "last data received" may lie from the app's arrival time (ms): the request waits in
#: Granian for a free Python thread before the app sees it; under load that can be a while.
_EARLY_MS, _LATE_MS = 10.0, 1000.0
_WAIT_S = 1.0  # other requests that arrived with this one get this long to answer, so only this one is left


def supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "TCP_INFO")


def _candidates(port: int, peer_ip: str) -> list[tuple[socket.socket, bool, int]]:
    """(dup'ed socket, surely waiting, ms since last data received) of each connection that may wait for an answer.

    Surely waiting: data came in and nothing went out yet (a fresh connection), or the last data went out a
    clock tick or more before the last data came in. May be waiting: both in the same tick.

    One connection can have several descriptors in the process (the runtime duplicates some): listed once.
    """
    out, seen = [], set()
    for name in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            sock = socket.socket(fileno=os.dup(int(name)))
        except (OSError, ValueError):
            continue
        try:
            if sock.type != socket.SOCK_STREAM or sock.family not in (socket.AF_INET, socket.AF_INET6):
                raise OSError
            local, peer = sock.getsockname(), sock.getpeername()
            if local[1] != port or peer[0] not in (peer_ip, "::ffff:" + peer_ip):
                raise OSError  # the listener, another server, or a client socket of this process
            info = _TCP_INFO.unpack_from(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO.size))
            if info[0] != _ESTABLISHED or peer in seen:
                raise OSError  # closing, or another descriptor of a connection already listed
        except OSError:
            sock.close()
            continue
        seen.add(peer)
        sent_ago, recv_ago, segs_in, segs_out = info[17], info[19], info[40], info[41]
        if segs_in and (not segs_out or sent_ago >= recv_ago):
            out.append((sock, not segs_out or sent_ago > recv_ago, recv_ago))
        else:
            sock.close()  # answered since its last request: idle
    return out


def drop(environ: dict, arrived: float) -> bool:
    """Shut down the connection of the request that reached the app at ``arrived`` (perf_counter); True if done."""
    if not supported():
        return False
    try:
        port, peer_ip = int(environ["SERVER_PORT"]), environ["REMOTE_ADDR"]
    except (KeyError, ValueError):
        return False
    deadline = time.monotonic() + _WAIT_S
    while True:
        age = (time.perf_counter() - arrived) * 1000
        found = _candidates(port, peer_ip)
        near = [c for c in found if age - _EARLY_MS <= c[2] <= age + _LATE_MS]
        waiting = [c for c in near if c[1]] or near  # surely waiting first; same-tick ones only without any
        if len(waiting) == 1 or time.monotonic() >= deadline:
            break
        for sock, _, _ in found:
            sock.close()
        time.sleep(0.005)  # let the other requests that arrived with this one answer
    chosen = min(waiting, key=lambda c: abs(c[2] - age))[0] if waiting else None
    if len(waiting) > 1:
        log.warning("fault drop: %d connections were waiting for an answer; closed the likeliest", len(waiting))
    try:
        if chosen is not None:
            chosen.shutdown(socket.SHUT_RDWR)
    except OSError:
        chosen = None
    finally:
        for sock, _, _ in found:
            sock.close()
    return chosen is not None
