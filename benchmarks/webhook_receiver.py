"""The benchmark's webhook receiver: keep-alive HTTP/1.1 on 127.0.0.1 that counts POSTs and their times, paced
on demand; run in a process and session of its own (``RemoteReceiver``), as a real integration's receiver is, so
the load generator's CPU (wrk runs in the suite's session) does not delay its answers and count against the mock.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time

from .common import LOOPBACK, ROOT


class Receiver:
    """A keep-alive HTTP/1.1 receiver on 127.0.0.1 (asyncio, in a thread) that counts POSTs and their times."""

    def __init__(self):
        self.times: list[float] = []
        self.lags: list[float] = []  # per POST: receipt (wall clock) - the event's ``data.createdTime``, ms
        self.pace = 0.0  # seconds between answers at least (0: answer at once)
        self._slot = 0.0
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(started,), daemon=True, name="bench-receiver")
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the webhook receiver did not start")
        self.url = f"http://{LOOPBACK}:{self.port}/hooks"

    def _serve(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, LOOPBACK, 0))
        self.port = server.sockets[0].getsockname()[1]
        self._server = server
        started.set()
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:].strip() or 0)
                body = await reader.readexactly(min(length, 1 << 20)) if length else b""
                if self.pace:  # answer no sooner than the next slot of the pace: at most 1/pace a second
                    now = time.monotonic()
                    self._slot = max(self._slot, now) + self.pace
                    await asyncio.sleep(self._slot - self.pace - now)
                self.times.append(time.monotonic())
                self.lags.append(float("nan") if self.pace else _lag(body))  # the paced reference as before
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _shutdown(self) -> None:
        self._server.close()
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()
        await asyncio.sleep(0)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


def _lag(body: bytes) -> float:
    """How long after the simulated event it announces a POST arrived (ms; NaN when the body has no time)."""
    try:
        return time.time() * 1000 - json.loads(body)["data"]["createdTime"]
    except (ValueError, KeyError, TypeError):
        return float("nan")


class RemoteReceiver:
    """A ``Receiver`` in a child process (started by PID, stopped by PID): the same questions, over a pipe."""

    def __init__(self):
        self._p = subprocess.Popen([sys.executable, "-m", "benchmarks.webhook_receiver"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True, cwd=str(ROOT), start_new_session=True)
        self.url = self._ask("url")

    def _ask(self, line: str) -> str:
        self._p.stdin.write(line + "\n")
        self._p.stdin.flush()
        answer = self._p.stdout.readline()
        if not answer:
            raise RuntimeError("the webhook receiver process ended")
        return answer.strip()

    @property
    def times(self) -> list[float]:
        """Arrival times (``time.monotonic()``, the same clock in every process of this machine)."""
        return json.loads(self._ask("times"))

    @property
    def pace(self) -> float:
        return float(self._ask("pace"))

    @pace.setter
    def pace(self, seconds: float) -> None:
        self._ask(f"pace {seconds}")

    def lags(self, since: float) -> list[float]:
        """Lags (ms, ``Receiver.lags``) of the POSTs that arrived at or after ``since`` (``time.monotonic()``)."""
        return json.loads(self._ask(f"lags {since}"))

    def count(self) -> int:
        return int(self._ask("count"))

    def last(self) -> float:
        """When the last POST arrived (0: none yet)."""
        return float(self._ask("last"))

    def settle(self, quiet_s: float = 1.0, limit_s: float = 60.0) -> None:
        """Wait until deliveries came and none has arrived for ``quiet_s`` (at most ``limit_s``; the first may
        take a moment: the delivery process starts with the first event)."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            last = self.last()
            if last and time.monotonic() - last >= quiet_s:
                return
            time.sleep(0.1)

    def close(self) -> None:
        try:
            self._p.stdin.close()
            self._p.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self._p.kill()
            self._p.wait(5)


def main() -> None:
    """The receiver process: one command per line on stdin (url, pace [s], count, last, times, lags [since]), one
    answer each."""
    rx = Receiver()
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "pace" and arg:
            rx.pace = float(arg)
        answer = {"url": lambda: rx.url, "pace": lambda: rx.pace, "count": lambda: len(rx.times),
                  "last": lambda: rx.times[-1] if rx.times else 0.0, "times": lambda: json.dumps(list(rx.times)),
                  "lags": lambda: json.dumps([lag for t, lag in zip(list(rx.times), list(rx.lags))
                                              if t >= float(arg or 0) and lag == lag])}
        print(answer.get(cmd, lambda: "?")(), flush=True)
    rx.close()


if __name__ == "__main__":
    main()
